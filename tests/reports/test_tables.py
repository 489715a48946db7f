"""Tables 二 and 四 of the annual report (国办公开办函〔2021〕30号) on hand-counted data.

Table 二, year 2023, unit A (区教育局) — normative documents of the 政府文件库:
  d1  行政规范性文件 published 2023-03-01, 有效                   → 制发, 现行有效
  d2  行政规范性文件 published 2022-05-01, 废止 since 2023-06-01  → 废止
  d3  行政规范性文件 published 2021-01-01, 有效                   → 现行有效
  d4  行政规范性文件 published 2023-12-31 23:30 Beijing time     → 制发, 现行有效
  d5  行政规范性文件 published 2024-01-01 00:30 Beijing time     → nothing (2024; UTC says 2023)
  d6  行政规范性文件 published 2020-01-01, 失效 since 2024-02-01  → 现行有效 (at the end of 2023)
  d7  规章 published 2023-07-01, 有效                             → 规章 制发, 现行有效
  d8  a draft normative document                              → nothing
  d9  a non-normative item of 2023                            → nothing
  d10 unit B's 行政规范性文件 of 2023                           → only the district's 制发, 现行有效
  Unit A: 规章 1/0/1; 行政规范性文件 2/1/4. District: 规章 1/0/1; 行政规范性文件 3/1/5.
Returns: A 2023 approved 12/30/2/1.5 万元; B 2023 approved 3/0/1/0.25; A 2022 approved 99 (other
year); C (区民政局's neighbour 区司法局) 2023 submitted, not approved 100 → not counted.
  Unit A: 12, 30, 2, 1.5000. District: 15, 30, 3, 1.7500.

Table 四, year 2023, unit A:
  c1 复议 filed 2023-02-01, 维持 2023-04-01                 → 复议 维持
  c2 复议 filed 2022-11-01, 纠正 2023-01-15                 → 复议 纠正
  c3 复议 filed 2023-11-01, open                          → 复议 尚未审结
  c4 复议 filed 2023-10-01, 维持 2024-02-01                 → 复议 尚未审结 (open at the end of 2023)
  c5 直接起诉 filed 2022-05-01, 维持 2022-12-01              → nothing (2022)
  c6 直接起诉 filed 2023-03-01, 其他 2023-09-01              → 直接起诉 其他
  c7 复议后起诉 filed 2023-01-10, 纠正 2023-06-01            → 复议后起诉 纠正
  c8 复议后起诉 filed 2024-01-05, open                      → nothing (filed after 2023)
  Unit B: c9 复议 filed 2023-05-01, 其他 2023-05-30         → district only
  Unit A: 复议 1/1/0/2/4; 直接起诉 0/0/1/0/1; 复议后起诉 0/1/0/0/1. District 复议 1/1/1/2/5.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from disclosure.models import Item, NormativeKind
from disclosure.reports.models import AppealCase, ReviewState, UnitReturn
from disclosure.reports.selectors import table2, table4
from responsibility.models import Column, Unit
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

D = dt.date
BEIJING = ZoneInfo("Asia/Shanghai")
NORMATIVE = NormativeKind.NORMATIVE_DOCUMENT


def at(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=BEIJING)


@pytest.fixture
def documents(unit_a, unit_b):
    column = Column.objects.get(slug="3-1")

    def document(unit, published_at, kind=NORMATIVE, validity=Item.Validity.VALID, since=None, **fields):
        return ItemFactory(
            unit=unit, column=column, published_at=published_at, is_normative=True, normative_kind=kind,
            validity=validity, validity_since=since, **fields,
        )  # fmt: skip

    document(unit_a, at(2023, 3, 1))
    document(unit_a, at(2022, 5, 1), validity=Item.Validity.REPEALED, since=D(2023, 6, 1))
    document(unit_a, at(2021, 1, 1))
    document(unit_a, at(2023, 12, 31, 23, 30))
    document(unit_a, at(2024, 1, 1, 0, 30))
    document(unit_a, at(2020, 1, 1), validity=Item.Validity.EXPIRED, since=D(2024, 2, 1))
    document(unit_a, at(2023, 7, 1), kind=NormativeKind.RULE)
    document(unit_a, None, state=Item.State.DRAFT, index_number=None)
    ItemFactory(unit=unit_a, column=column, published_at=at(2023, 4, 1))
    document(unit_b, at(2023, 8, 1))


@pytest.fixture
def returns(unit_a, unit_b):
    approved = ReviewState.APPROVED
    UnitReturn.objects.create(unit=unit_a, year=2023, licences=12, penalties=30, coercions=2, fees=Decimal("1.5"), state=approved)
    UnitReturn.objects.create(unit=unit_b, year=2023, licences=3, penalties=0, coercions=1, fees=Decimal("0.25"), state=approved)
    UnitReturn.objects.create(unit=unit_a, year=2022, licences=99, state=approved)
    UnitReturn.objects.create(unit=Unit.objects.get(name="区司法局"), year=2023, licences=100, state=ReviewState.SUBMITTED)


def test_table_2_for_a_unit_matches_the_hand_count(unit_a, documents, returns):
    table = table2(year=2023, unit=unit_a)
    assert {key: table["rule"][key] for key in ("issued", "repealed", "in_force")} == {"issued": 1, "repealed": 0, "in_force": 1}
    assert {key: table[NORMATIVE][key] for key in ("issued", "repealed", "in_force")} == {"issued": 2, "repealed": 1, "in_force": 4}
    assert [table[key]["decisions"] for key in ("licences", "penalties", "coercions")] == [12, 30, 2]
    assert table["fees"]["amount"] == "1.5000"


def test_table_2_for_the_district_adds_every_unit(documents, returns):
    table = table2(year=2023)
    assert [table[NORMATIVE][key] for key in ("issued", "repealed", "in_force")] == [3, 1, 5]
    assert [table["rule"][key] for key in ("issued", "repealed", "in_force")] == [1, 0, 1]
    assert [table[key]["decisions"] for key in ("licences", "penalties", "coercions")] == [15, 30, 3]
    assert table["fees"]["amount"] == "1.7500"


@pytest.fixture
def cases(unit_a, unit_b):
    def case(unit, kind, number, filed, decided=None, result="pending"):
        AppealCase.objects.create(unit=unit, kind=kind, case_number=number, filed_on=filed, decided_on=decided, result=result)

    case(unit_a, "reconsideration", "c1", D(2023, 2, 1), D(2023, 4, 1), "upheld")
    case(unit_a, "reconsideration", "c2", D(2022, 11, 1), D(2023, 1, 15), "corrected")
    case(unit_a, "reconsideration", "c3", D(2023, 11, 1))
    case(unit_a, "reconsideration", "c4", D(2023, 10, 1), D(2024, 2, 1), "upheld")
    case(unit_a, "litigation_direct", "c5", D(2022, 5, 1), D(2022, 12, 1), "upheld")
    case(unit_a, "litigation_direct", "c6", D(2023, 3, 1), D(2023, 9, 1), "other")
    case(unit_a, "litigation_after", "c7", D(2023, 1, 10), D(2023, 6, 1), "corrected")
    case(unit_a, "litigation_after", "c8", D(2024, 1, 5))
    case(unit_b, "reconsideration", "c9", D(2023, 5, 1), D(2023, 5, 30), "other")


def row(cells):
    return [cells[key] for key in ("upheld", "corrected", "other", "pending", "total")]


def test_table_4_for_a_unit_matches_the_hand_count(unit_a, cases):
    table = table4(year=2023, unit=unit_a)
    assert row(table["reconsideration"]) == [1, 1, 0, 2, 4]
    assert row(table["litigation_direct"]) == [0, 0, 1, 0, 1]
    assert row(table["litigation_after"]) == [0, 1, 0, 0, 1]


def test_table_4_for_the_district_and_the_next_year(unit_a, cases):
    assert row(table4(year=2023)["reconsideration"]) == [1, 1, 1, 2, 5]
    # In 2024 c4 is decided (维持) and c3 and c8 are still open.
    table_2024 = table4(year=2024, unit=unit_a)
    assert row(table_2024["reconsideration"]) == [1, 0, 0, 1, 2]
    assert row(table_2024["litigation_after"]) == [0, 0, 0, 1, 1]


def test_table_3_layout_fills_every_row_of_the_national_grid(seed):
    from disclosure.reports.selectors import table3_data, table3_layout

    layout = table3_layout(table3_data(year=2023, unit=None))
    # Each row has 3 label columns (some covered by a cell spanning down from above) and 7 figures.
    covered = [0] * len(layout)
    for index, (labels, cells) in enumerate(layout):
        width = covered[index] + sum(label.colspan for label in labels)
        assert width == 3 and len(cells) == 7, (index, [label.text for label in labels])
        for label in labels:
            for below in range(index + 1, index + label.rowspan):
                covered[below] += label.colspan
    texts = [label.text for labels, _ in layout for label in labels]
    assert texts[:3] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果"]
    heading = layout[2][0][0]
    assert heading.rowspan == len(layout) - 3  # (一) to (七): everything but 一, 二 and 四
    assert texts[-1] == "四、结转下年度继续办理"
