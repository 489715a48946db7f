"""三权分立 (GB/T 22239-2019 8.1.4.2): the 系统管理员 administers accounts, the 安全管理员
their security, the 审计管理员 the audit log; none reaches the others' work or content,
and no account holds two of the roles. Every role tries what it must not do."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.checks import run_checks
from django.urls import reverse
from django.utils import timezone

from responsibility.audit import LOCKOUT_FAILURES, login_locked_until
from responsibility.models import AccountSecurity, AuditEvent
from responsibility.roles import (
    ROLE_AUDIT_ADMIN,
    ROLE_EDITOR,
    ROLE_SECURITY_ADMIN,
    ROLE_SYSTEM_ADMIN,
    role_conflict,
)
from tests.disclosure.staff import (
    UNIT_A,
    audit_admin,
    district_officer,
    editor_of,
    security_admin,
    system_admin,
    unit,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USERS = reverse("admin:auth_user_changelist")
AUDIT = reverse("admin:responsibility_auditevent_changelist")
ITEMS = reverse("admin:disclosure_item_changelist")


def change_roles(client, account, roles):
    profile = account.staff_profile
    data = {
        "username": account.username, "first_name": "", "last_name": "", "email": "",
        "is_active": "on", "is_staff": "on",
        "groups": [str(pk) for pk in Group.objects.filter(name__in=roles).values_list("pk", flat=True)],
        "staff_profile-TOTAL_FORMS": "1", "staff_profile-INITIAL_FORMS": "1",
        "staff_profile-MIN_NUM_FORMS": "0", "staff_profile-MAX_NUM_FORMS": "1",
        "staff_profile-0-id": str(profile.pk), "staff_profile-0-user": str(account.pk),
        "staff_profile-0-unit": "", "staff_profile-0-phone": "",
    }  # fmt: skip
    return client.post(reverse("admin:auth_user_change", args=(account.pk,)), data)


@pytest.mark.parametrize(
    "roles",
    [
        (ROLE_SYSTEM_ADMIN, ROLE_SECURITY_ADMIN),
        (ROLE_SYSTEM_ADMIN, ROLE_AUDIT_ADMIN),
        (ROLE_SECURITY_ADMIN, ROLE_AUDIT_ADMIN),
        (ROLE_AUDIT_ADMIN, ROLE_EDITOR),
    ],
)
def test_one_account_cannot_hold_two_of_the_roles(client, seed, roles):
    client.force_login(system_admin())
    account = audit_admin("colleague")
    response = change_roles(client, account, roles)
    assert response.status_code == 200 and "三权分立" in response.content.decode()
    assert set(account.groups.values_list("name", flat=True)) == {ROLE_AUDIT_ADMIN}


def test_one_administrator_role_alone_is_accepted(client, seed):
    client.force_login(system_admin())
    account = audit_admin("colleague")
    assert change_roles(client, account, (ROLE_SECURITY_ADMIN,)).status_code == 302
    assert set(account.groups.values_list("name", flat=True)) == {ROLE_SECURITY_ADMIN}
    assert role_conflict({ROLE_SECURITY_ADMIN}) == ""


def test_the_system_administrator_reads_no_audit_log_and_no_content(client, seed):
    client.force_login(system_admin())
    assert client.get(USERS).status_code == 200
    assert client.get(AUDIT).status_code == 403
    assert client.get(ITEMS).status_code == 403


def test_the_audit_administrator_reads_the_log_and_nothing_else(client, seed):
    client.force_login(audit_admin())
    assert client.get(AUDIT).status_code == 200
    assert client.get(USERS).status_code == 403
    assert client.get(ITEMS).status_code == 403
    assert client.get(reverse("admin:responsibility_unit_changelist")).status_code == 403


def test_the_district_office_no_longer_manages_accounts_or_reads_the_audit_log(client, seed):
    client.force_login(district_officer())
    assert client.get(ITEMS).status_code == 200
    assert client.get(USERS).status_code == 403
    assert client.get(AUDIT).status_code == 403


def test_the_security_administrator_sees_accounts_but_cannot_change_them(client, seed):
    client.force_login(security_admin())
    account = editor_of(unit(UNIT_A))
    assert client.get(USERS).status_code == 200
    assert change_roles(client, account, (ROLE_SECURITY_ADMIN,)).status_code == 403
    assert client.get(reverse("admin:auth_user_add")).status_code == 403
    assert client.get(AUDIT).status_code == 403


def test_only_the_security_administrator_is_offered_the_security_actions(client, seed):
    client.force_login(system_admin())
    assert client.get(USERS).context["action_form"] is None  # no action at all
    assert client.post(USERS, {"action": "second_factor_reset", "_selected_action": ["1"]}).status_code == 200
    client.force_login(security_admin())
    actions = client.get(USERS).context["action_form"].fields["action"].choices
    assert {"second_factor_reset", "account_unlock", "password_change_demand"} <= set(dict(actions))


def test_the_security_administrator_lifts_a_lockout(client, seed):
    account = editor_of(unit(UNIT_A))
    for _ in range(LOCKOUT_FAILURES):
        client.post(reverse("admin:login"), {"username": account.username, "password": "wrong", "next": "/admin/"})
    assert login_locked_until(account.username)
    officer = security_admin()
    client.force_login(officer)
    client.post(USERS, {"action": "account_unlock", "_selected_action": [account.pk]})
    assert login_locked_until(account.username) is None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_UNLOCKED, actor=officer).exists()


def test_the_security_administrator_demands_a_password_change(client, seed):
    account = editor_of(unit(UNIT_A))
    client.force_login(security_admin())
    client.post(USERS, {"action": "password_change_demand", "_selected_action": [account.pk]})
    assert AccountSecurity.objects.get(user=account).must_change_password


def test_deploy_checks_warn_of_a_superuser_in_daily_use_and_of_merged_roles(seed):
    UserFactory(username="root", is_superuser=True, is_staff=True, last_login=timezone.now() - timedelta(days=2))
    both = system_admin("both")
    both.groups.add(Group.objects.get(name=ROLE_AUDIT_ADMIN))
    ids = {message.id for message in run_checks(include_deployment_checks=True, tags=["security"])}
    assert {"furong.W001", "furong.W002"} <= ids


def test_deploy_checks_are_quiet_when_the_superuser_rests(seed):
    UserFactory(username="root", is_superuser=True, is_staff=True, last_login=timezone.now() - timedelta(days=400))
    system_admin()
    ids = {message.id for message in run_checks(include_deployment_checks=True, tags=["security"])}
    assert not {"furong.W001", "furong.W002"} & ids
