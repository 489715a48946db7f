"""Reads of 专栏 for the public pages and feeds."""

from django.db.models import F

from disclosure.models import Item

from .models import Topic, TopicSection


def topic_items(topic: Topic, section: TopicSection | None = None):
    """The published items shown in `topic` (or one of its sections): pinned first in their
    order, then newest first. One query; the entry's pin data is read in the same join."""
    # One filter() call, so that all conditions and the annotations use the same entry row.
    conditions = {"topic_entries__topic": topic, "topic_entries__removed": False}
    if section is not None:
        conditions["topic_entries__section"] = section
    items = Item.objects.published().filter(**conditions)
    return items.annotate(pinned=F("topic_entries__pinned"), pin_order=F("topic_entries__position")).order_by(
        "-pinned", "pin_order", "-published_at", "-pk"
    )
