"""社会评议: anonymous, one per visitor and quarter, abuse-guarded; results by quarter and column
on the office's dashboard, in xlsx and as text for the annual report."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.evaluations.models import Evaluation, period_of
from disclosure.evaluations.selectors import annual_report_sections, evaluation_results, recent_periods
from disclosure.evaluations.services import evaluation_submit
from disclosure.evaluations.views import VISITOR_COOKIE
from disclosure.requests.forms import issue_form_token
from responsibility.models import Column
from tests.disclosure.staff import district_officer, editor_of, unit

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 5, 20)


def roots():
    return list(Column.objects.roots().order_by("order"))


def submit(visitor, scores, timeliness=4, findability=4, comment="", day=DAY):
    return evaluation_submit(
        visitor_id=visitor, scores=scores, timeliness=timeliness, findability=findability, comment=comment, today=day
    )


def test_periods_are_quarters():
    assert [period_of(datetime.date(2026, m, 1)) for m in (1, 3, 4, 12)] == ["2026Q1", "2026Q1", "2026Q2", "2026Q4"]
    assert recent_periods(datetime.date(2026, 2, 1)) == ["2025Q2", "2025Q3", "2025Q4", "2026Q1"]


def test_one_evaluation_per_visitor_and_quarter_without_storing_the_cookie(seed):
    guide = roots()[0]
    evaluation = submit("visitor-1", {guide.pk: 5})
    assert "visitor-1" not in evaluation.visitor_key
    with pytest.raises(ValidationError, match="本季度"):
        submit("visitor-1", {guide.pk: 1})
    submit("visitor-1", {guide.pk: 1}, day=DAY + datetime.timedelta(days=60))
    assert Evaluation.objects.count() == 2


def test_scores_out_of_range_or_for_a_sub_column_are_refused(seed):
    with pytest.raises(ValidationError):
        submit("v", {roots()[0].pk: 6})
    with pytest.raises(ValidationError):
        submit("v", {Column.objects.get(slug="3-1").pk: 5})


def test_results_by_quarter_and_column_and_the_annual_report_text(seed):
    guide, rules, *_ = roots()
    submit("a", {guide.pk: 5, rules.pk: 2}, timeliness=5, findability=3, comment="希望增加图解")
    submit("b", {guide.pk: 4, rules.pk: 1}, timeliness=3, findability=3)
    submit("c", {guide.pk: 2}, timeliness=4, findability=5, day=datetime.date(2026, 8, 1))
    q2, q3, total = evaluation_results(["2026Q2", "2026Q3"])
    assert (q2.count, q2.timeliness, q2.findability, q2.comments) == (2, 4, 3, 1)
    assert [(s.count, s.satisfied_percent) for s in q2.sections[:2]] == [(2, 100), (2, 0)]
    assert (total.count, total.sections[0].satisfied_percent, str(total.sections[0].average)) == (3, 67, "3.7")
    report = annual_report_sections(2026)
    assert "收到社会评议 3 份" in report["six"]
    assert "政府信息公开制度" in report["five"] and "满意率 0%" in report["five"]
    assert "未收到评议" in annual_report_sections(2019)["six"]


def post(client, **data):
    fields = {"timeliness": "4", "findability": "5", "comment": "", "token": issue_form_token(), "website": "", **data}
    return client.post(reverse("evaluations:evaluate"), fields)


def test_the_public_form_sets_a_visitor_cookie_and_takes_one_evaluation(client, seed):
    cache.clear()
    page = client.get(reverse("evaluations:evaluate"))
    assert page.status_code == 200 and VISITOR_COOKIE in page.cookies
    assert "政府信息公开指南" in page.content.decode()
    assert post(client, **{f"section_{roots()[0].pk}": "5"}).status_code == 302
    assert Evaluation.objects.get().scores.get().satisfaction == 5
    assert post(client).status_code == 409


def test_the_public_form_refuses_bots_bad_input_and_floods(client, seed, settings):
    cache.clear()
    client.get(reverse("evaluations:evaluate"))
    assert post(client, website="x").status_code == 400
    assert post(client, timeliness="9").status_code == 200
    assert post(client, token="forged").status_code == 200
    assert not Evaluation.objects.exists()
    settings.RATE_LIMITS = {"evaluation_per_ip": (1, 3600)}
    assert post(client).status_code == 302
    client.cookies[VISITOR_COOKIE] = "another-visitor"
    assert post(client).status_code == 429


def test_the_office_sees_the_chart_and_exports_xlsx_and_units_cannot(client, seed):
    submit("a", {roots()[0].pk: 5}, comment="栏目分类清楚", day=datetime.date.today())
    office = district_officer()
    client.force_login(office)
    page = client.get(reverse("admin:tasks_office_evaluations")).content.decode()
    assert "各栏目满意率" in page and "<svg" in page and "100%" in page and "栏目分类清楚" in page
    response = client.get(reverse("admin:tasks_office_evaluations_export") + f"?year={datetime.date.today().year}")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["按评议期", "按栏目", "意见建议"]
    assert workbook["意见建议"]["C2"].value == "栏目分类清楚"
    client.force_login(editor_of(unit("区司法局")))
    assert client.get(reverse("admin:tasks_office_evaluations")).status_code == 403


def test_the_district_reports_sections_five_and_six_start_with_the_evaluation_results(client, seed):
    submit("a", {roots()[0].pk: 5}, comment="", day=datetime.date(2025, 6, 1))
    client.force_login(district_officer())
    page = client.get(reverse("admin:reports_annualreport_add") + "?year=2025").content.decode()
    assert "2025年度通过门户网站收到社会评议 1 份" in page
    assert "满意率 100%" in page
