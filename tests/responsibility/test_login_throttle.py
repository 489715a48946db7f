"""Login throttling per address as well as per account: an attacker is stopped, a stranger
cannot keep staff out, and the 安全管理员 can lift a lock."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from responsibility.audit import ACCOUNT_LOCKOUT_FAILURES, LOCKOUT_FAILURES, login_locked_until
from responsibility.models import AuditEvent
from tests.disclosure.staff import PASSWORD, UNIT_A, UNIT_B, editor_of, security_admin, unit

pytestmark = pytest.mark.django_db

ATTACKER, OFFICE_PC = "203.0.113.66", "192.0.2.10"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, username, password=PASSWORD, address=OFFICE_PC):
    client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address)
    logged_in = "_auth_user_id" in client.session
    client.logout()
    return logged_in


@override_settings(RATE_LIMITS={"login_failures_per_ip": (20, 900)})
def test_an_address_with_many_failures_cannot_log_in_to_any_other_account(client, seed):
    victim = editor_of(unit(UNIT_B))
    for number in range(100):
        login(client, f"guess-{number}", "wrong", address=ATTACKER)
    assert not login(client, victim.username, address=ATTACKER)
    assert login(client, victim.username, address=OFFICE_PC)


def test_failures_from_a_strangers_address_do_not_lock_out_the_staff_member(client, seed):
    editor = editor_of(unit(UNIT_A))
    for _ in range(LOCKOUT_FAILURES + 2):
        login(client, editor.username, "wrong", address=ATTACKER)
    assert not login(client, editor.username, address=ATTACKER)  # the attacker is locked out
    assert login(client, editor.username, address=OFFICE_PC)


def test_failures_from_many_addresses_lock_the_account_everywhere_until_the_security_administrator_unlocks(client, seed):
    editor = editor_of(unit(UNIT_A))
    for number in range(ACCOUNT_LOCKOUT_FAILURES):
        login(client, editor.username, "wrong", address=f"198.51.100.{number}")
    assert login_locked_until(editor.username, ip=OFFICE_PC) is not None
    assert not login(client, editor.username, address=OFFICE_PC)

    client.force_login(security_admin())
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "account_unlock", "_selected_action": [editor.pk]}
    )
    assert response.status_code == 302
    client.logout()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_UNLOCKED, target_id=str(editor.pk)).exists()
    assert login(client, editor.username, address=OFFICE_PC)


def test_a_unit_editor_cannot_unlock_accounts(client, seed):
    editor, other = editor_of(unit(UNIT_A)), editor_of(unit(UNIT_B))
    client.force_login(editor)
    client.post(reverse("admin:auth_user_changelist"), {"action": "account_unlock", "_selected_action": [other.pk]})
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_UNLOCKED).exists()
