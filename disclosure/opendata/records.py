"""Rows of the database as the open-data records of `schemas.py`, and the querysets that
load them in a fixed number of queries. The API and the bulk downloads both use these."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Attachment, Item
from responsibility.catalogue.models import CatalogueEntry
from responsibility.models import Column, Duty, Unit
from tasks.models import PlanDocument, Task, WorkPoint
from tasks.selectors import tasks_with_public_summary

# What a linked document (替代, 解读) needs to be shown and checked for publicity.
_LINK_FIELDS = ("id", "title", "state", "published_at")


# --- Items -------------------------------------------------------------------------


def item_rows(*, with_body: bool = False):
    """Published and withdrawn items (a withdrawn item never silently disappears), with
    what a record shows (and the body if asked); newest first. The two linked documents
    come along by join, with only what a link needs."""
    unread = {"search_text"} if with_body else {"search_text", "body"}
    link_only = [f"{relation}__{field}" for relation in ("successor", "interprets") for field in _LINK_FIELDS]
    return (
        Item.objects.publicly_addressable()
        .select_related("column", "unit", "successor", "interprets")
        .only(
            *(field.name for field in Item._meta.concrete_fields if field.name not in unread),
            "column__slug", "column__title", "unit__name", *link_only,
        )  # fmt: skip
        .order_by("-published_at", "-pk")
    )


def _link_id(other: Item | None, now) -> int | None:
    return other.pk if other is not None and other.is_public(now) else None


def item_record(item: Item, now=None) -> dict:
    now = now or timezone.now()
    withdrawn = item.state == Item.State.WITHDRAWN
    record = {
        "id": item.pk,
        "url": item.get_absolute_url(),
        "status": "withdrawn" if withdrawn else "published",
        "index_number": item.index_number,
        "title": item.title,
        "column_slug": item.column.slug,
        "column_title": item.column.title,
        "unit_id": item.unit_id,
        "unit_name": item.unit.name,
        "published_at": item.published_at,
        "withdrawn_at": item.withdrawn_at if withdrawn else None,
        "withdrawn_reason": item.withdrawn_reason if withdrawn else None,
    }
    if withdrawn:
        # As the site's withdrawn notice: number, title, who, when and why; no content.
        return record | dict.fromkeys(
            ("doc_number", "written_on", "theme", "theme_label", "genre", "genre_label", "keywords", "is_normative",
             "validity", "validity_label", "validity_since", "successor_id", "interprets_id")
        )  # fmt: skip
    return record | {
        "doc_number": item.doc_number,
        "written_on": item.written_on,
        "theme": item.theme,
        "theme_label": item.get_theme_display(),
        "genre": item.genre,
        "genre_label": item.get_genre_display(),
        "keywords": item.keywords,
        "is_normative": item.is_normative,
        "validity": item.validity or None,
        "validity_label": item.get_validity_display() or None,
        "validity_since": item.validity_since,
        "successor_id": _link_id(item.successor, now),
        "interprets_id": _link_id(item.interprets, now),
    }


def item_detail_rows():
    """`item_rows` with body, attachments, interpretations and replaced documents."""
    published_links = Item.objects.published().only(*_LINK_FIELDS, "interprets_id", "successor_id")
    return (
        item_rows(with_body=True)
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk")),
            Prefetch("interpretations", queryset=published_links.order_by("published_at", "pk")),
            Prefetch("predecessors", queryset=published_links.order_by("published_at", "pk")),
        )
    )


def _link(other: Item) -> dict:
    return {"id": other.pk, "title": other.title, "url": other.get_absolute_url()}


def item_detail(item: Item, now=None) -> dict:
    now = now or timezone.now()
    record = item_record(item, now)
    if item.state == Item.State.WITHDRAWN:
        empty = {"body": None, "attachments": [], "interpretations": [], "predecessors": []}
        return record | empty | {"interprets": None, "successor": None}
    return record | {
        "body": item.body,
        "attachments": [
            {
                "id": attachment.pk,
                "name": attachment.name,
                "size": attachment.size,
                "content_type": attachment.content_type,
                "url": reverse("disclosure:attachment", args=(attachment.pk,)),
            }
            for attachment in item.attachments.all()
        ],
        "interpretations": [_link(other) for other in item.interpretations.all()],
        "predecessors": [_link(other) for other in item.predecessors.all()],
        "interprets": _link(item.interprets) if record["interprets_id"] else None,
        "successor": _link(item.successor) if record["successor_id"] else None,
    }


# --- Columns, duties, units ---------------------------------------------------------


def column_rows():
    return Column.objects.select_related("parent").order_by("level", "parent__order", "order")


def column_record(column: Column) -> dict:
    return {
        "id": column.pk,
        "slug": column.slug,
        "number": column.number,
        "title": column.title,
        "level": column.level,
        "parent_slug": column.parent.slug if column.parent_id else None,
        "order": column.order,
        "note": column.note,
        "responsibility_text": column.responsibility_text,
        "update_cycle": column.update_cycle,
        "update_cycle_label": column.get_update_cycle_display(),
        "stale_after_days": column.stale_after_days,
        "url": column.get_absolute_url(),
    }


def column_detail(column: Column) -> dict:
    return column_record(column) | {"duties": [duty_record(duty) for duty in column.duties.all()]}


def duty_rows():
    return Duty.objects.select_related("column", "unit", "collective").order_by("column__level", "column__order",
                                                                                "column_id", "position")


def duty_record(duty: Duty) -> dict:
    return {
        "column_slug": duty.column.slug,
        "position": duty.position,
        "printed_name": duty.printed_name,
        "unit_id": duty.unit_id,
        "unit_name": duty.unit.name if duty.unit_id else None,
        "collective": duty.collective.name if duty.collective_id else None,
    }


def unit_rows():
    return Unit.objects.order_by("order", "name")


def unit_record(unit: Unit) -> dict:
    return {
        "id": unit.pk,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "kind_label": unit.get_kind_display(),
        "code": unit.code,
        "is_active": unit.is_active,
        "url": unit.get_absolute_url(),
    }


# --- Work points ---------------------------------------------------------------------


def newest_plan_year() -> int | None:
    return PlanDocument.objects.values_list("year", flat=True).first()


def work_point_rows(*, year: int | None = None):
    """Work points (of one year's plan, or of every plan, newest year first) with their
    tasks and only the public summaries the office approved."""
    tasks = tasks_with_public_summary(Task.objects.order_by("unit__order", "unit__name"))
    points = WorkPoint.objects.select_related("section__document").prefetch_related(Prefetch("tasks", queryset=tasks))
    if year is not None:
        points = points.filter(section__document__year=year)
    return points.order_by("-section__document__year", "number")


def work_point_record(point: WorkPoint) -> dict:
    return {
        "year": point.section.document.year,
        "number": point.number,
        "plan": point.section.document.doc_number,
        "section": str(point.section),
        "title": point.title,
        "text": point.text,
        "units_clause": point.units_clause,
        "url": point.get_absolute_url(),
    }


def task_record(task: Task, point: WorkPoint) -> dict:
    return {
        "year": point.section.document.year,
        "work_point_number": point.number,
        "unit_id": task.unit_id,
        "unit_name": task.unit.name,
        "role": task.role,
        "role_label": task.get_role_display(),
        "public_state": task.public_state,
        "due_on": task.due_on,
        "completed_on": task.completed_on,
        "approved_summaries": [report.public_summary for report in task.approved_reports],
    }


def work_point_detail(point: WorkPoint) -> dict:
    return work_point_record(point) | {"tasks": [task_record(task, point) for task in point.tasks.all()]}


# --- 标准目录 -----------------------------------------------------------------------


def catalogue_rows():
    return CatalogueEntry.objects.in_tree_order()


def catalogue_record(entry: CatalogueEntry) -> dict:
    return {
        "id": entry.pk,
        "column_slug": entry.column.slug,
        "column_title": entry.column.title,
        "position": entry.position,
        "matter": entry.matter,
        "sub_matter": entry.sub_matter,
        "content": entry.content,
        "basis": entry.basis,
        "time_limit": entry.time_limit,
        "cycle_days": entry.cycle_days,
        "subject": entry.subject,
        "channels": entry.channels,
        "audience": entry.audience,
        "audience_label": entry.get_audience_display(),
        "mode": entry.mode,
        "mode_label": entry.get_mode_display(),
        "level": entry.level,
        "level_label": entry.get_level_display(),
    }
