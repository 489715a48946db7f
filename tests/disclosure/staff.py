"""Back-office accounts for the permission tests: a unit's 信息员 and 审核员 and the
区政务公开办, made the way the district office makes them (role group + profile)."""

from django.contrib.auth.models import Group
from django.utils import timezone

from disclosure.models import Item
from responsibility.roles import (
    ROLE_AUDIT_ADMIN,
    ROLE_DISTRICT_OFFICE,
    ROLE_EDITOR,
    ROLE_REVIEWER,
    ROLE_SECURITY_ADMIN,
    ROLE_SYSTEM_ADMIN,
    ROLES,
    roles_sync,
)
from responsibility.models import Column, StaffProfile, Unit
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
# Two real units of the seed with a column each that only they answer for.
UNIT_A, COLUMN_A = "区司法局", "3-1"  # 履职依据
UNIT_B, COLUMN_B = "区财政局", "3-7"  # 决算预算


def roles_ready() -> None:
    """The role groups, recreated if a transactional test flushed them."""
    if Group.objects.filter(name__in=ROLES).count() != len(ROLES):
        roles_sync()


def staff_user(username: str, *, unit: Unit | None, roles: tuple[str, ...]):
    roles_ready()
    user = UserFactory(username=username, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=roles))
    StaffProfile.objects.update_or_create(user=user, defaults={"unit": unit})
    return user


def editor_of(unit: Unit, username: str = ""):
    return staff_user(username or f"editor-{unit.pk}", unit=unit, roles=(ROLE_EDITOR,))


def reviewer_of(unit: Unit, username: str = ""):
    return staff_user(username or f"reviewer-{unit.pk}", unit=unit, roles=(ROLE_REVIEWER,))


def district_officer(username: str = "office"):
    return staff_user(username, unit=None, roles=(ROLE_DISTRICT_OFFICE,))


def system_admin(username: str = "sysadmin"):
    return staff_user(username, unit=None, roles=(ROLE_SYSTEM_ADMIN,))


def security_admin(username: str = "secadmin"):
    return staff_user(username, unit=None, roles=(ROLE_SECURITY_ADMIN,))


def audit_admin(username: str = "auditor"):
    return staff_user(username, unit=None, roles=(ROLE_AUDIT_ADMIN,))


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def column(slug: str) -> Column:
    return Column.objects.get(slug=slug)


def published_item(*, unit: Unit, column: Column, title: str = "已发布的信息", **fields) -> Item:
    """A published item made directly (the services are what the tests exercise)."""
    item = Item.objects.create(
        unit=unit, column=column, title=title, state=Item.State.PUBLISHED,
        published_at=fields.pop("published_at", timezone.now()),
        index_number=fields.pop("index_number", f"T{unit.pk}/2020-{Item.objects.count() + 1:05d}"),
        **fields,
    )  # fmt: skip
    return item


def exempted(document: Item) -> Item:
    """`document` with the district office's 三同步 exemption recorded, so that it may be
    published without an interpretation (tests about other rules)."""
    from disclosure.interpretations.models import InterpretationExemption

    officer = district_officer("exempting-office")
    InterpretationExemption.objects.create(document=document, reason="测试：不需解读", granted_by=officer)
    return document
