"""Roles from the data migration and the development-only demo accounts."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from responsibility.access import ROLE_DISTRICT_OFFICE, ROLE_EDITOR, ROLE_REVIEWER, is_district_office, unit_of
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
    assert {("responsibility", "change_column"), ("auth", "change_user"), ("responsibility", "view_auditevent")} <= office
    assert not any(app in ("responsibility", "auth") for app, _ in editor | reviewer)
    assert ("responsibility", "delete_auditevent") not in office and ("auth", "delete_user") not in office


def test_demo_accounts_refuse_to_exist_without_debug(seed, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_accounts")
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()


def test_demo_accounts_print_working_passwords_once(seed, settings):
    settings.DEBUG = True
    output = StringIO()
    call_command("create_demo_accounts", stdout=output)
    lines = {line.split()[0]: line.split()[1] for line in output.getvalue().splitlines() if line.startswith("  demo-")}
    assert set(lines) == {
        "demo-gkb", "demo-sfj-editor", "demo-sfj-reviewer", "demo-czj-editor", "demo-czj-reviewer",
        "demo-jyj-editor", "demo-jyj-reviewer",
    }  # fmt: skip
    editor = authenticate(username="demo-sfj-editor", password=lines["demo-sfj-editor"])
    assert editor is not None and unit_of(editor).name == "区司法局"
    assert is_district_office(authenticate(username="demo-gkb", password=lines["demo-gkb"]))
    again = StringIO()
    call_command("create_demo_accounts", stdout=again)
    assert lines["demo-sfj-editor"] not in again.getvalue() and "密码未改变" in again.getvalue()
