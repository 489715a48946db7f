"""The one role declaration (`responsibility.roles`): the migrations grant exactly it,
`sync_roles` restores it in full, and no migration imports live code to do so."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from responsibility.roles import ROLE_EDITOR, ROLES, role_permissions
from tests.conftest import MIGRATED_ROLE_GRANTS

pytestmark = pytest.mark.django_db


def grants_of(role: str) -> set[tuple[str, str]]:
    return set(Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename"))


@pytest.mark.parametrize("role", ROLES)
def test_the_migrations_grant_each_role_exactly_the_declaration(role):
    # Needs a database made by the migrations in this run (--create-db), as in CI.
    assert MIGRATED_ROLE_GRANTS[role] == role_permissions(role)


def test_sync_roles_restores_every_grant_after_the_groups_are_deleted():
    Group.objects.filter(name__in=ROLES).delete()
    call_command("sync_roles", verbosity=0)
    for role in ROLES:
        assert grants_of(role) == role_permissions(role)
    # The defect: 信息员 had none of its task and request permissions.
    assert {("tasks", "add_progressreport"), ("requests", "change_informationrequest")} <= grants_of(ROLE_EDITOR)


def test_sync_roles_adds_back_a_removed_grant_and_keeps_extra_ones_unless_pruned():
    editor = Group.objects.get(name=ROLE_EDITOR)
    editor.permissions.remove(Permission.objects.get(codename="add_progressreport"))
    extra = Permission.objects.get(codename="view_reminder")
    editor.permissions.add(extra)
    call_command("sync_roles", verbosity=0)
    assert grants_of(ROLE_EDITOR) == role_permissions(ROLE_EDITOR) | {("tasks", "view_reminder")}
    call_command("sync_roles", "--prune", verbosity=0)
    assert grants_of(ROLE_EDITOR) == role_permissions(ROLE_EDITOR)


def test_no_migration_imports_the_projects_live_code():
    project_packages = ("responsibility", "disclosure", "tasks", "furong_portal")
    offenders = []
    for migration in Path(settings.BASE_DIR).glob("*/**/migrations/0*.py"):
        for line in migration.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("from ") and line.split()[1].split(".")[0] in project_packages:
                offenders.append(f"{migration.name}: {line.strip()}")
    assert offenders == []
