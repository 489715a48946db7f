"""Column freshness and the inspection-risk panel, counted by hand on the seed's
48 columns: 41 are assessed (the leaves; no heading carries a duty of its own)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from disclosure.models import Item
from responsibility.models import Column, Unit, add_months
from tasks.freshness import Freshness, column_freshness
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

ASSESSED = 41


def publish(slug: str, days_ago: int, **kwargs) -> Item:
    column = Column.objects.get(slug=slug)
    unit = kwargs.pop("unit", None) or Unit.objects.first()
    kwargs.setdefault("published_at", timezone.now() - timedelta(days=days_ago))
    return ItemFactory(column=column, unit=unit, **kwargs)


def entries(report):
    return {entry.column.slug: entry for entry in report.columns}


def test_with_no_items_every_assessed_column_is_empty(seed):
    report = column_freshness()
    assert len(report.columns) == 48
    assert len(report.assessed) == ASSESSED
    assert len(report.empty) == ASSESSED and report.stale == []
    risk = report.risk()
    assert risk.failing and risk.home_failing and risk.home_days_since is None
    empty_rule = risk.rules[2]
    assert (empty_rule.count, empty_rule.failing, empty_rule.to_fix) == (41, True, 37)


def test_each_update_rule_and_the_subtree_measure(seed):
    publish("3-12-1", 200)  # 扶贫信息, notices (6 calendar months): stale by about 17 days
    publish("3-3", 400)  # 规划信息, yearly (12 calendar months): stale by about 35 days
    publish("1-1", 1000)  # 指南, updated on change: never stale
    publish("3-4", 10)  # 统计信息, notices: fresh
    publish("3-5", 0, state=Item.State.DRAFT, published_at=None, index_number=None)  # a draft does not count
    publish("3-6", 0, published_at=timezone.now() + timedelta(days=1))  # nor does a scheduled item
    report = column_freshness()
    by_slug = entries(report)
    today = timezone.localdate()

    def over(days_ago, months):
        return (today - add_months(today - timedelta(days=days_ago), months)).days

    assert (by_slug["3-12-1"].status, by_slug["3-12-1"].days_since) == ("stale", 200)
    assert by_slug["3-12-1"].days_over == over(200, 6) in range(15, 20)
    assert (by_slug["3-3"].status, by_slug["3-3"].days_over) == ("stale", over(400, 12))
    assert by_slug["1-1"].status == Freshness.ON_CHANGE
    assert by_slug["3-4"].status == Freshness.FRESH
    assert by_slug["3-5"].status == by_slug["3-6"].status == Freshness.EMPTY
    # Headings are measured from their whole subtree but not counted on their own.
    assert (by_slug["3-12"].status, by_slug["3-12"].days_since, by_slug["3-12"].assessed) == ("stale", 200, False)
    assert (by_slug["3"].item_count, by_slug["3"].days_since) == (3, 10)
    assert [entry.column.slug for entry in report.stale] == ["3-3", "3-12-1"]  # most days over first
    assert len(report.empty) == ASSESSED - 4
    risk = report.risk()
    short, should_update, empty = risk.rules
    assert (short.count, should_update.count, empty.count) == (1, 2, 37)  # 规划信息 is yearly: only in the ≥10 rule
    assert (short.failing, should_update.failing, empty.failing) == (False, False, True)
    assert (risk.home_days_since, risk.home_failing) == (10, False)


@pytest.mark.parametrize(("stale_columns", "failing"), [(4, False), (5, True)])
def test_five_stale_notice_columns_fail_the_inspection(seed, stale_columns, failing):
    for slug in ("3-4", "3-5", "3-6", "3-9", "3-10")[:stale_columns]:
        publish(slug, 190)
    short_rule = column_freshness().risk().rules[0]
    assert (short_rule.count, short_rule.failing) == (stale_columns, failing)


@pytest.mark.parametrize(("days", "failing"), [(14, False), (15, True)])
def test_home_page_fails_after_two_weeks_without_an_update(seed, days, failing):
    publish("3-4", days)
    assert column_freshness().risk().home_failing is failing


def test_units_pushing_a_rule_over_are_resolved_through_collectives(seed):
    # Fill every assessed column but five, so that exactly five stay empty.
    left_empty = {"3-6", "3-12-1", "3-12-2", "3-14", "4-3"}
    for entry in column_freshness().assessed:
        if entry.column.slug not in left_empty:
            publish(entry.column.slug, 1)
    risk = column_freshness().risk()
    empty_rule = risk.rules[2]
    assert (empty_rule.count, empty_rule.failing, empty_rule.to_fix) == (5, True, 1)
    counts = {unit.name: count for unit, count in empty_rule.units}
    # 处罚/强制 (区行政执法局, 区直各有关单位, 区数据资源中心), 其他法定信息 (各相关部门),
    # 部门政府信息公开年报 (区直各部门), 扶贫信息 (区农业农村局), 教育信息 (区教育局).
    assert counts["区数据资源中心"] == 3  # 3-6 directly, 3-14 and 4-3 through collectives
    assert counts["区农业农村局"] == 4  # 3-12-1, and 3-6, 3-14, 4-3 as a member
    assert counts["区教育局"] == 4
    assert counts["区生态环境分局"] == 1  # only 各相关部门 (3-14) includes it
    assert "马王堆街道办事处" not in counts
    assert empty_rule.units[0][1] == 4


def test_a_unit_sees_its_own_columns(seed):
    report = column_freshness()
    street = Unit.objects.get(name="马王堆街道办事处")
    # 依申请公开 (各街道办事处) and 隆平高科技园、街道（局）信息公开年报.
    assert sorted(entry.column.slug for entry in report.for_unit(street)) == ["4-2", "5"]


def test_freshness_needs_a_constant_number_of_queries(seed, django_assert_num_queries):
    for entry in column_freshness().assessed[:20]:
        publish(entry.column.slug, 3)
        publish(entry.column.slug, 300)
    with django_assert_num_queries(6):  # one of them reads the 标准目录's 公开时限
        column_freshness()
