"""Who may act for which unit. Every app scopes its back-office querysets through here.

Roles are auth groups created by a data migration; the unit comes from `StaffProfile`."""

from django.db.models import QuerySet

from .models import Column, Unit

ROLE_EDITOR = "信息员"
ROLE_REVIEWER = "审核员"
ROLE_DISTRICT_OFFICE = "区政务公开办"


def _group_names(user) -> set[str]:
    if not hasattr(user, "_furong_group_names"):
        user._furong_group_names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._furong_group_names


def is_district_office(user) -> bool:
    return user.is_active and (user.is_superuser or ROLE_DISTRICT_OFFICE in _group_names(user))


def is_editor(user) -> bool:
    return user.is_active and ROLE_EDITOR in _group_names(user)


def is_reviewer(user) -> bool:
    return user.is_active and ROLE_REVIEWER in _group_names(user)


def unit_of(user) -> Unit | None:
    """The unit a staff account acts for, or None (district office, public, no profile)."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.unit if profile else None


def units_visible_to(user) -> QuerySet[Unit]:
    if is_district_office(user):
        return Unit.objects.all()
    unit = unit_of(user)
    return Unit.objects.filter(pk=unit.pk) if unit else Unit.objects.none()


def columns_writable_by(user) -> QuerySet[Column]:
    """Leaf columns where the user's unit holds a duty, directly or through a collective."""
    if is_district_office(user):
        return Column.objects.leaves()
    unit = unit_of(user)
    if unit is None:
        return Column.objects.none()
    return Column.objects.leaves().responsible_unit(unit)


# --- Role definitions ------------------------------------------------------------
#
# Least privilege (GB/T 22239-2019): an editor writes drafts, a reviewer approves
# them, the district office administers. Which *objects* a permission reaches is
# decided by the scoping functions (here and in `disclosure.access`), not by the
# permission itself. `disclosure.review_item` is a custom permission: publish,
# schedule, return, withdraw and change validity.

ROLE_PERMISSIONS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    ROLE_EDITOR: (
        ("disclosure", "item", ("view", "add", "change", "delete")),
        ("disclosure", "attachment", ("view", "add", "change", "delete")),
        ("disclosure", "itemrevision", ("view",)),
    ),
    ROLE_REVIEWER: (
        ("disclosure", "item", ("view", "review")),
        ("disclosure", "attachment", ("view",)),
        ("disclosure", "itemrevision", ("view",)),
    ),
    ROLE_DISTRICT_OFFICE: (
        ("disclosure", "item", ("view", "add", "change", "delete", "review")),
        ("disclosure", "attachment", ("view", "add", "change", "delete")),
        ("disclosure", "itemrevision", ("view",)),
        ("disclosure", "indexsequence", ("view",)),
        ("responsibility", "unit", ("view", "add", "change", "delete")),
        ("responsibility", "collective", ("view", "add", "change", "delete")),
        ("responsibility", "alias", ("view", "add", "change", "delete")),
        ("responsibility", "column", ("view", "add", "change", "delete")),
        ("responsibility", "duty", ("view", "add", "change", "delete")),
        ("responsibility", "staffprofile", ("view", "add", "change", "delete")),
        ("responsibility", "auditevent", ("view",)),
        ("tasks", "plandocument", ("view", "add", "change", "delete")),
        ("tasks", "section", ("view", "add", "change", "delete")),
        ("tasks", "workpoint", ("view", "add", "change", "delete")),
        ("tasks", "workpointparty", ("view", "add", "change", "delete")),
        # Accounts are deactivated, never deleted: their history points at them.
        ("auth", "user", ("view", "add", "change")),
        ("auth", "group", ("view",)),
    ),
}
ROLES = tuple(ROLE_PERMISSIONS)
CUSTOM_PERMISSION_NAMES = {("disclosure", "review_item"): "Can review 政府信息（审核、发布、退回、撤回）"}


def roles_sync(*, apps=None) -> None:
    """Create the role groups if missing and grant them the permissions above.

    Permissions are added, never replaced: other apps' migrations grant their own
    to the same groups (e.g. `tasks`). Runs from the data migration (with the
    historical `apps`) and may be run again (`manage.py sync_roles`) after a flushed
    test database or a change of this table. Content types and permissions are
    created when missing, because on a fresh install they would otherwise only
    appear after the last migration."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for role, grants in ROLE_PERMISSIONS.items():
        permissions = []
        for app_label, model, actions in grants:
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            verbose_name = apps.get_model(app_label, model)._meta.verbose_name_raw
            for action in actions:
                codename = f"{action}_{model}"
                # The name Django's own post-migrate step would give it.
                name = CUSTOM_PERMISSION_NAMES.get((app_label, codename), f"Can {action} {verbose_name}")
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type, codename=codename, defaults={"name": name}
                )
                permissions.append(permission)
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*permissions)


def roles_remove(*, apps=None) -> None:
    from django.apps import apps as global_apps

    apps = apps or global_apps
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


def can_administer(user) -> bool:
    """Units, columns, duties, collectives, aliases, accounts and the audit log
    belong to the district office (区政务公开办) alone."""
    return is_district_office(user)


def users_manageable_by(user):
    """Accounts the user may see and change in the back office. Only a superuser
    sees or touches superuser accounts, so the district office cannot raise itself."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if not is_district_office(user):
        return users.none()
    return users if user.is_superuser else users.filter(is_superuser=False)
