"""From the units' returns to a published annual report, in a real browser: a unit enters and
submits its table-二 figures, the office approves them, the unit drafts its report (the tables
appear by themselves), submits it, its reviewer publishes it, and the public reads it."""

import datetime as dt
import re

from playwright.sync_api import expect

from disclosure.reports.models import AnnualReport, ReviewState, UnitReturn
from responsibility.models import Column
from tests.browser.test_review_flow import log_in
from tests.disclosure.staff import district_officer, editor_of, reviewer_of, unit

UNIT = "区教育局"


def run_action(page, site, changelist: str, label: str):
    page.goto(site.url + changelist)
    page.locator('input[name="_selected_action"]').first.check()
    page.locator('select[name="action"]').select_option(label=label)
    page.locator('button[name="index"]').click()


def test_from_unit_returns_to_a_published_report(site, page):
    education = unit(UNIT)
    editor, reviewer, office = editor_of(education), reviewer_of(education), district_officer()
    year = dt.date.today().year - 1
    column = Column.objects.get(slug="4-3")

    # The unit enters its figures for table 二 and sends them to the office.
    log_in(page, site, editor)
    page.goto(site.url + "/admin/reports/unitreturn/add/")
    page.locator("#id_unit").select_option(str(education.pk))
    page.locator("#id_year").fill(str(year))
    page.locator("#id_licences").fill("37")
    page.locator("#id_penalties").fill("5")
    page.locator("#id_fees").fill("2.5")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_be_visible()
    run_action(page, site, "/admin/reports/unitreturn/", "报送区政务公开办审核")
    expect(page.locator(".messagelist")).to_contain_text("已报送")

    # The office approves them.
    log_in(page, site, office)
    run_action(page, site, "/admin/reports/unitreturn/", "审核通过（区政务公开办）")
    expect(page.locator(".messagelist")).to_contain_text("审核通过")
    assert UnitReturn.objects.get(unit=education, year=year).state == ReviewState.APPROVED

    # The unit drafts its report: the tables are there, computed, with the approved figures.
    log_in(page, site, editor)
    page.goto(site.url + "/admin/reports/annualreport/add/")
    page.locator("#id_unit").select_option(str(education.pk))
    page.locator("#id_year").fill(str(year))
    page.locator("#id_column").select_option(str(column.pk))
    page.locator("#id_overview").fill("本年度，区教育局认真贯彻落实《中华人民共和国政府信息公开条例》。")
    page.locator("#id_problems").fill("信息发布的及时性有待提高，下一步将加强审核。")
    page.locator('input[name="_continue"]').click()
    expect(page.get_by_test_id("report-findings")).to_contain_text("校验通过")
    expect(page.locator(".annual-report-tables")).to_contain_text("37")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messagelist")).to_contain_text("已提交审核")

    # The unit's reviewer publishes it.
    report = AnnualReport.objects.get(unit=education, year=year)
    log_in(page, site, reviewer)
    page.goto(site.url + f"/admin/reports/annualreport/{report.pk}/change/")
    page.get_by_label(re.compile("已完成保密审查")).check()
    page.get_by_role("button", name="审核通过并发布").click()
    expect(page.locator(".messagelist")).to_contain_text("已发布")

    # The public finds it under 部门政府信息公开年报, with its tables.
    page.context.clear_cookies()
    page.goto(site.url + column.get_absolute_url())
    title = f"区教育局{year}年政府信息公开工作年度报告"
    page.get_by_role("link", name=title).first.click()
    expect(page.locator("h1")).to_have_text(title)
    body = page.locator(".item-body")
    expect(body).to_contain_text("三、收到和处理政府信息公开申请情况")
    expect(body.locator("table")).to_have_count(3)
    expect(body.locator("table").first).to_contain_text("37")
    href = page.get_by_role("link", name=re.compile("下载本报告统计表")).get_attribute("href")
    download = page.request.get(site.url + href)
    assert download.ok and download.headers["content-type"].startswith("application/vnd.openxmlformats")
