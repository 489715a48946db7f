import os
import socket

import pytest
from django.core.management import call_command


def _test_redis_url() -> str:
    """The Redis database of the tests that need a real one: `TEST_REDIS_URL`, and with
    pytest-xdist the next ones for the other workers (gw0 keeps it, gw1 takes the next…),
    so that two workers never renew or flush each other's generation."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    server, _, database = url.rpartition("/")
    return f"{server}/{int(database) + int(worker.removeprefix('gw'))}"


TEST_REDIS_URL = _test_redis_url()


# {role: {(app_label, codename)}} exactly as the migrations left them, before any test ran.
MIGRATED_ROLE_GRANTS: dict[str, set[tuple[str, str]]] = {}


def _role_grants() -> dict[str, set[tuple[str, str]]]:
    from django.contrib.auth.models import Group

    return {
        group.name: set(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.all()
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        MIGRATED_ROLE_GRANTS.update(_role_grants())
        call_command("load_seed", verbosity=0)


@pytest.fixture
def seed(db):
    """The seed fixtures; reloaded when a transactional (browser) test flushed them."""
    from responsibility.models import Column

    if not Column.objects.exists():
        call_command("load_seed", verbosity=0)


@pytest.fixture(autouse=True)
def second_factor_on_force_login(monkeypatch):
    """A test client's `force_login` stands for the whole sign-in a person goes through:
    the password (which `force_login` skips) and the second factor, so the account gets a
    confirmed authenticator and the session is marked verified by it, exactly as
    `django_otp.login` does after a correct code. The sign-in itself, codes and refusals
    are tested in tests/responsibility/test_authentication.py."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session_second_factor_verify(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


def session_second_factor_verify(client, user):
    from django_otp import DEVICE_ID_SESSION_KEY
    from responsibility.models import SealedTOTPDevice

    from responsibility.second_factor import totp_enrol_confirmed

    device = SealedTOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_enrol_confirmed(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def browser_second_factor(page, user):
    """Pass the second-factor page in a browser with a fresh recovery code (a TOTP code
    cannot be used twice within its 30 seconds, and the tests sign in faster than that)."""
    from responsibility.models import SealedTOTPDevice

    from responsibility.second_factor import recovery_codes_issue, totp_enrol_confirmed

    if not SealedTOTPDevice.objects.filter(user=user, confirmed=True).exists():
        totp_enrol_confirmed(user=user)
        page.wait_for_load_state("networkidle")
        page.reload()  # the page offered enrolment; now it asks for a code
    page.get_by_label("验证码").fill(recovery_codes_issue(user=user)[0])
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state("networkidle")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a write as its transaction's commit would: with the on-commit callbacks."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch):
    """Each test starts with an empty cache: no page, rate count or generation of another
    test. A test's transaction never commits, so the page cache's generation is renewed
    when a service asks for it (and again on commit, for tests that run the callbacks);
    a test's first generation knows of no scheduled publication, so that query counts
    are the views' own."""
    from django.core.cache import cache
    from django.db import transaction

    from furong_portal import pagecache

    class RenewNow:
        @staticmethod
        def on_commit(callback, using=None, robust=False):
            callback()
            transaction.on_commit(callback, using=using, robust=robust)

    monkeypatch.setattr(pagecache, "transaction", RenewNow)
    # Every write renews at once, not only the first of the test's transaction.
    monkeypatch.setattr(pagecache, "_renewal_due_at_commit", lambda: False)
    pagecache.process_copies_forget()
    cache.clear()
    cache.set(pagecache.GENERATION_KEY, pagecache.Generation("test", pagecache.NO_SCHEDULE), timeout=None)
    yield
    cache.clear()


@pytest.fixture
def redis_url() -> str:
    """The Redis of the tests that need a real one (`TEST_REDIS_URL`); they are skipped
    where none runs."""
    host, port = TEST_REDIS_URL.split("//", 1)[1].split("/", 1)[0].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        pytest.skip(f"no Redis at {TEST_REDIS_URL}")
    return TEST_REDIS_URL
