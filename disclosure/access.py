"""Which items a back-office account may see and act on: the one place that scopes
items. The admin's querysets, form choices, actions, import, export and the write
services all ask these functions; none of them re-implements a rule.

Roles come from `responsibility.access` (auth groups and their permissions); the
unit from the account's `StaffProfile`. The district office (区政务公开办) reaches
every unit; anyone else reaches their own unit's items only.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from responsibility.access import columns_writable_by, is_district_office, unit_of
from responsibility.models import Column, Unit
from responsibility.roles import ROLE_REVIEWER

from .models import Item, ItemRevision

EDITABLE_STATES = (Item.State.DRAFT, Item.State.RETURNED)
# A revision by one of these actions makes its author an author of the item.
AUTHORING_ACTIONS = (
    ItemRevision.Action.CREATED,
    ItemRevision.Action.EDITED,
    ItemRevision.Action.IMPORTED,
    ItemRevision.Action.RESTORED,
    ItemRevision.Action.SUBMITTED,
)


def _is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def _unit_items(user) -> QuerySet[Item]:
    """Every item of the user's unit (all units for the district office)."""
    if not _is_staff(user):
        return Item.objects.none()
    if is_district_office(user):
        return Item.objects.all()
    unit = unit_of(user)
    return Item.objects.filter(unit=unit) if unit else Item.objects.none()


def items_visible_to(user) -> QuerySet[Item]:
    """Items the user may see in the back office: their unit's items, except drafts
    other people have not yet submitted (the district office sees everything)."""
    if not user.has_perm("disclosure.view_item"):
        return Item.objects.none()
    items = _unit_items(user)
    if is_district_office(user):
        return items
    return items.filter(~Q(state=Item.State.DRAFT) | Q(created_by=user))


def items_editable_by(user) -> QuerySet[Item]:
    """Items whose content the user may change: drafts and returned items. Once
    submitted the content is frozen for review; published content changes only by
    the district office, which answers for everything on the platform."""
    if not user.has_perm("disclosure.change_item"):
        return Item.objects.none()
    states = EDITABLE_STATES + ((Item.State.PUBLISHED,) if is_district_office(user) else ())
    return items_visible_to(user).filter(state__in=states)


def items_deletable_by(user) -> QuerySet[Item]:
    """Unsubmitted work that never had a 索引号. Published or withdrawn items are
    never deleted: they are withdrawn (撤回) and keep their history."""
    if not user.has_perm("disclosure.delete_item"):
        return Item.objects.none()
    return items_editable_by(user).filter(state__in=EDITABLE_STATES, index_number__isnull=True)


def items_submittable_by(user) -> QuerySet[Item]:
    return items_editable_by(user).filter(state__in=EDITABLE_STATES)


def items_reviewable_by(user) -> QuerySet[Item]:
    """Items awaiting the user's decision: pending ones, and scheduled ones not yet
    due (they can still be returned). Nobody reviews an item they wrote or changed."""
    if not user.has_perm("disclosure.review_item"):
        return Item.objects.none()
    authored = ItemRevision.objects.filter(item=OuterRef("pk"), author=user, action__in=AUTHORING_ACTIONS)
    return (
        _unit_items(user)
        .filter(Q(state=Item.State.PENDING) | Q(state=Item.State.PUBLISHED, published_at__gt=timezone.now()))
        .exclude(created_by=user)
        .exclude(Exists(authored))
    )


def items_withdrawable_by(user) -> QuerySet[Item]:
    if not user.has_perm("disclosure.review_item"):
        return Item.objects.none()
    return _unit_items(user).filter(state=Item.State.PUBLISHED)


def items_validity_changeable_by(user) -> QuerySet[Item]:
    """Published normative documents whose 有效性 the user may mark (国办发〔2017〕47号)."""
    return items_withdrawable_by(user).filter(is_normative=True)


def items_linkable_by(user) -> QuerySet[Item]:
    """Published items the user may point to as interpreted document or successor."""
    return items_visible_to(user).filter(state=Item.State.PUBLISHED)


def items_interpretable_by(user) -> QuerySet[Item]:
    """Items the user may write an interpretation (解读) of: published ones and, because a
    document and its interpretation are drafted and approved together (三同步, 芙政办发〔2020〕13号
    第（十八）条), the unit's documents still being drafted or reviewed."""
    return items_visible_to(user).exclude(state=Item.State.WITHDRAWN).filter(interprets__isnull=True)


def units_assignable_by(user) -> QuerySet[Unit]:
    """Units the user may write items for (发布机构)."""
    if not user.has_perm("disclosure.add_item") and not user.has_perm("disclosure.change_item"):
        return Unit.objects.none()
    if is_district_office(user):
        return Unit.objects.filter(is_active=True)
    unit = unit_of(user)
    return Unit.objects.filter(pk=unit.pk) if unit and _is_staff(user) else Unit.objects.none()


def columns_assignable_by(user) -> QuerySet[Column]:
    """Columns the user may put items in: leaf columns of their unit's duties."""
    if not units_assignable_by(user).exists():
        return Column.objects.none()
    return columns_writable_by(user)


def can_create_items(user) -> bool:
    return user.has_perm("disclosure.add_item") and columns_assignable_by(user).exists()


def revisions_visible_to(user) -> QuerySet[ItemRevision]:
    if not user.has_perm("disclosure.view_itemrevision"):
        return ItemRevision.objects.none()
    return ItemRevision.objects.filter(item__in=items_visible_to(user).values("pk"))


def item_require(allowed: QuerySet[Item], item: Item, message: str) -> None:
    """Raise PermissionDenied (with a message a person understands) unless `item`
    is among `allowed`, one of the querysets above."""
    if item.pk is None or not allowed.filter(pk=item.pk).exists():
        raise PermissionDenied(message)


CAPABILITIES = {
    "edit": items_editable_by,
    "delete": items_deletable_by,
    "submit": items_submittable_by,
    "review": items_reviewable_by,
    "withdraw": items_withdrawable_by,
    "validity": items_validity_changeable_by,
}


def item_capabilities(user, item: Item) -> dict[str, bool]:
    """What the user may do with one item, for the buttons of its admin page."""
    return {name: scope(user).filter(pk=item.pk).exists() for name, scope in CAPABILITIES.items()}


def reviewers_for(item: Item) -> QuerySet:
    """The active 审核员 of the item's unit who did not write it: the people an editor
    waits for, named on the item's page (the district office may also publish)."""
    authors = item.revisions.filter(action__in=AUTHORING_ACTIONS, author__isnull=False).values("author")
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=ROLE_REVIEWER, staff_profile__unit=item.unit_id)
        .exclude(pk__in=authors)
        .order_by("last_name", "first_name", "username")
        .distinct()
    )
