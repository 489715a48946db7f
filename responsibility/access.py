"""Who may act for which unit. Every app scopes its back-office querysets through here.

Roles are auth groups declared in `responsibility.roles`; the unit comes from `StaffProfile`."""

from django.db.models import QuerySet

from .models import Column, Unit
from .roles import ROLE_DISTRICT_OFFICE, ROLE_EDITOR, ROLE_REVIEWER  # noqa: F401 (the names every app imports from here)


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
