"""Writes to 专栏 membership. Rule placements are recomputed by `topic_rules_apply` (after the
office edits a topic's rules) and extended by `topics_item_published` (from the item review
services, whenever an item goes live); manual changes go through the `topic_entry_*` services.
A removed entry is kept as a marker, so no rule ever brings the item back."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from disclosure.models import Item
from furong_portal.pagecache import public_pages_changed
from responsibility.access import is_district_office
from responsibility.audit import audit_record
from responsibility.models import AuditEvent

from .models import Topic, TopicEntry, TopicRule, TopicSection


def _require_office(actor) -> None:
    if not (is_district_office(actor) and actor.has_perm("topics.change_topic")):
        raise PermissionDenied("只有区政务公开办可以管理专栏。")


def _rules(topic: Topic) -> list[TopicRule]:
    return list(topic.rules.select_related("section").prefetch_related("units", "columns").order_by("position", "pk"))


def _matches(rule: TopicRule, items) -> set[int]:
    condition = rule.condition()
    if condition is None:
        return set()
    return set(items.filter(condition).values_list("pk", flat=True))


@transaction.atomic
def topic_rules_apply(*, topic: Topic, actor=None) -> dict[str, int]:
    """Bring the rule placements of `topic` in line with its rules over every published item:
    new matches are added, rule placements that no longer match go (pinned ones stay), manual
    and removed entries are left alone. Returns the counts of added and dropped entries."""
    if actor is not None:
        _require_office(actor)
    published = Item.objects.filter(state=Item.State.PUBLISHED)
    wanted: dict[int, int | None] = {}
    for rule in _rules(topic):
        for pk in _matches(rule, published):
            wanted.setdefault(pk, rule.section_id)
    existing = {entry.item_id: entry for entry in topic.entries.all()}
    new = [TopicEntry(topic=topic, item_id=pk, section_id=section) for pk, section in wanted.items() if pk not in existing]
    TopicEntry.objects.bulk_create(new, batch_size=500)
    stale = [
        entry.pk for item_id, entry in existing.items()
        if entry.source == TopicEntry.Source.RULE and not entry.removed and not entry.pinned and item_id not in wanted
    ]  # fmt: skip
    TopicEntry.objects.filter(pk__in=stale).delete()
    for item_id, entry in existing.items():
        if entry.source == TopicEntry.Source.RULE and item_id in wanted and entry.section_id != wanted[item_id]:
            entry.section_id = wanted[item_id]
            entry.save(update_fields=["section"])
    if actor is not None:
        audit_record(
            action=AuditEvent.Action.TOPIC_CHANGED, actor=actor, target=topic,
            detail={"rules_applied": True, "added": len(new), "dropped": len(stale)},
        )  # fmt: skip
    # The office saved the topic (its texts may have changed too) or the rules moved items.
    public_pages_changed()
    return {"added": len(new), "dropped": len(stale)}


def topics_item_published(*, item: Item) -> list[TopicEntry]:
    """Place a published item in every collecting topic whose rules it matches, and drop its
    rule placements that no longer match (after an edit of a published item); pinned, manual
    and removed entries stay. Called by the item write services inside their transaction.
    Returns the entries added."""
    placed = []
    just_this = Item.objects.filter(pk=item.pk)
    entries = {entry.topic_id: entry for entry in TopicEntry.objects.filter(item=item)}
    for topic in Topic.objects.collecting().prefetch_related("rules__units", "rules__columns"):
        rule = next(
            (r for r in sorted(topic.rules.all(), key=lambda r: (r.position, r.pk)) if _matches(r, just_this)), None
        )
        entry = entries.get(topic.pk)
        if entry is None and rule is not None:
            placed.append(TopicEntry.objects.create(topic=topic, item=item, section_id=rule.section_id))
        elif entry is not None and rule is None and entry.source == TopicEntry.Source.RULE and not (entry.pinned or entry.removed):
            entry.delete()
    return placed


def _audit(actor, entry: TopicEntry, change: str) -> None:
    """Every manual change of a placement: audited, and the public pages refreshed."""
    public_pages_changed()
    audit_record(
        action=AuditEvent.Action.TOPIC_CHANGED, actor=actor, target=entry.topic,
        detail={"item": entry.item.index_number or entry.item_id, "change": change},
    )  # fmt: skip


@transaction.atomic
def topic_entry_add(*, actor, topic: Topic, item: Item, section: TopicSection | None = None) -> TopicEntry:
    """Place an item by hand (or bring back one that was removed)."""
    _require_office(actor)
    if item.state != Item.State.PUBLISHED:
        raise ValidationError({"item": "只能把已发布的信息放入专栏。"})
    if section is not None and section.topic_id != topic.pk:
        raise ValidationError({"section": "子栏目须属于本专栏。"})
    entry, created = TopicEntry.objects.select_for_update().get_or_create(
        topic=topic, item=item, defaults={"section": section, "source": TopicEntry.Source.MANUAL}
    )
    if not created:
        if not entry.removed:
            raise ValidationError(f"《{item.title}》已在专栏“{topic}”中。")
        entry.removed, entry.source = False, TopicEntry.Source.MANUAL
        entry.section = section or entry.section
        entry.save(update_fields=["removed", "source", "section"])
    _audit(actor, entry, "手动加入")
    return entry


@transaction.atomic
def topic_entry_arrange(*, actor, entry: TopicEntry, pinned: bool, position: int, section: TopicSection | None = None) -> TopicEntry:
    """Pin or unpin an entry, set its order among the pinned, or move it to a sub-section."""
    _require_office(actor)
    entry = TopicEntry.objects.select_for_update().select_related("topic", "item").get(pk=entry.pk)
    if section is not None and section.topic_id != entry.topic_id:
        raise ValidationError({"section": "子栏目须属于本专栏。"})
    if position < 0:
        raise ValidationError({"position": "顺序不能为负数。"})
    entry.pinned, entry.position = pinned, position
    entry.section = section if section is not None else entry.section
    entry.save(update_fields=["pinned", "position", "section"])
    _audit(actor, entry, f"{'置顶' if pinned else '不置顶'}，顺序 {position}")
    return entry


@transaction.atomic
def topic_entry_remove(*, actor, entry: TopicEntry) -> TopicEntry:
    """Take an item out of the topic; the rules will not put it back."""
    _require_office(actor)
    entry = TopicEntry.objects.select_for_update().select_related("topic", "item").get(pk=entry.pk)
    entry.removed, entry.pinned = True, False
    entry.save(update_fields=["removed", "pinned"])
    _audit(actor, entry, "移出专栏")
    return entry
