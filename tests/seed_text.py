"""Rebuild the seed document's text from the database, for the fidelity tests.

Comparison ignores what page layout and typesetting changed, and nothing else:
Unicode NFKC (full-/half-width punctuation), all white space, the table header
repeated at each page break, and, inside table cells, the separator between names."""

import re
import unicodedata
from pathlib import Path

from django.conf import settings

from responsibility.models import Column
from tasks.models import PlanDocument

SEED_PATH = Path(settings.BASE_DIR) / "fixtures" / "source" / "000_67a27d614ecf25f7.txt"
TABLE_HEADER = "序号\t一级标题\t二级标题\t三级标题\t责任单位\t备注"


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def normalise_table(text: str) -> str:
    return normalise(text).replace("、", "")


def seed_parts() -> tuple[str, str]:
    """(the notice and work points up to the 附件 line, the attachment with its table)."""
    text = SEED_PATH.read_text(encoding="utf-8")
    split_at = text.index("\n附件\n")
    body, attachment = text[:split_at], text[split_at:]
    first_header = attachment.index(TABLE_HEADER) + len(TABLE_HEADER)
    attachment = attachment[:first_header] + attachment[first_header:].replace(TABLE_HEADER, "")
    return normalise(body), normalise_table(attachment)


def _chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def document_text(plan: PlanDocument) -> str:
    parts = [
        plan.header, plan.doc_number, plan.title, plan.addressees + "：", plan.notice_text,
        plan.issuer, _chinese_date(plan.issued_on), plan.plan_title, plan.preamble,
    ]
    for section in plan.sections.prefetch_related("work_points"):
        parts.append(f"{section.number}、{section.title}")
        parts.extend(f"（{point.chinese_number}）{point.text}" for point in section.work_points.all())
    parts.append("附件：" + plan.attachment_title)
    return normalise("".join(parts))


def _leaves_in_table_order(columns):
    children = {}
    for column in columns:
        children.setdefault(column.parent_id, []).append(column)
    for siblings in children.values():
        siblings.sort(key=lambda column: column.order)

    def walk(parent_id, printed_ancestors):
        for column in children.get(parent_id, []):
            path = [*printed_ancestors, column]
            if column.pk in children:
                yield from walk(column.pk, path)
            else:
                yield path

    yield from walk(None, [])


def attachment_text(plan: PlanDocument) -> str:
    """附件 + title + table (a row per leaf column; ancestors printed on their first row)."""
    parts = ["附件", plan.attachment_title, TABLE_HEADER]
    printed = set()
    for path in _leaves_in_table_order(list(Column.objects.all())):
        for column in path:
            if column.pk not in printed:
                parts.append(column.number + column.title)
                printed.add(column.pk)
        leaf = path[-1]
        parts.extend((leaf.responsibility_text, leaf.note))
    parts.extend((plan.issuer, _chinese_date(plan.printed_on) + "印发"))
    return normalise_table("".join(parts))
