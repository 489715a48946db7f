"""Operations: the Content-Security-Policy, /healthz, JSON logs and error reporting by DSN."""

import json
import re
import logging
from unittest import mock

import pytest
from django.test import RequestFactory
from django.urls import reverse

from furong_portal import health
from furong_portal.observability import JSONFormatter, error_reporting_init
from tests.disclosure.staff import district_officer

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    return {
        directive.split(" ", 1)[0]: directive.split(" ", 1)[1] if " " in directive else ""
        for directive in (part.strip() for part in response["Content-Security-Policy"].split(";"))
        if directive
    }


def test_public_pages_forbid_every_script_and_foreign_source(client, seed):
    directives = policy(client.get(reverse("disclosure:home")))
    assert directives["default-src"] == "'none'"
    assert "script-src" not in directives  # falls back to default-src 'none'
    assert directives["style-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in client.get(reverse("disclosure:search"))["Content-Security-Policy"]


def test_the_public_policy_built_once_is_the_one_django_csp_builds(seed):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    from furong_portal.csp import PortalCSPMiddleware

    ours, theirs = PortalCSPMiddleware(HttpResponse), CSPMiddleware(HttpResponse)
    for path in ("/", "/items/1/", "/search/?q=公开", "/admin/", "/api/v1/docs"):
        answers = []
        for middleware in (ours, ours, theirs):
            request = RequestFactory().get(path)
            middleware.process_request(request)
            answers.append(middleware.process_response(request, HttpResponse()).get("Content-Security-Policy"))
        assert answers[0] == answers[1]
        assert answers[0] == answers[2] or path.startswith(("/admin/", "/api/"))  # the admin's own policy
    asked = []
    for middleware in (ours, theirs):  # a page that asked for a nonce goes the whole way
        request = RequestFactory().get("/")
        middleware.process_request(request)
        str(request.csp_nonce)
        response = HttpResponse()
        response._csp_update = {"style-src": ["https://example.org"]}
        asked.append(middleware.process_response(request, response)["Content-Security-Policy"])
    assert asked[0] == asked[1] and "https://example.org" in asked[0]


def test_the_admin_may_run_its_own_scripts_only(client, seed):
    client.force_login(district_officer())
    directives = policy(client.get(reverse("admin:index")))
    assert directives["script-src"].startswith("'self'")
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]


def test_public_templates_have_no_inline_script_or_style(client, seed):
    for name in (
        "disclosure:home", "disclosure:search", "disclosure:documents", "tasks:work-points", "requests:apply",
        "requests:paper-form",
    ):
        html = client.get(reverse(name)).content.decode()
        assert "<script" not in html and " style=" not in html and "<style" not in html, name
        assert not re.search(r"\son[a-z]+=", html), name


def test_healthz_answers_ok_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_failed_dependency(client):
    def broken():
        raise ConnectionError("redis down")

    with mock.patch.dict(health.CHECKS, {"cache": broken}):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "failed", "database": "ok", "cache": "failed"}


def test_log_records_are_one_json_object_with_the_request_path():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x/",), None)
    record.request = RequestFactory().get("/x/")
    record.status_code = 500
    entry = json.loads(JSONFormatter().format(record))
    assert entry["level"] == "ERROR" and entry["message"] == "Internal Server Error: /x/"
    assert (entry["method"], entry["path"], entry["status_code"]) == ("GET", "/x/", 500)


def test_error_reporting_starts_with_a_dsn_and_sends_no_personal_data():
    import sentry_sdk

    error_reporting_init(dsn="https://public@errors.example/1", environment="test")
    try:
        client = sentry_sdk.get_client()
        assert client.is_active()
        assert not client.options.get("send_default_pii") and client.options["environment"] == "test"
    finally:
        sentry_sdk.init()  # no DSN: reporting off again
