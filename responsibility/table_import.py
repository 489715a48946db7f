"""A revised 平台内容保障责任分解表, read from its text and compared with the column tree.

The table (the seed's attachment) has a row per leaf column: 序号 | 一级标题 | 二级标题 |
三级标题 | 责任单位 | 备注, with a heading printed only on its first row. `table_text_parse`
reads it into nodes; `table_diff` says what differs from the tree (columns added or
removed, titles, units and notes changed) and writes nothing; `table_apply` writes the
differences in one transaction. A column that has published items is never deleted:
it stays, and the diff says why. The seed's own table gives no difference at all
(tests/responsibility/test_table_import.py)."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from furong_portal.pagecache import public_pages_changed

from .audit import Action, audit_record
from .documents import printed_line_clean
from .models import Column
from .services import NameChoice, column_duties_replace, party_resolve, printed_name_register, responsibility_text_split

_HEADER = "序号"
_LEVEL_2 = re.compile(r"^(\d+\.)\s*(.+)$")
_LEVEL_3 = re.compile(r"^[（(](\d+)[）)]\s*(.+)$")
_CELL_NAMES = re.compile(r"[、，,\s]+")


@dataclass
class TableNode:
    path: tuple[str, ...]  # the numbers from the root: ("三", "12.", "（1）"); "" where none is printed
    title: str
    responsibility_text: str = ""
    note: str = ""

    @property
    def level(self) -> int:
        return len(self.path)

    @property
    def label(self) -> str:
        return " › ".join(filter(None, self.path)) + " " + self.title


def _names_cell(cell: str) -> str:
    """"区行政审批服务局 区数据资源中心" → "区行政审批服务局、区数据资源中心" (the stored form)."""
    return "、".join(printed_line_clean(name) for name in _CELL_NAMES.split(cell.strip()) if name)


def table_text_parse(lines: list[str]) -> list[TableNode]:
    """The table's nodes in order, from lines whose cells are separated by tabs."""
    nodes: list[TableNode] = []
    parents: list[TableNode] = []
    for line in lines:
        if "\t" not in line:
            continue
        cells = [*line.split("\t"), "", "", "", "", "", ""][:6]
        if cells[0].strip() == _HEADER:
            continue
        number, first, second, third, units, note = cells
        row_node = None
        if number.strip():
            row_node = TableNode(path=(printed_line_clean(number),), title=printed_line_clean(first))
            parents = [row_node]
            nodes.append(row_node)
        if second.strip():
            if not parents:
                raise ValidationError(f"表格行“{line.strip()[:30]}”缺少一级标题。")
            match = _LEVEL_2.match(printed_line_clean(second))
            child_number, title = (match[1], match[2]) if match else ("", printed_line_clean(second))
            row_node = TableNode(path=(*parents[0].path, child_number), title=title)
            parents = [parents[0], row_node]
            nodes.append(row_node)
        if third.strip():
            if len(parents) < 2:
                raise ValidationError(f"表格行“{line.strip()[:30]}”缺少二级标题。")
            cleaned = printed_line_clean(third)
            match = _LEVEL_3.match(cleaned)
            child_number, title = (f"（{match[1]}）", match[2]) if match else ("", cleaned)
            row_node = TableNode(path=(*parents[1].path, child_number), title=title)
            nodes.append(row_node)
        if row_node is None:
            if not (units.strip() or note.strip()):
                continue
            raise ValidationError(f"表格行“{line.strip()[:30]}”没有标题。")
        row_node.responsibility_text = _names_cell(units)
        row_node.note = printed_line_clean(note)
    if not nodes:
        raise ValidationError("没有找到责任分解表（以制表符分隔的“序号 一级标题 二级标题 三级标题 责任单位 备注”各行）。")
    return nodes


@dataclass
class ColumnChange:
    column: Column
    node: TableNode
    title: tuple[str, str] | None = None  # (before, after)
    note: tuple[str, str] | None = None
    units_added: list[str] = field(default_factory=list)
    units_removed: list[str] = field(default_factory=list)
    text: tuple[str, str] | None = None


@dataclass
class TableDiff:
    added: list[TableNode]
    removed: list[Column]  # no items: deleted on confirmation
    kept: list[tuple[Column, int]]  # not in the table but has items: never deleted
    changed: list[ColumnChange]
    unresolved: list[str]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.kept or self.changed)


def _column_paths() -> dict[tuple[str, ...], Column]:
    columns = list(Column.objects.select_related("parent__parent").prefetch_related("duties"))
    paths = {}
    for column in columns:
        chain, node = [], column
        while node is not None:
            chain.append(node.number)
            node = node.parent
        paths[tuple(reversed(chain))] = column
    return paths


def table_diff(nodes: list[TableNode], *, choices: dict[str, NameChoice] | None = None) -> TableDiff:
    choices = choices or {}
    paths = _column_paths()
    in_table = {node.path for node in nodes}
    unresolved = []
    for node in nodes:
        for name in responsibility_text_split(node.responsibility_text):
            try:
                party_resolve(name)
            except ValidationError:
                if name not in choices and name not in unresolved:
                    unresolved.append(name)
    added = [node for node in nodes if node.path not in paths]
    changed = []
    for node in nodes:
        column = paths.get(node.path)
        if column is None:
            continue
        change = ColumnChange(column=column, node=node)
        if column.title != node.title:
            change.title = (column.title, node.title)
        if column.note != node.note:
            change.note = (column.note, node.note)
        if column.responsibility_text != node.responsibility_text:
            before = [duty.printed_name for duty in column.duties.all()]
            after = responsibility_text_split(node.responsibility_text)
            change.text = (column.responsibility_text, node.responsibility_text)
            change.units_added = [name for name in after if name not in before]
            change.units_removed = [name for name in before if name not in after]
        if change.title or change.note or change.text:
            changed.append(change)
    gone = {path: column for path, column in paths.items() if path not in in_table}
    # Whatever is not in the table goes with all it contains: count items over the subtree.
    own = dict(
        Column.objects.filter(pk__in=[column.pk for column in gone.values()])
        .annotate(count=Count("items"))
        .values_list("pk", "count")
    )
    subtree = {
        path: sum(own[other.pk] for other_path, other in gone.items() if other_path[: len(path)] == path)
        for path in gone
    }
    removed = [column for path, column in gone.items() if not subtree[path]]
    kept = [(column, subtree[path]) for path, column in gone.items() if subtree[path]]
    return TableDiff(added=added, removed=removed, kept=kept, changed=changed, unresolved=unresolved)


@transaction.atomic
def table_apply(
    *, nodes: list[TableNode], choices: dict[str, NameChoice] | None = None, reason: str = "", actor=None, request=None
) -> TableDiff:
    """Write the table's differences from the tree, all or nothing, and record them in
    the audit log (`actor`: who confirmed them). Returns the diff it applied."""
    choices = choices or {}
    diff = table_diff(nodes, choices=choices)
    if diff.unresolved:
        raise ValidationError("以下名称尚未对应到单位或集合称谓：" + "、".join(diff.unresolved) + "。")
    for name, choice in choices.items():
        names = {n for node in nodes for n in responsibility_text_split(node.responsibility_text)}
        if name in names:
            printed_name_register(name=name, mapping=choice.mapping, party=choice.party, kind=choice.kind, reason=reason)
    for change in diff.changed:
        column = Column.objects.select_for_update().get(pk=change.column.pk)
        column.title, column.note = change.node.title, change.node.note
        column.full_clean()
        column.save(update_fields=["title", "note"])
        if change.text:
            column_duties_replace(column=column, responsibility_text=change.node.responsibility_text)
    paths = _column_paths()
    for node in diff.added:
        parent = paths.get(node.path[:-1]) if node.level > 1 else None
        siblings = Column.objects.filter(parent=parent)
        order = max(siblings.values_list("order", flat=True), default=0) + 1
        slug = f"{parent.slug}-{order}" if parent else str(order)
        while Column.objects.filter(slug=slug).exists():
            slug += "x"
        column = Column(parent=parent, number=node.path[-1], title=node.title, slug=slug, order=order, note=node.note)
        column.full_clean()
        column.save()
        paths[node.path] = column
        column_duties_replace(column=column, responsibility_text=node.responsibility_text)
    removed = [str(column) for column in diff.removed]
    for column in sorted(diff.removed, key=lambda column: -column.level):
        column.duties.all().delete()
        column.delete()
    audit_record(
        action=Action.TABLE_IMPORTED, actor=actor, target="平台内容保障责任分解表", request=request,
        detail={"reason": reason, "added": [node.title for node in diff.added], "removed": removed,
                "changed": [str(change.column) for change in diff.changed], "kept": [str(column) for column, _ in diff.kept]},
    )  # fmt: skip
    # A title or note changed, or a column gone, shows on the public pages without any duty rebuilt.
    public_pages_changed()
    return diff
