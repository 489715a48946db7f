"""Editor → reviewer → public page, in a real browser: a draft is written, returned,
corrected, approved and then shown on the public site."""

import re

from playwright.sync_api import expect

from disclosure.models import Item
from tests.conftest import browser_second_factor
from tests.disclosure.staff import COLUMN_A, PASSWORD, UNIT_A, column, editor_of, reviewer_of, unit

# The body's rich-text editor (django-prose-editor): its editable area.
EDITOR = '.ProseMirror[contenteditable="true"]'


def log_in(page, site, user):
    page.context.clear_cookies()
    page.goto(site.url + "/admin/login/?next=/admin/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    browser_second_factor(page, user)
    expect(page.get_by_role("heading", name=re.compile("我的工作台"))).to_be_visible()


def test_draft_returned_corrected_approved_and_published(site, page):
    a = unit(UNIT_A)
    editor, reviewer = editor_of(a), reviewer_of(a)
    target = column(COLUMN_A)

    # The editor writes a draft in one of the unit's columns and submits it.
    log_in(page, site, editor)
    page.goto(site.url + "/admin/disclosure/item/add/")
    page.locator("#id_column").select_option(str(target.pk))
    page.get_by_label("标题").fill("芙蓉区司法局行政执法公示（初稿）")
    page.locator(EDITOR).click()
    page.keyboard.type("执法主体、权限、程序和救济渠道。")
    page.locator('input[name="_continue"]').click()
    item = Item.objects.get(title="芙蓉区司法局行政执法公示（初稿）")
    page.get_by_role("button", name="提交审核", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("已提交审核")

    # The reviewer returns it with a reason.
    log_in(page, site, reviewer)
    page.locator(".furong-dashboard").get_by_role("link", name=item.title).click()
    page.get_by_label("退回修改").check()
    page.get_by_label("退回原因").fill("标题不应带“初稿”字样")
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator(".messagelist")).to_contain_text("已退回")

    # The editor sees the reason, corrects the title and submits again.
    log_in(page, site, editor)
    expect(page.locator(".furong-dashboard")).to_contain_text("标题不应带“初稿”字样")
    page.locator(".furong-dashboard").get_by_role("link", name=item.title).click()
    expect(page.get_by_role("status")).to_contain_text("标题不应带“初稿”字样")
    page.get_by_label("标题").fill("芙蓉区司法局行政执法公示")
    page.locator('input[name="_continue"]').click()
    page.get_by_role("button", name="提交审核", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("已提交审核")

    assert not Item.objects.published().filter(pk=item.pk).exists()

    # The reviewer approves it for immediate publication.
    log_in(page, site, reviewer)
    page.locator(".furong-dashboard").get_by_role("link", name="芙蓉区司法局行政执法公示").click()
    page.get_by_label("审核通过，立即发布").check()
    page.get_by_label(re.compile("已完成保密审查")).check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator(".messagelist")).to_contain_text("已发布")

    # The public reads it on the site, with its 索引号, under its column.
    item.refresh_from_db()
    page.context.clear_cookies()
    page.goto(site.url + target.get_absolute_url())
    page.get_by_role("link", name="芙蓉区司法局行政执法公示").first.click()
    expect(page.locator("h1")).to_have_text("芙蓉区司法局行政执法公示")
    expect(page.locator(".meta-table")).to_contain_text(item.index_number)
