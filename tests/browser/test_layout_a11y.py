"""Phones, 长者模式 and accessibility, measured in Chromium.

- At 390 × 844 no public page and none of the admin pages staff use daily scrolls
  sideways (document width ≤ viewport width), in normal and in 长者模式.
- 长者模式 makes headings, breadcrumbs, metadata, lists and the article ≥ 1.25 × larger,
  and every piece of text keeps a contrast of at least 7:1 against its background.
- axe-core (from node_modules, injected by the test; no CDN) finds no serious or
  critical violation on the public pages and the admin pages staff use daily."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from disclosure import services
from tests.browser.test_review_flow import log_in
from tests.disclosure.public_data import public_page_urls
from tests.disclosure.staff import COLUMN_A, UNIT_A, column, district_officer, editor_of, unit

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
pytestmark = pytest.mark.skipif(not AXE.exists() and not os.environ.get("CI"), reason="npm install (axe-core) not run")


@pytest.fixture
def browser_context_args(browser_context_args):
    # The test injects axe-core; the site's own Content-Security-Policy must not stop it.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def urls(site):
    return public_page_urls()


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def elder_mode(page, site, on: bool) -> None:
    page.context.clear_cookies(name="elder_mode")
    if on:
        page.context.add_cookies([{"name": "elder_mode", "value": "1", "url": site.url}])


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{page.url}: {v['impact']} {v['id']} — {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


def test_public_pages_fit_a_phone_in_normal_and_elder_mode(site, page, urls):
    page.set_viewport_size(PHONE)
    wide = []
    for on in (False, True):
        elder_mode(page, site, on)
        for url in urls:
            page.goto(site.url + url)
            if overflow(page):
                wide.append(f"{'长者模式 ' if on else ''}{url}: {overflow(page)} px too wide")
    assert not wide, "\n".join(wide)


FONT_SIZES = """() => Object.fromEntries(
    [["h1", "h1"], ["breadcrumbs", ".breadcrumbs li"], ["metadata", ".meta-table td"],
     ["article", ".item-body p"], ["list", ".item-list .item-title"], ["footer", ".site-footer p"],
     ["navigation", ".site-nav a"], ["h2", "h2"]]
    .filter(([name, selector]) => document.querySelector(selector))
    .map(([name, selector]) => [name, parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)]))"""


def test_elder_mode_enlarges_every_kind_of_text_by_at_least_a_quarter(site, page, urls):
    item_page = next(url for url in urls if url.startswith("/items/"))
    sizes = {}
    for on in (False, True):
        elder_mode(page, site, on)
        page.goto(site.url + item_page)
        sizes[on] = page.evaluate(FONT_SIZES)
        page.goto(site.url + reverse("disclosure:column", args=("3-1",)))
        sizes[on]["list"] = page.evaluate(FONT_SIZES)["list"]
    small = {name: round(sizes[True][name] / sizes[False][name], 3) for name in sizes[False] if sizes[True][name] < 1.249 * sizes[False][name]}
    assert not small, small
    assert sizes[True]["article"] >= sizes[True]["list"]  # the article is never smaller than a list


CONTRASTS = """() => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (; el; el = el.parentElement) { const c = parse(getComputedStyle(el).backgroundColor);
                             if (c.length === 3 || c[3] > 0.5) return c.slice(0, 3); } return [255, 255, 255]; };
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim()).map(n => n.textContent.trim()).join("");
    const style = getComputedStyle(el);
    if (!text || style.visibility === "hidden" || el.getClientRects().length === 0 || style.clip === "rect(0px, 0px, 0px, 0px)") continue;
    const [a, b] = [lum(parse(style.color)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 7) low.push(`${el.tagName.toLowerCase()}.${el.className} “${text.slice(0, 20)}” ${ratio.toFixed(2)}:1`);
  }
  return low;
}"""


def test_elder_mode_keeps_a_contrast_of_at_least_seven_to_one(site, page, urls):
    elder_mode(page, site, True)
    low = []
    for url in urls:
        page.goto(site.url + url)
        low += [f"{url}: {problem}" for problem in page.evaluate(CONTRASTS)]
    assert not low, "\n".join(low)


def test_public_pages_have_no_serious_or_critical_axe_violations(site, page, urls):
    found = []
    for on in (False, True):
        elder_mode(page, site, on)
        for url in urls:
            page.goto(site.url + url)
            found += axe_violations(page)
    assert not found, "\n".join(found)


def staff_pages(item) -> list[str]:
    return [
        "/admin/",
        "/admin/disclosure/item/",
        "/admin/disclosure/item/add/",
        f"/admin/disclosure/item/{item.pk}/change/",
    ]


def test_admin_pages_staff_use_daily_fit_a_phone_and_pass_axe(site, page):
    editor = editor_of(unit(UNIT_A))
    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "手机上编辑的通知", "body": "<p>正文</p>"})
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/admin/login/")
    problems = [f"/admin/login/: {overflow(page)} px too wide"] if overflow(page) else []
    problems += axe_violations(page)
    log_in(page, site, editor)
    for url in staff_pages(item):
        page.goto(site.url + url)
        if overflow(page):
            problems.append(f"{url}: {overflow(page)} px too wide")
        problems += axe_violations(page)
    office = district_officer()
    log_in(page, site, office)
    for url in ("/admin/", reverse("admin:tasks_office"), reverse("admin:tasks_office_matrix"), reverse("admin:tasks_office_columns")):
        page.goto(site.url + url)
        if overflow(page):
            problems.append(f"{url}: {overflow(page)} px too wide")
        problems += axe_violations(page)
    assert not problems, "\n".join(problems)
