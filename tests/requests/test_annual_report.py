"""Table 三 of the annual report (国办公开办函〔2021〕30号) on hand-counted data.

Unit A (区教育局), year 2020:
  r1  自然人        received 2019-12-20, 予以公开 2020-01-10        → 二 and 三(一)
  r2  商业企业      received 2019-12-25, 予以公开 2019-12-30        → not in 2020
  r3  自然人        received 2020-03-02, 部分公开 2020-03-20        → 一, 三(二)
  r4  自然人        received 2020-05-06, 不予公开 4 on 2020-05-20   → 一, 三(三)4
  r5  科研机构      received 2020-06-01, 无法提供 1 on 2020-06-10   → 一, 三(四)1
  r6  法律服务机构  received 2020-07-01, 不予处理 2 on 2020-07-03   → 一, 三(五)2
  r7  自然人        received 2020-09-01, 逾期不补正 (closed 09-11)  → 一, 三(六)1
  r8  社会公益组织  received 2020-10-09, 撤回 2020-10-12            → 一, 三(六)3
  r9  商业企业      received 2020-12-21, 予以公开 2021-01-05        → 一, 四
  r10 其他          received 2020-12-28, still open                 → 一, 四
Unit B (区民政局): r11 自然人 received 2020-04-01, 予以公开 2020-04-10.
"""

import datetime as dt

import pytest

from disclosure.requests import services
from disclosure.requests.models import Outcome, OutcomeReason
from disclosure.requests.selectors import TABLE3_COLUMNS, Table3, Table3Row, annual_report_table3

from .conftest import organisation

pytestmark = pytest.mark.django_db

D = dt.date
COLUMNS = [key for key, _ in TABLE3_COLUMNS]


def answer(request, actor, sent_on, outcome, reason=""):
    services.request_answer(
        request=request, actor=actor, outcome=outcome, outcome_reason=reason,
        letter_number=f"测试〔{sent_on.year}〕{request.pk}号", letter_text="答复。", sent_on=sent_on,
    )


@pytest.fixture
def hand_counted(unit_a, unit_b, office, file_request):
    r1 = file_request(unit_a, D(2019, 12, 20))
    answer(r1, office, D(2020, 1, 10), Outcome.DISCLOSED)
    r2 = file_request(unit_a, D(2019, 12, 25), **organisation("business"))
    answer(r2, office, D(2019, 12, 30), Outcome.DISCLOSED)
    answer(file_request(unit_a, D(2020, 3, 2)), office, D(2020, 3, 20), Outcome.PARTLY)
    answer(file_request(unit_a, D(2020, 5, 6)), office, D(2020, 5, 20), Outcome.WITHHELD, OutcomeReason.WITHHELD_THIRD_PARTY)
    r5 = file_request(unit_a, D(2020, 6, 1), **organisation("research"))
    answer(r5, office, D(2020, 6, 10), Outcome.UNAVAILABLE, OutcomeReason.UNAVAILABLE_NOT_HELD)
    r6 = file_request(unit_a, D(2020, 7, 1), **organisation("legal_service"))
    answer(r6, office, D(2020, 7, 3), Outcome.NOT_PROCESSED, OutcomeReason.NOT_PROCESSED_REPEATED)
    r7 = file_request(unit_a, D(2020, 9, 1))
    services.request_ask_correction(request=r7, actor=office, instructions="请补正", due_on=D(2020, 9, 10), asked_on=D(2020, 9, 2))
    services.requests_lapse_corrections(today=D(2020, 9, 14))
    r8 = file_request(unit_a, D(2020, 10, 9), **organisation("public_interest"))
    services.request_withdraw(request=r8, actor=office, note="申请人书面撤回", withdrawn_on=D(2020, 10, 12))
    r9 = file_request(unit_a, D(2020, 12, 21), **organisation("business"))
    answer(r9, office, D(2021, 1, 5), Outcome.DISCLOSED)
    file_request(unit_a, D(2020, 12, 28), **organisation("other"))
    answer(file_request(unit_b, D(2020, 4, 1)), office, D(2020, 4, 10), Outcome.DISCLOSED)


def counts(table: Table3, key: str) -> dict[str, int]:
    return {column: count for column, count in zip(COLUMNS, table.row(key).cells) if count}


def test_unit_table_for_2020_matches_the_hand_count(unit_a, hand_counted):
    table = annual_report_table3(year=2020, unit=unit_a)
    assert counts(table, "new") == {
        "person": 3, "organisation_business": 1, "organisation_research": 1, "organisation_public_interest": 1,
        "organisation_legal_service": 1, "organisation_other": 1, "total": 8,
    }
    assert counts(table, "carried_in") == {"person": 1, "total": 1}
    assert counts(table, "disclosed") == {"person": 1, "total": 1}
    assert counts(table, "partly") == {"person": 1, "total": 1}
    assert counts(table, "withheld") == counts(table, "withheld_4") == {"person": 1, "total": 1}
    assert counts(table, "unavailable_1") == {"organisation_research": 1, "total": 1}
    assert counts(table, "not_processed_2") == {"organisation_legal_service": 1, "total": 1}
    assert counts(table, "other") == {"person": 1, "organisation_public_interest": 1, "total": 2}
    assert counts(table, "other_1") == {"person": 1, "total": 1}
    assert counts(table, "other_3") == {"organisation_public_interest": 1, "total": 1}
    assert counts(table, "processed_total") == {
        "person": 4, "organisation_research": 1, "organisation_public_interest": 1, "organisation_legal_service": 1, "total": 7,
    }
    assert counts(table, "carried_out") == {"organisation_business": 1, "organisation_other": 1, "total": 2}
    assert table.balanced and table.invariant_errors() == []


def test_district_table_adds_every_unit(hand_counted):
    table = annual_report_table3(year=2020)
    assert table.row("new").get("total") == 9
    assert counts(table, "disclosed") == {"person": 2, "total": 2}
    assert table.row("processed_total").get("total") == 8
    assert table.balanced


def test_next_year_carries_in_what_this_year_carried_out(unit_a, hand_counted):
    table_2021 = annual_report_table3(year=2021, unit=unit_a)
    assert counts(table_2021, "carried_in") == counts(annual_report_table3(year=2020, unit=unit_a), "carried_out")
    assert counts(table_2021, "disclosed") == {"organisation_business": 1, "total": 1}
    assert counts(table_2021, "carried_out") == {"organisation_other": 1, "total": 1}
    assert table_2021.balanced


def test_rows_follow_the_national_format():
    table = annual_report_table3(year=2020)
    labels = [row.label for row in table.rows]
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert "（三）不予公开" in labels and "8. 属于行政查询事项" in labels
    assert "5. 要求行政机关确认或重新出具已获取信息" in labels
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert [label for _, label in TABLE3_COLUMNS] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def test_invariant_check_reports_an_unbalanced_column():
    rows = [Table3Row("new", "一"), Table3Row("carried_in", "二"), Table3Row("processed_total", "七"), Table3Row("carried_out", "四")]
    rows[0].add("person", 2)
    rows[2].add("person", 1)
    table = Table3(year=2020, unit=None, rows=rows)
    assert not table.balanced
    assert table.invariant_errors() == ["自然人：一 + 二 = 2，三(七) + 四 = 1", "总计：一 + 二 = 2，三(七) + 四 = 1"]
