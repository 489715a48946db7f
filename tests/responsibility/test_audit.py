"""The audit log and the login lockout (GB/T 22239-2019): logins, failed logins,
account and role changes are recorded; five failures lock an account for 30 minutes."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from responsibility.access import ROLE_EDITOR, ROLE_REVIEWER
from responsibility.audit import LOCKOUT_DURATION, LOCKOUT_FAILURES, login_locked_until
from responsibility.models import AuditEvent
from tests.disclosure.staff import PASSWORD, UNIT_A, UNIT_B, audit_admin, editor_of, system_admin, unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action


def login(client, username, password=PASSWORD):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


def test_login_and_failed_login_are_recorded_with_address(client, seed):
    editor = editor_of(unit(UNIT_A))
    login(client, editor.username, "wrong-password")
    login(client, editor.username)
    failed, success = AuditEvent.objects.order_by("pk")
    assert (failed.action, failed.outcome, failed.username, failed.actor) == (Action.LOGIN_FAILED, "failure", editor.username, None)
    assert (success.action, success.actor, success.ip_address) == (Action.LOGIN, editor, "127.0.0.1")


def test_five_failures_lock_the_account_even_for_the_right_password(client, seed):
    editor = editor_of(unit(UNIT_A))
    for _ in range(LOCKOUT_FAILURES):
        login(client, editor.username, "wrong-password")
    response = login(client, editor.username)
    assert response.status_code == 200 and "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.LOGIN_BLOCKED, username=editor.username).count() == 1
    # Attempts during the lock neither extend it nor count later.
    assert login_locked_until(editor.username) is not None


def test_the_lock_ends_after_thirty_minutes(client, seed):
    editor = editor_of(unit(UNIT_A))
    for _ in range(LOCKOUT_FAILURES):
        login(client, editor.username, "wrong-password")
    later = timezone.now() + LOCKOUT_DURATION + timedelta(seconds=1)
    assert login_locked_until(editor.username, now=later) is None
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = login(client, editor.username)
    assert response.status_code == 302


def test_four_failures_and_a_success_do_not_lock(client, seed):
    editor = editor_of(unit(UNIT_A))
    for _ in range(LOCKOUT_FAILURES - 1):
        login(client, editor.username, "wrong-password")
    assert login(client, editor.username).status_code == 302
    client.logout()
    login(client, editor.username, "wrong-password")
    assert login_locked_until(editor.username) is None


def test_role_and_unit_changes_are_recorded_old_and_new(client, seed):
    office = system_admin()
    account = editor_of(unit(UNIT_A), "changing")
    client.force_login(office)
    profile = account.staff_profile
    data = {
        "username": account.username, "first_name": "", "last_name": "", "email": "",
        "is_active": "on", "is_staff": "on", "groups": [str(Group.objects.get(name=ROLE_REVIEWER).pk)],
        "staff_profile-TOTAL_FORMS": "1", "staff_profile-INITIAL_FORMS": "1",
        "staff_profile-MIN_NUM_FORMS": "0", "staff_profile-MAX_NUM_FORMS": "1",
        "staff_profile-0-id": str(profile.pk), "staff_profile-0-user": str(account.pk),
        "staff_profile-0-unit": str(unit(UNIT_B).pk), "staff_profile-0-phone": "",
    }  # fmt: skip
    response = client.post(reverse("admin:auth_user_change", args=(account.pk,)), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action=Action.ACCOUNT_CHANGED)
    assert event.actor == office and event.target_id == str(account.pk)
    assert event.detail["groups"] == [[ROLE_EDITOR], [ROLE_REVIEWER]]
    assert event.detail["unit"] == [UNIT_A, UNIT_B]


def test_password_change_by_the_system_administrator_is_recorded(client, seed):
    account = editor_of(unit(UNIT_A), "forgetful")
    client.force_login(system_admin())
    client.post(
        reverse("admin:auth_user_password_change", args=(account.pk,)),
        {"password1": "Furong-new-pass-2020", "password2": "Furong-new-pass-2020", "usable_password": "true"},
    )
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED, target_id=str(account.pk)).exists()


def test_publications_appear_in_the_audit_log_filter_and_export(client, seed):
    office = audit_admin()
    editor = editor_of(unit(UNIT_A))
    login(client, editor.username, "wrong-password")
    client.force_login(office)
    listing = reverse("admin:responsibility_auditevent_changelist")
    page = client.get(listing, {"action__exact": Action.LOGIN_FAILED}).content.decode()
    assert editor.username in page
    response = client.post(
        reverse("admin:responsibility_auditevent_export") + f"?action__exact={Action.LOGIN_FAILED}",
        {"format": "0", "resource": "0", **{f"auditeventresource_{name}": "on" for name in ("created_at", "username", "action", "outcome")}},
    )
    content = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert content.splitlines()[0] == "时间,用户名,事件,结果" and "登录失败" in content and editor.username in content
    assert AuditEvent.objects.filter(action=Action.DATA_EXPORTED, actor=office).exists()


def test_the_audit_log_cannot_be_changed_or_deleted_through_the_admin(client, seed):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    event = AuditEvent.objects.create(action=Action.LOGIN, username="someone")
    change = reverse("admin:responsibility_auditevent_change", args=(event.pk,))
    assert 'name="username"' not in client.get(change).content.decode()
    client.post(change, {"username": "forged"})
    client.post(reverse("admin:responsibility_auditevent_delete", args=(event.pk,)), {"post": "yes"})
    assert AuditEvent.objects.get(pk=event.pk).username == "someone"
