"""The API against its own served OpenAPI schema (schemathesis), no personal data in any
answer, and a constant number of queries per endpoint."""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from furong_portal.wsgi import application
from tests.disclosure.public_data import attach, publish
from tests.opendata.conftest import SECRETS, catalogue_entry

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/openapi.json"
# Keys that would carry a person's data or an internal note; none may appear in any answer.
PERSONAL_KEYS = re.compile(
    r"user|author|creat|review|editor|email|phone|mobile|applicant|id_number|address|postcode|contact|password|"
    r"comment|ip_address|staff|text_internal|query_code",
    re.IGNORECASE,
)


@pytest.fixture
def connections_kept_open():
    """Requests through the WSGI application end by closing the database connection, which
    would end the test's transaction; Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_endpoint_conforms_to_its_served_schema(content, connections_kept_open):
    """Generated requests (valid and invalid) to each operation of the schema the site
    serves; every answer must match its documented status and body. Bounded, so the
    suite stays fast. (schemathesis' own pytest fixture loader does not run on pytest 9,
    so each operation's hypothesis strategy is driven here.)"""
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)  # fmt: skip
        def conforms(case):
            case.call_and_validate()

        conforms()


def concrete_paths(client, content) -> list[str]:
    """Every path of the served schema, with real identifiers filled in."""
    values = {"item_id": (content.document.pk, content.withdrawn.pk), "slug": ("3-12-1", "3-1"),
              "unit_id": (content.document.unit_id,), "number": (1,)}  # fmt: skip
    paths = []
    for template in client.get(SCHEMA_URL).json()["paths"]:
        names = re.findall(r"{(\w+)}", template)
        if not names:
            paths.append(template)
            continue
        (name,) = names
        paths += [template.replace(f"{{{name}}}", str(value)) for value in values[name]]
    return paths


def keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys(inner)


def test_no_answer_of_any_endpoint_contains_personal_data(client, content):
    paths = concrete_paths(client, content)
    assert len(paths) == 11
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 410), path
        body = response.content.decode()
        for label, secret in SECRETS.items():
            assert secret not in body, f"{label} in {path}"
        leaked = {key for key in keys(response.json()) if PERSONAL_KEYS.search(key)}
        assert not leaked, f"{leaked} in {path}"


def test_the_secret_check_would_see_a_leak(client, content):
    """The check above is not vacuous: the secrets are in the database and reachable."""
    content.document.title = SECRETS["editor username"]
    content.document.save()
    assert SECRETS["editor username"] in client.get("/api/v1/items").content.decode()


def add_content(count: int) -> None:
    start = timezone.now() - timezone.timedelta(days=count + 30)
    first = None
    for number in range(count):
        item = publish("3-1" if number % 2 else "3-12-1", "区司法局" if number % 2 else "区农业农村局",
                       title=f"扶贫通知第{number}号", published_at=start + timezone.timedelta(days=number),
                       is_normative=number % 3 == 0, validity="valid" if number % 3 == 0 else "",
                       interprets=first if number % 4 == 1 else None)  # fmt: skip
        first = first or item
        attach(item)
        catalogue_entry("3-7", position=100 + number, matter=f"事项{number}")


def query_counts(client, paths) -> dict[str, int]:
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code in (200, 410), path
        counts[path] = len(queries)
    return counts


def test_every_endpoint_runs_the_same_number_of_queries_whatever_the_data(client, content):
    paths = concrete_paths(client, content) + [
        "/api/v1/items?q=扶贫&column=5&limit=5", "/api/v1/items?validity=normative&status=published",
        "/api/v1/catalogue?column=3",
    ]  # fmt: skip
    small = query_counts(client, paths)
    add_content(40)
    large = query_counts(client, paths)
    assert large == small
    assert max(small.values()) <= 4, small
