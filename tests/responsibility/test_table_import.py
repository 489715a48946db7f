"""A revised 责任分解表: the seed's own table differs in nothing from the fixtures; a
revision is shown as its differences and applied only on confirmation, never deleting
a column that has items."""

import pytest
from django.core.exceptions import ValidationError

from responsibility.models import Alias, Column, Unit
from responsibility.services import NameChoice, NameMapping
from responsibility.table_import import table_apply, table_diff, table_text_parse
from tasks.plan_text import plan_text_parse
from tests.factories import ItemFactory
from tests.tasks.plan_editions import seed_edition

pytestmark = pytest.mark.django_db


def seed_table_lines() -> list[str]:
    return plan_text_parse(seed_edition()).attachment_lines


def revised_table_lines() -> list[str]:
    """The seed's table with: 公共交通 given to two units, 房屋征收 and 机关简介 dropped,
    a new 8.住房保障 under 其他, 区属学校 → 区属中小学校, 统计信息 given to a unit the
    register does not know."""
    revised = []
    for line in seed_table_lines():
        if "5.房屋征收" in line or "2.机关简介" in line:
            continue
        line = line.replace("3.公共交通\t\t区交通局", "3.公共交通\t\t区交通局 区城管局")
        line = line.replace("区属学校", "区属中小学校").replace("\t区统计局\t", "\t区统计调查中心\t")
        revised.append(line)
        if "7.社会救助" in line:
            revised.append("\t\t8.住房保障\t\t区住房城乡建设局\t")
    return revised


def test_seed_table_reads_as_the_fixtures_tree(seed):
    nodes = table_text_parse(seed_table_lines())
    assert len(nodes) == Column.objects.count() == 48
    assert table_diff(nodes).is_empty


def test_seed_table_nodes_keep_numbers_titles_units_and_notes(seed):
    nodes = {node.path: node for node in table_text_parse(seed_table_lines())}
    assert nodes[("三", "12.", "（4）")].responsibility_text == "区人力资源和社会保障局、区医疗保障局"
    assert nodes[("一", "")].title == "芙蓉区政府信息公开指南"
    assert nodes[("四", "2.")].title == "隆平高科技园、街道（局）信息公开年报"
    assert nodes[("六", "1.")].note == "区属学校"


def test_revision_is_shown_as_its_differences(seed):
    ItemFactory(column=Column.objects.get(slug="3-2"))
    diff = table_diff(table_text_parse(revised_table_lines()))

    assert [node.label for node in diff.added] == ["七 › 8. 住房保障"]
    assert [column.title for column in diff.removed] == ["房屋征收"]
    assert [(column.title, count) for column, count in diff.kept] == [("机关简介", 1)]
    changes = {change.column.title: change for change in diff.changed}
    assert changes["公共交通"].units_added == ["区城管局"] and changes["公共交通"].units_removed == []
    assert changes["教育教学机构"].note == ("区属学校", "区属中小学校")
    assert changes["统计信息"].units_removed == ["区统计局"]
    assert diff.unresolved == ["区统计调查中心"]
    assert Column.objects.count() == 48  # nothing written


def test_revision_is_not_applied_while_a_name_is_unknown(seed):
    with pytest.raises(ValidationError, match="区统计调查中心"):
        table_apply(nodes=table_text_parse(revised_table_lines()))
    assert Column.objects.get(slug="6-1").note == "区属学校"


def test_revision_applied_on_confirmation_keeps_columns_with_items(seed):
    ItemFactory(column=Column.objects.get(slug="3-2"))
    choices = {"区统计调查中心": NameChoice(NameMapping.RENAME, Unit.objects.get(name="区统计局"))}

    table_apply(nodes=table_text_parse(revised_table_lines()), choices=choices, reason="测试")

    assert Column.objects.filter(slug="3-2").exists()  # has an item: kept
    assert not Column.objects.filter(title="房屋征收").exists()
    housing = Column.objects.get(title="住房保障")
    assert (housing.parent.title, housing.number, housing.level) == ("其他", "8.", 2)
    assert [duty.unit.name for duty in housing.duties.all()] == ["区住房城乡建设局"]
    transport = Column.objects.get(title="公共交通")
    assert transport.responsibility_text == "区交通局、区城管局"
    assert [duty.printed_name for duty in transport.duties.all()] == ["区交通局", "区城管局"]
    assert Column.objects.get(slug="6-1").note == "区属中小学校"
    assert Alias.objects.get(name="区统计局").unit.name == "区统计调查中心"
    assert table_diff(table_text_parse(revised_table_lines())).kept[0][0].slug == "3-2"


@pytest.mark.parametrize("lines", [[], ["没有表格的一行"], ["\t\t2.孤立的二级标题\t\t区财政局\t"]])
def test_text_without_a_table_is_refused_in_words(seed, lines):
    with pytest.raises(ValidationError):
        table_text_parse(lines)
