"""The annual report in the back office and its public xlsx, over HTTP."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.reports import services
from disclosure.reports.models import AnnualReport, ReviewState, UnitReturn

from .test_reports import NARRATIVE, year_2023  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_a_unit_enters_its_return_and_cannot_enter_another_units(client, editor_a, unit_a, unit_b):
    client.force_login(editor_a)
    url = reverse("admin:reports_unitreturn_add")
    figures = {"year": 2023, "licences": 4, "penalties": 5, "coercions": 0, "fees": "0.3", "note": ""}
    foreign = client.post(url, {**figures, "unit": unit_b.pk})
    assert foreign.status_code == 200 and not UnitReturn.objects.filter(unit=unit_b).exists()
    response = client.post(url, {**figures, "unit": unit_a.pk})
    assert response.status_code == 302
    entry = UnitReturn.objects.get(unit=unit_a, year=2023)
    assert (entry.licences, entry.state, entry.submitted_by) == (4, ReviewState.DRAFT, editor_a)
    again = client.post(url, {**figures, "unit": unit_a.pk})
    assert again.status_code == 200 and "已存在" in again.content.decode()


def test_the_office_returns_a_return_with_a_reason(client, editor_a, office, unit_a):
    entry = services.unit_return_submit(
        actor=editor_a, entry=services.unit_return_save(actor=editor_a, unit=unit_a, year=2023, data={"licences": 1})
    )
    client.force_login(office)
    url = reverse("admin:reports_unitreturn_return", args=(entry.pk,))
    assert url in client.get(reverse("admin:reports_unitreturn_change", args=(entry.pk,))).content.decode()
    assert "退回原因" in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "许可数量与政务服务系统不符"})
    entry.refresh_from_db()
    assert (entry.state, entry.review_comment) == (ReviewState.RETURNED, "许可数量与政务服务系统不符")


def test_report_page_shows_live_tables_and_the_checks_then_publishes(client, year_2023, editor_a, reviewer_a, departments_column):  # noqa: F811
    client.force_login(editor_a)
    response = client.post(reverse("admin:reports_annualreport_add"), {
        "unit": editor_a.staff_profile.unit.pk, "year": 2023, "column": departments_column.pk, **NARRATIVE,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    report = AnnualReport.objects.get(year=2023)
    page = client.get(reverse("admin:reports_annualreport_change", args=(report.pk,))).content.decode()
    assert "校验通过" in page and "本年新收政府信息公开申请数量" in page and "提交审核" in page
    client.post(reverse("admin:reports_annualreport_submit", args=(report.pk,)))
    client.force_login(reviewer_a)
    client.post(reverse("admin:reports_annualreport_review", args=(report.pk,)), {"decision": "publish", "secrecy_confirmed": "on"})
    report.refresh_from_db()
    assert report.state == AnnualReport.State.PUBLISHED
    public = client.__class__()
    html = public.get(report.item.get_absolute_url()).content.decode()
    assert "三、收到和处理政府信息公开申请情况" in html and "下载本报告统计表" in html
    download = public.get(reverse("reports:xlsx", args=(report.pk,)))
    workbook = load_workbook(io.BytesIO(download.content))
    assert workbook.sheetnames[1].startswith("三、收到和处理")
    table3 = workbook.worksheets[1]
    rows = [[cell for cell in row] for row in table3.iter_rows(values_only=True)]
    new = next(row for row in rows if row[0] == "一、本年新收政府信息公开申请数量")
    assert list(new[3:]) == [2, 0, 0, 0, 0, 0, 2]
    assert workbook.worksheets[2]["D4"].value == 1  # 行政复议 尚未审结


def test_an_unpublished_reports_tables_are_not_public(client, year_2023, editor_a, departments_column):  # noqa: F811
    report = services.report_draft(actor=editor_a, unit=editor_a.staff_profile.unit, year=2023, column=departments_column, narrative=NARRATIVE)
    assert client.get(reverse("reports:xlsx", args=(report.pk,))).status_code == 404


def test_only_the_office_sees_the_publication_status(client, editor_a, office):
    client.force_login(editor_a)
    assert client.get(reverse("admin:reports_annualreport_status")).status_code == 403
    client.force_login(office)
    page = client.get(reverse("admin:reports_annualreport_status"), {"year": dt.date.today().year - 1}).content.decode()
    assert "芙蓉区人民政府" in page and "已逾期未发布" in page or "未撰写" in page
    assert client.get(reverse("admin:reports_annualreport_status"), {"year": "x"}).status_code == 200


def test_the_office_dashboard_names_who_is_late_with_last_years_report(client, office):
    client.force_login(office)
    page = client.get(reverse("admin:tasks_office")).content.decode()
    year = dt.date.today().year - 1
    assert f"{year}年度政府信息公开工作年度报告" in page and 'data-testid="annual-report-status"' in page
    if dt.date.today() > dt.date(year + 1, 1, 31):  # departments are late after 31 January
        assert "已逾期" in page and "芙蓉区人民政府" in page
