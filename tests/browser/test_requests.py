"""A person files a request, the unit asks for a correction, the person corrects it, the unit
answers 部分公开 — in Chromium, through the public pages and the admin — and no public page
ever shows the applicant's identity data."""

import datetime as dt
import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from responsibility.access import ROLE_EDITOR
from responsibility.models import Unit
from tests.conftest import browser_second_factor
from tests.requests.conftest import PASSWORD, VALID_ID, make_staff

NAME, PHONE, EMAIL, ADDRESS = "赵六一", "13912345678", "zhaoliuyi@example.com", "长沙市芙蓉区人民中路88号"
IDENTITY = (NAME, VALID_ID, PHONE, EMAIL, ADDRESS)


def settle(page):
    """Let the page finish its own requests (the icon) before the next navigation cancels them."""
    page.wait_for_load_state("networkidle")


def assert_no_identity(page):
    settle(page)
    html = page.content()
    leaked = [value for value in IDENTITY if value in html]
    assert not leaked, f"{page.url} shows {leaked}"


def staff_login(page, base):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "editor-edu")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    browser_second_factor(page, get_user_model().objects.get(username="editor-edu"))
    settle(page)


def staff_logout(page):
    page.locator("#logout-form button").click()
    settle(page)


def open_status(page, base, number, code):
    page.goto(f"{base}/requests/status/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("h1")).to_have_text(f"办理进度：{number}")
    assert_no_identity(page)


def test_request_from_form_to_partial_disclosure(site, page):
    base = site.url
    # The admin's pages name no icon, so Chromium asks for /favicon.ico, which the portal
    # does not serve; that 404 is not this test's business.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    unit = Unit.objects.get(name="区教育局")
    make_staff("editor-edu", unit=unit, role=ROLE_EDITOR)

    # The public files a request from the landing page.
    page.goto(f"{base}/")
    page.get_by_role("link", name="依申请公开").first.click()
    expect(page.locator("h1")).to_have_text("依申请公开")
    settle(page)
    page.get_by_role("link", name="在线提交申请").click()
    page.get_by_label("自然人").check()
    page.fill("#id_applicant_name", NAME)
    page.select_option("#id_id_type", "id_card")
    page.fill("#id_id_number", VALID_ID)
    page.fill("#id_phone", PHONE)
    page.fill("#id_email", EMAIL)
    page.fill("#id_address", ADDRESS)
    page.select_option("#id_unit", label="区教育局")
    page.fill("#id_description", "学校建设情况")
    page.get_by_label("电子", exact=True).check()
    page.get_by_label("网上查阅").check()
    page.get_by_label("本人承诺").check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("h1")).to_have_text("申请已提交")
    number = page.get_by_test_id("request-number").inner_text()
    code = page.get_by_test_id("query-code").inner_text()
    assert re.fullmatch(rf"YSQ-{dt.date.today().year}-\d{{5}}", number)
    assert_no_identity(page)

    # The unit asks for a correction in the admin.
    staff_login(page, base)
    page.goto(f"{base}/admin/requests/informationrequest/")
    expect(page.locator("#result_list")).to_contain_text("430***********1234")
    settle(page)
    assert VALID_ID not in page.content()
    page.get_by_role("link", name=number).click()
    settle(page)
    page.get_by_role("link", name="告知补正").click()
    settle(page)
    page.fill("#id_instructions", "请写明学校名称和建设年份")
    page.fill("#id_due_on", (dt.date.today() + dt.timedelta(days=15)).isoformat())
    page.get_by_role("button", name="确定").click()
    expect(page.locator(".messagelist")).to_contain_text("告知补正已办理")
    settle(page)
    staff_logout(page)

    # The person sees what to correct and corrects it on the status page.
    open_status(page, base, number, code)
    assert page.get_by_test_id("request-state").inner_text() == "补正中"
    assert "请写明学校名称和建设年份" in page.content()
    page.fill("#id_text", "芙蓉区某小学2020年新建教学楼的立项和验收情况")
    page.get_by_role("button", name="提交补正").click()
    expect(page.locator(".requests-messages")).to_contain_text("补正内容已提交")
    assert page.get_by_test_id("request-state").inner_text() == "办理中"
    assert_no_identity(page)

    # The unit answers 部分公开.
    staff_login(page, base)
    page.goto(f"{base}/admin/requests/informationrequest/")
    page.get_by_role("link", name=number).click()
    settle(page)
    page.get_by_role("link", name="答复", exact=True).click()
    settle(page)
    page.select_option("#id_outcome", "partly")
    page.fill("#id_letter_number", "芙教信复〔2026〕1号")
    page.fill("#id_letter_text", "经审查，立项批复予以公开；验收材料中涉及第三方商业信息的部分不予公开。")
    page.get_by_role("button", name="确定").click()
    expect(page.locator(".messagelist")).to_contain_text("答复已办理")
    settle(page)
    staff_logout(page)

    # The status page shows the answer, and still nothing about who asked.
    open_status(page, base, number, code)
    assert page.get_by_test_id("request-state").inner_text() == "已答复"
    assert page.get_by_test_id("request-outcome").inner_text() == "部分公开"
    assert "芙教信复〔2026〕1号" in page.content()
    page.screenshot(path="test-results/requests-status.png", full_page=True)
    for path in ("/requests/", "/requests/procedure/", "/requests/paper-form/", "/requests/apply/"):
        page.goto(base + path)
        assert_no_identity(page)
