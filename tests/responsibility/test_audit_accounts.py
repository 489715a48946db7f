"""Roles from the data migration and the development-only demo accounts."""

import base64
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from responsibility.access import ROLE_DISTRICT_OFFICE, ROLE_EDITOR, ROLE_REVIEWER, is_district_office, unit_of
from responsibility.models import SealedTOTPDevice
from responsibility.second_factor import totp_secret
from tests.disclosure.staff import roles_ready

pytestmark = pytest.mark.django_db


def permissions(role):
    return set(Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename"))


def test_a_fresh_install_has_the_three_roles_with_least_privilege(seed):
    roles_ready()
    editor, reviewer, office = (permissions(role) for role in (ROLE_EDITOR, ROLE_REVIEWER, ROLE_DISTRICT_OFFICE))
    assert {("disclosure", "add_item"), ("disclosure", "change_item")} <= editor
    assert ("disclosure", "review_item") not in editor
    assert ("disclosure", "review_item") in reviewer and ("disclosure", "change_item") not in reviewer
    assert ("responsibility", "change_column") in office
    assert not any(app in ("responsibility", "auth") for app, _ in editor | reviewer)
    # 三权分立: accounts and the audit log are not the district office's.
    assert not {("auth", "change_user"), ("responsibility", "view_auditevent")} & office


def test_demo_accounts_refuse_to_exist_without_debug(seed, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_accounts")
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()


def test_demo_accounts_print_working_passwords_once(seed, settings):
    settings.DEBUG = True
    output = StringIO()
    call_command("create_demo_accounts", stdout=output)
    rows = [line.split() for line in output.getvalue().splitlines() if line.startswith("  demo-")]
    lines = {row[0]: row[1] for row in rows}
    assert set(lines) == {
        "demo-gkb", "demo-sfj-editor", "demo-sfj-reviewer", "demo-czj-editor", "demo-czj-reviewer",
        "demo-jyj-editor", "demo-jyj-reviewer", "demo-sysadmin", "demo-secadmin", "demo-auditor",
    }  # fmt: skip
    editor = authenticate(username="demo-sfj-editor", password=lines["demo-sfj-editor"])
    assert editor is not None and unit_of(editor).name == "区司法局"
    assert is_district_office(authenticate(username="demo-gkb", password=lines["demo-gkb"]))
    # Each prints the TOTP secret of its authenticator: the code it gives opens the back office.
    secrets = {row[0]: row[2] for row in rows}
    device = SealedTOTPDevice.objects.get(user__username="demo-sfj-editor", confirmed=True)
    assert secrets["demo-sfj-editor"] == totp_secret(device)
    client = Client()
    client.post(reverse("admin:login"), {"username": "demo-sfj-editor", "password": lines["demo-sfj-editor"]})
    code = TOTP(base64.b32decode(secrets["demo-sfj-editor"]), device.step, device.t0, device.digits).token()
    client.post(reverse("admin:second_factor"), {"token": f"{code:06d}"})
    assert client.get(reverse("admin:index")).status_code == 200
    again = StringIO()
    call_command("create_demo_accounts", stdout=again)
    assert lines["demo-sfj-editor"] not in again.getvalue() and "密码未改变" in again.getvalue()
