"""The annual report from draft to publication: computed tables nobody types, four eyes,
checks before publication, publication as an item of the 年报 column."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure.models import Item
from disclosure.reports import services
from disclosure.reports.models import AnnualReport, AppealCase, ReviewState, UnitReturn
from disclosure.reports.selectors import report_statuses, table_findings
from disclosure.reports.services import ReportError
from disclosure.requests import services as request_services
from disclosure.requests.models import Outcome

pytestmark = pytest.mark.django_db

D = dt.date
NARRATIVE = {"overview": "本年度，区教育局认真贯彻《政府信息公开条例》。", "problems": "主动公开的及时性有待提高。"}


def answer(request, actor, sent_on, outcome=Outcome.DISCLOSED):
    request_services.request_answer(
        request=request, actor=actor, outcome=outcome, letter_number=f"教〔{sent_on.year}〕{request.pk}号",
        letter_text="答复。", sent_on=sent_on,
    )


@pytest.fixture
def year_2023(unit_a, office, file_request):
    """Three requests (one carried over), an approved return and a case of unit A."""
    answer(file_request(unit_a, D(2022, 12, 28)), office, D(2023, 1, 9))
    answer(file_request(unit_a, D(2023, 4, 3)), office, D(2023, 4, 20))
    file_request(unit_a, D(2023, 12, 27))
    UnitReturn.objects.create(unit=unit_a, year=2023, licences=12, penalties=3, state=ReviewState.APPROVED)
    AppealCase.objects.create(unit=unit_a, kind="reconsideration", case_number="芙复〔2023〕1号", filed_on=D(2023, 5, 1))


def draft(editor, column, **narrative):
    return services.report_draft(actor=editor, unit=editor.staff_profile.unit, year=2023, column=column, narrative={**NARRATIVE, **narrative})


def test_the_unit_return_is_counted_only_once_the_office_approves_it(unit_a, editor_a, office):
    entry = services.unit_return_save(actor=editor_a, unit=unit_a, year=2023, data={"licences": 7, "fees": "0.8"})
    services.unit_return_submit(actor=editor_a, entry=entry)
    with pytest.raises(ReportError):
        services.unit_return_save(actor=editor_a, unit=unit_a, year=2023, data={"licences": 8})
    with pytest.raises(PermissionDenied):
        services.unit_return_review(actor=editor_a, entry=entry, approve=True)
    assert services.unit_return_review(actor=office, entry=entry, approve=True).state == ReviewState.APPROVED


def test_a_unit_cannot_enter_another_units_return(unit_b, editor_a):
    with pytest.raises(PermissionDenied):
        services.unit_return_save(actor=editor_a, unit=unit_b, year=2023, data={"licences": 1})


def test_a_case_linked_to_a_request_must_be_the_units_own(unit_a, unit_b, editor_a, office, file_request):
    foreign = file_request(unit_b, D(2023, 3, 1))
    with pytest.raises(ReportError, match="本单位办理"):
        services.appeal_case_save(actor=office, data={
            "unit": unit_a, "request": foreign, "kind": "reconsideration", "case_number": "1", "filed_on": D(2023, 4, 1),
        })  # fmt: skip


def test_draft_to_published_item_with_frozen_tables(year_2023, editor_a, reviewer_a, departments_column):
    report = draft(editor_a, departments_column)
    with pytest.raises(PermissionDenied, match="撰写人"):
        services.report_submit(actor=editor_a, report=report) and services.report_publish(actor=editor_a, report=report, secrecy_confirmed=True)
    report = AnnualReport.objects.get(pk=report.pk)
    assert report.state == AnnualReport.State.PENDING
    rows = {row["key"]: row["cells"] for row in report.tables["table3"]["rows"]}
    assert (rows["new"][-1], rows["carried_in"][-1], rows["processed_total"][-1], rows["carried_out"][-1]) == (2, 1, 2, 1)
    assert report.tables["table2"]["licences"]["decisions"] == 12
    assert report.tables["table4"]["reconsideration"]["pending"] == 1
    with pytest.raises(ValidationError, match="保密审查"):
        services.report_publish(actor=reviewer_a, report=report, secrecy_confirmed=False)
    report = services.report_publish(actor=reviewer_a, report=report, secrecy_confirmed=True)
    item = report.item
    assert report.state == AnnualReport.State.PUBLISHED and item.state == Item.State.PUBLISHED
    assert item.column == departments_column and item.index_number and item.genre == "report"
    assert item.title == "区教育局2023年政府信息公开工作年度报告"
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in item.body
    assert "第二十条第（一）项" in item.body and "法律服务机构" in item.body and "复议后起诉" in item.body
    assert item.body.count("<table>") == 3


def test_tables_cannot_be_typed_into_the_report(year_2023, editor_a, departments_column):
    report = draft(editor_a, departments_column)
    with pytest.raises(ReportError, match="由系统生成"):
        services.report_update(actor=editor_a, report=report, narrative={"tables": {"table3": {}}})


def test_a_submitted_report_keeps_its_figures_when_data_changes(year_2023, editor_a, office, unit_a, file_request, departments_column):
    report = services.report_submit(actor=editor_a, report=draft(editor_a, departments_column))
    file_request(unit_a, D(2023, 6, 1))  # registered late
    report.refresh_from_db()
    rows = {row["key"]: row["cells"] for row in report.tables["table3"]["rows"]}
    assert rows["new"][-1] == 2


def test_a_unit_editor_cannot_write_the_district_report_or_another_units(editor_a, unit_b, district_column, departments_column):
    with pytest.raises(PermissionDenied):
        services.report_draft(actor=editor_a, unit=None, year=2023, column=district_column, narrative=NARRATIVE)
    with pytest.raises(PermissionDenied):
        services.report_draft(actor=editor_a, unit=unit_b, year=2023, column=departments_column, narrative=NARRATIVE)


def test_the_district_report_needs_a_second_person_of_the_office(year_2023, office, office_2, reviewer_a, district_column):
    report = services.report_draft(actor=office, unit=None, year=2023, column=district_column, narrative=NARRATIVE)
    services.report_submit(actor=office, report=report)
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=office, report=report, secrecy_confirmed=True)
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=reviewer_a, report=report, secrecy_confirmed=True)
    report = services.report_publish(actor=office_2, report=report, secrecy_confirmed=True)
    assert report.item.title == "芙蓉区人民政府2023年政府信息公开工作年度报告" and report.item.column == district_column


def test_a_report_must_go_in_the_annual_report_columns(editor_a, seed):
    from responsibility.models import Column

    with pytest.raises(ReportError, match="年报"):
        services.report_draft(actor=editor_a, unit=editor_a.staff_profile.unit, year=2023, column=Column.objects.get(slug="3-1"), narrative=NARRATIVE)


def test_the_current_year_has_no_report_yet(editor_a, departments_column):
    this_year = dt.date.today().year
    with pytest.raises(ReportError, match="尚未结束"):
        services.report_draft(actor=editor_a, unit=editor_a.staff_profile.unit, year=this_year, column=departments_column, narrative=NARRATIVE)


def tables(new=2, carried_in=1, processed=2, carried_out=1, licences=12, previous=None):
    from disclosure.requests.selectors import TABLE3_COLUMNS, annual_report_table3

    table = annual_report_table3(year=1990)  # the national rows, all zero
    rows = []
    for row in table.rows:
        cells = None if row.key == "processed" else [0] * len(TABLE3_COLUMNS)
        values = {"new": new, "carried_in": carried_in, "processed_total": processed, "carried_out": carried_out,
                  "disclosed": processed}  # fmt: skip
        if cells is not None and row.key in values:
            cells[0] = cells[-1] = values[row.key]
        rows.append({"key": row.key, "label": row.label, "level": row.level, "cells": cells})
    decisions = {key: {"label": key, "decisions": licences if key == "licences" else 0} for key in ("licences", "penalties", "coercions")}
    return {
        "table2": {**decisions, "fees": {"label": "收费", "amount": "0.0000"}},
        "table3": {"columns": [label for _, label in TABLE3_COLUMNS], "rows": rows},
        "table4": {kind: {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0} for kind in ("reconsideration", "litigation_direct", "litigation_after")},
    }


def test_balanced_tables_have_no_findings(seed):
    assert table_findings(tables()) == []


def test_the_table_3_invariant_is_an_error(seed):
    messages = [finding.message for finding in table_findings(tables(carried_out=5)) if finding.is_error]
    assert any("一 + 二 = 3，三(七) + 四 = 7" in message for message in messages)


def test_a_total_that_is_not_the_sum_of_its_parts_is_an_error(seed):
    broken = tables()
    broken["table4"]["reconsideration"]["total"] = 3
    assert any("表四" in finding.message and finding.is_error for finding in table_findings(broken))


def test_year_on_year_jumps_and_implausible_values_are_warnings(seed):
    findings = table_findings(tables(new=40, carried_in=1, processed=40, carried_out=1, licences=200_000), previous=tables(new=2, carried_out=3))
    messages = [finding.message for finding in findings]
    assert all(not finding.is_error for finding in findings)
    assert any("本年新收申请：本年 40，上年 2" in message for message in messages)
    assert any("数值异常偏大" in message for message in messages)
    assert any("与上年年报 四、结转下年度 3 件不一致" in message for message in messages)


def test_the_office_sees_who_has_not_published_by_the_deadlines(year_2023, editor_a, reviewer_a, departments_column, unit_a):
    submitted = services.report_submit(actor=editor_a, report=draft(editor_a, departments_column))
    services.report_publish(actor=reviewer_a, report=submitted, secrecy_confirmed=True)
    statuses = report_statuses(year=2023)
    district, by_unit = statuses[0], {status.unit: status for status in statuses[1:]}
    assert district.unit is None and district.deadline == D(2024, 3, 31)
    assert by_unit[unit_a].published and by_unit[unit_a].deadline == D(2024, 1, 31)
    assert not by_unit[unit_a].late(D(2024, 2, 1))
    others = [status for status in statuses[1:] if status.unit != unit_a]
    assert others and all(status.late(D(2024, 2, 1)) for status in others)
    assert not district.late(D(2024, 3, 31)) and district.late(D(2024, 4, 1))
