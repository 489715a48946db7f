"""The back-office roles and everything each may do: the one declaration of role grants.

`manage.py sync_roles` restores these grants, the tests build their staff from them, and
a change here comes with a data migration that freezes its own copy of the changed grants
(migrations never import this module: see `responsibility/migrations/0003_roles.py`,
`tasks/migrations/0003_role_permissions.py`, `requests/migrations/0002_role_permissions.py`,
`checks/migrations/0003_role_permissions.py`).
`tests/responsibility/test_roles.py` checks that a freshly migrated database holds exactly
these grants, so a declaration without its migration fails the suite.

Least privilege (GB/T 22239-2019): an editor writes drafts, a reviewer approves them, the
district office administers. Which *objects* a permission reaches is decided by the scoping
functions (`responsibility.access`, `disclosure.access`, `tasks.access`,
`disclosure.requests.selectors`), not by the permission. `disclosure.review_item` (a custom
permission of `Item`) covers publish, schedule, return, withdraw and change of validity.

To add a role: a constant, an entry in `ROLE_GRANTS`, and a migration granting it."""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

ROLE_EDITOR = "信息员"
ROLE_REVIEWER = "审核员"
ROLE_DISTRICT_OFFICE = "区政务公开办"
# 三权分立 (GB/T 22239-2019 8.1.4.2 and 8.1.10.4, 集中管控): accounts and configuration,
# security policy, and the audit log are three separate administrators, none of whom
# writes content; an account holds at most one of them and then no other role
# (`role_conflict`).
ROLE_SYSTEM_ADMIN = "系统管理员"
ROLE_SECURITY_ADMIN = "安全管理员"
ROLE_AUDIT_ADMIN = "审计管理员"
ADMIN_ROLES = (ROLE_SYSTEM_ADMIN, ROLE_SECURITY_ADMIN, ROLE_AUDIT_ADMIN)

CRUD = ("view", "add", "change", "delete")

# What every unit's staff may do on work-point tasks and requests (信息员 and 审核员 alike).
_UNIT_TASKS = {
    "tasks.task": ("view",),
    "tasks.progressreport": ("view", "add"),
    "tasks.evidencefile": ("view", "add"),
    "tasks.taskreview": ("view",),
}
_UNIT_REQUESTS = {
    "requests.informationrequest": ("view", "add", "change"),
    "requests.requestevent": ("view",),
    "requests.consultation": ("view",),
    "requests.holidaycalendarday": ("view",),
}

# The annual report (disclosure.reports): units write their returns, cases and report drafts;
# reviewing a report is `disclosure.review_item` (the same four eyes as items).
_UNIT_REPORTS = {
    "reports.unitreturn": ("view", "add", "change"),
    "reports.appealcase": ("view", "add", "change"),
    "reports.annualreport": ("view", "add", "change"),
}

# role → {"app_label.model": actions}; a permission's codename is f"{action}_{model}".
ROLE_GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    ROLE_EDITOR: {
        "disclosure.item": CRUD,
        "disclosure.attachment": CRUD,
        "disclosure.itemrevision": ("view",),
        "consultations.consultation": ("view", "add", "change"),
        "consultations.consultationattachment": ("view", "add"),
        "consultations.comment": ("view", "change"),
        **_UNIT_TASKS,
        **_UNIT_REQUESTS,
        **_UNIT_REPORTS,
    },
    ROLE_REVIEWER: {
        "disclosure.item": ("view", "review"),
        "disclosure.attachment": ("view",),
        "disclosure.itemrevision": ("view",),
        "consultations.consultation": ("view", "review"),
        "consultations.consultationattachment": ("view",),
        "consultations.comment": ("view", "change"),
        **_UNIT_TASKS,
        **_UNIT_REQUESTS,
        "reports.unitreturn": ("view",),
        "reports.appealcase": ("view",),
        "reports.annualreport": ("view",),
    },
    ROLE_DISTRICT_OFFICE: {
        "disclosure.item": (*CRUD, "review"),
        "disclosure.attachment": CRUD,
        "disclosure.itemrevision": ("view",),
        "disclosure.indexsequence": ("view",),
        "interpretations.interpretationexemption": ("view", "add"),
        "interpretations.uninterpreteddocument": ("view",),
        "topics.topic": CRUD,
        "topics.topicsection": CRUD,
        "topics.topicrule": CRUD,
        "topics.topicentry": ("view", "add", "change"),
        "consultations.consultation": ("view", "add", "change", "review"),
        "consultations.consultationattachment": ("view", "add"),
        "consultations.comment": ("view", "change"),
        "evaluations.evaluation": ("view",),
        "evaluations.sectionscore": ("view",),
        "responsibility.unit": CRUD,
        "responsibility.collective": CRUD,
        "responsibility.alias": CRUD,
        "responsibility.column": CRUD,
        "responsibility.duty": CRUD,
        # 国办发〔2019〕54号: the government office compiles and keeps the 标准目录.
        "catalogue.catalogueentry": CRUD,
        "tasks.plandocument": CRUD,
        "tasks.section": CRUD,
        "tasks.workpoint": CRUD,
        "tasks.workpointparty": CRUD,
        "tasks.task": ("view", "change"),
        "tasks.progressreport": ("view",),
        "tasks.evidencefile": ("view",),
        "tasks.taskreview": ("view", "add"),
        "tasks.workpointsetting": ("view", "change"),
        "tasks.reminder": ("view",),
        **_UNIT_REQUESTS,
        "requests.holidaycalendarday": CRUD,
        "checks.sensitiveterm": CRUD,
        "checks.checkpolicy": ("view", "change"),
        "checks.checkrun": ("view",),
        "checks.linkstatus": ("view",),
        "reports.unitreturn": ("view", "add", "change"),
        "reports.appealcase": CRUD,
        "reports.annualreport": ("view", "add", "change"),
    },
    # Accounts (deactivated, never deleted: their history points at them), their unit
    # and roles; no content, no audit log.
    ROLE_SYSTEM_ADMIN: {
        "auth.user": ("view", "add", "change"),
        "auth.group": ("view",),
        "responsibility.staffprofile": CRUD,
        "responsibility.accountsecurity": ("view",),
    },
    # Security policy on accounts: password state, lockouts, second-factor resets.
    ROLE_SECURITY_ADMIN: {
        "auth.user": ("view",),
        "responsibility.accountsecurity": ("view", "change"),
    },
    # Reads and exports the audit log; changes nothing.
    ROLE_AUDIT_ADMIN: {
        "responsibility.auditevent": ("view",),
    },
}
ROLES = tuple(ROLE_GRANTS)


def role_permissions(role: str) -> set[tuple[str, str]]:
    """{(app_label, codename)} the declaration grants `role`."""
    return {
        (model_label.split(".")[0], f"{action}_{model_label.split('.')[1]}")
        for model_label, actions in ROLE_GRANTS[role].items()
        for action in actions
    }


def role_conflict(role_names) -> str:
    """Why this set of roles may not be held by one account ("" if it may)."""
    held = [role for role in ADMIN_ROLES if role in role_names]
    if len(held) > 1:
        return f"三权分立：同一账号不得同时担任{'和'.join(held)}。"
    others = sorted(set(role_names) - set(held))
    if held and others:
        return f"三权分立：{held[0]}账号不得同时担任其他角色（{'、'.join(others)}）。"
    return ""


@dataclass
class RoleSync:
    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)


@transaction.atomic
def roles_sync(*, prune: bool = False) -> RoleSync:
    """Create missing role groups and give each every permission `ROLE_GRANTS` declares.
    With `prune`, also take away what the declaration does not grant (a superuser's
    changes in the admin); without it, extra grants stay. Safe to run again at any time."""
    from django.contrib.auth.models import Group, Permission

    for app_label in {label.split(".")[0] for grants in ROLE_GRANTS.values() for label in grants}:
        create_permissions(apps.get_app_config(app_label), verbosity=0)
    by_key = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    result = RoleSync()
    for role in ROLES:
        wanted = role_permissions(role)
        missing = wanted - by_key.keys()
        if missing:
            raise ImproperlyConfigured(f"角色“{role}”声明了不存在的权限：{sorted(missing)}")
        group, _ = Group.objects.get_or_create(name=role)
        current = {
            (app_label, codename): pk
            for pk, app_label, codename in group.permissions.values_list("pk", "content_type__app_label", "codename")
        }
        added = sorted(wanted - current.keys())
        group.permissions.add(*(by_key[key] for key in added))
        if added:
            result.added[role] = [f"{app_label}.{codename}" for app_label, codename in added]
        if prune:
            extra = sorted(current.keys() - wanted)
            group.permissions.remove(*(current[key] for key in extra))
            if extra:
                result.removed[role] = [f"{app_label}.{codename}" for app_label, codename in extra]
    return result
