"""A visitor on the public site, in Chromium: home → column → item → attachment, search,
长者模式 and the keyboard alone. The `page` fixture fails on any console error or
failed request."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from disclosure.models import Item
from tests.disclosure.public_data import attach, publish

pytestmark = pytest.mark.browser


@pytest.fixture
def content(site):
    document = publish(
        "3-12-1", title="芙蓉区扶贫资金管理办法", doc_number="芙农发〔2024〕5号", is_normative=True,
        validity=Item.Validity.VALID, body="<p>第一条 为加强扶贫资金管理，制定本办法。</p>",
        published_at=timezone.now() - datetime.timedelta(days=2),
    )  # fmt: skip
    attach(document, "pdf", name="扶贫资金申报表.pdf")
    publish("3-12-1", title="《芙蓉区扶贫资金管理办法》政策解读", interprets=document)
    publish("3-7", "区财政局", title="芙蓉区2024年部门预算公开说明")
    return document


def test_visitor_walks_from_home_to_an_item_and_downloads_its_attachment(site, content, page):
    page.goto(site.url + "/")
    expect(page.locator("h1")).to_have_count(1)
    page.get_by_role("link", name="（1） 扶贫信息").click()
    expect(page.locator("h1")).to_have_text("扶贫信息")
    page.get_by_role("link", name="芙蓉区扶贫资金管理办法", exact=True).click()
    expect(page.locator("h1")).to_have_text("芙蓉区扶贫资金管理办法")
    expect(page.locator(".meta-table")).to_contain_text("芙农发〔2024〕5号")
    expect(page.locator(".meta-table")).to_contain_text("有效")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="扶贫资金申报表.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "扶贫资金申报表.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    page.get_by_role("link", name="《芙蓉区扶贫资金管理办法》政策解读").click()
    expect(page.locator(".notice")).to_contain_text("的解读")


def test_two_character_search_from_the_header_finds_the_items(site, content, page):
    page.goto(site.url + "/columns/3/")
    page.get_by_label("全站检索").fill("预算")
    page.get_by_label("全站检索").press("Enter")
    expect(page.locator("h1")).to_have_text("信息检索")
    results = page.locator(".results .item-list li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("芙蓉区2024年部门预算公开说明")
    expect(results.first).to_contain_text("决算预算")  # the column path


def test_elder_mode_enlarges_the_text_and_is_remembered(site, content, page):
    page.goto(site.url + "/documents/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("link", name="长者模式（大字版）").click()
    expect(page).to_have_url(re.compile(r"/documents/$"))
    expect(page.locator("body")).to_have_class(re.compile("elder-mode"))
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= normal * 1.2
    page.goto(site.url + "/")
    expect(page.locator("body")).to_have_class(re.compile("elder-mode"))
    page.get_by_role("link", name="退出长者模式").click()
    expect(page.locator("body")).not_to_have_class(re.compile("elder-mode"))


def test_keyboard_alone_reaches_the_content_and_searches(site, content, page):
    page.goto(site.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "home-search"
    page.keyboard.type("扶贫")
    page.keyboard.press("Enter")
    expect(page.locator(".results .item-list li")).to_have_count(2)
    for _ in range(40):  # Tab forward to the first result and open it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.results') !== null"):
            break
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("扶贫资金管理办法")
