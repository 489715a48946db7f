"""What the admin start page shows a staff account: its unit's columns with their
last update and item count, its drafts, items awaiting its review, items returned."""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from responsibility.access import columns_writable_by, is_district_office, unit_of
from responsibility.models import Column

from . import access
from .models import Item

LIST_LIMIT = 20


@dataclass
class Dashboard:
    unit: object = None
    columns: list = field(default_factory=list)
    drafts: list = field(default_factory=list)
    awaiting_review: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    scheduled: list = field(default_factory=list)


def staff_dashboard(user) -> Dashboard | None:
    """None for an account that has nothing to do with items."""
    if not user.has_perm("disclosure.view_item"):
        return None
    now = timezone.now()
    unit = unit_of(user)
    visible = access.items_visible_to(user).select_related("column", "unit").defer("body", "search_text")
    board = Dashboard(unit=unit)
    if unit is not None and not is_district_office(user):
        live = Q(items__unit=unit, items__state=Item.State.PUBLISHED, items__published_at__lte=now)
        columns = (
            Column.objects.filter(pk__in=columns_writable_by(user).values("pk"))
            .select_related("parent__parent")
            .annotate(item_count=Count("items", filter=live), last_update=Max("items__published_at", filter=live))
            .order_by("level", "parent__order", "order")
        )
        for column in columns:
            # 国办秘函〔2019〕19号: a column past its update cycle counts as not updated.
            last = timezone.localdate(column.last_update) if column.last_update else None
            column.is_stale = column.is_stale_on(last, timezone.localdate(now))
            board.columns.append(column)
    board.drafts = list(visible.filter(state=Item.State.DRAFT, created_by=user).order_by("-updated_at")[:LIST_LIMIT])
    board.returned = list(visible.filter(state=Item.State.RETURNED).order_by("-updated_at")[:LIST_LIMIT])
    board.awaiting_review = list(
        access.items_reviewable_by(user).filter(state=Item.State.PENDING)
        .select_related("column", "unit", "created_by").defer("body", "search_text").order_by("updated_at")[:LIST_LIMIT]
    )  # fmt: skip
    board.scheduled = list(
        visible.filter(state=Item.State.PUBLISHED, published_at__gt=now).order_by("published_at")[:LIST_LIMIT]
    )
    return board
