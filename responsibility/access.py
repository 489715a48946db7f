"""Who may act for which unit. Every app scopes its back-office querysets through here.

Roles are auth groups declared in `responsibility.roles`; the unit comes from `StaffProfile`."""

from django.db.models import QuerySet

from .models import Column, Unit
from .roles import (  # noqa: F401 (the names every app imports from here)
    ROLE_AUDIT_ADMIN,
    ROLE_DISTRICT_OFFICE,
    ROLE_EDITOR,
    ROLE_REVIEWER,
    ROLE_SECURITY_ADMIN,
    ROLE_SYSTEM_ADMIN,
)


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


def is_unit_staff(user) -> bool:
    """The one definition of a unit's staff: an active back-office account with a unit,
    acting as its 信息员 or 审核员."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and unit_of(user) is not None
        and (is_editor(user) or is_reviewer(user))
    )


def unit_staff(unit: Unit):
    """The accounts `is_unit_staff` holds for, acting for `unit`."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, staff_profile__unit=unit, groups__name__in=(ROLE_EDITOR, ROLE_REVIEWER))
        .distinct()
    )


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


def can_administer(user) -> bool:
    """Units, columns, duties, collectives and aliases belong to the district office
    (区政务公开办) alone."""
    return is_district_office(user)


# --- 三权分立: the three administrators (GB/T 22239-2019 8.1.4.2) ----------------------
# A superuser passes every check; it is for emergencies (`check --deploy` warns when used).


def _holds(user, role: str) -> bool:
    return user.is_active and (user.is_superuser or role in _group_names(user))


def can_manage_accounts(user) -> bool:
    """Accounts, their unit and roles: the 系统管理员."""
    return _holds(user, ROLE_SYSTEM_ADMIN)


def can_manage_security(user) -> bool:
    """Password state, lockouts and second-factor resets of accounts: the 安全管理员."""
    return _holds(user, ROLE_SECURITY_ADMIN)


def can_read_audit_log(user) -> bool:
    """Reading and exporting the audit log: the 审计管理员."""
    return _holds(user, ROLE_AUDIT_ADMIN)


def users_manageable_by(user):
    """Accounts the user may see in the back office (the system and the security
    administrator). Only a superuser sees or touches superuser accounts, so no
    administrator can raise itself."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if not (can_manage_accounts(user) or can_manage_security(user)):
        return users.none()
    return users if user.is_superuser else users.filter(is_superuser=False)
