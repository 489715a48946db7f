"""The editor's day in a real browser: type and paste into the rich-text editor, import
a Word document with an image, save and submit, approve with the 保密审查, read it on
the public site; a 错敏词 blocks a submission and a broken link warns the reviewer."""

import re

from playwright.sync_api import expect

from disclosure import services
from disclosure.checks.models import LinkStatus, SensitiveTerm, Severity
from disclosure.models import Item
from tests.browser.test_review_flow import EDITOR, log_in
from tests.disclosure.docx_samples import sample_docx
from tests.disclosure.staff import COLUMN_A, UNIT_A, column, editor_of, reviewer_of, unit

WORD_CLIPBOARD = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><!--StartFragment-->'
    '<p class="MsoNormal" style="text-indent:2em;font-family:仿宋_GB2312"><span style="font-size:16pt">'
    "从 Word 粘贴的段落。</span><o:p></o:p></p><!--EndFragment--></body></html>"
)


def paste_html(page, html: str) -> None:
    page.locator(EDITOR).evaluate(
        """(editor, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "从 Word 粘贴的段落。");
            editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


def test_type_paste_import_submit_approve_and_read(site, page):
    a = unit(UNIT_A)
    editor, reviewer = editor_of(a), reviewer_of(a)
    target = column(COLUMN_A)

    log_in(page, site, editor)
    page.goto(site.url + "/admin/disclosure/item/add/")
    page.locator("#id_column").select_option(str(target.pk))
    page.get_by_label("标题").fill("关于开展政务公开检查的通知")
    body = page.locator(EDITOR)
    body.click()
    page.keyboard.type("第一段。")
    page.keyboard.press("Enter")
    page.keyboard.type("第二段。")
    page.keyboard.press("Enter")
    paste_html(page, WORD_CLIPBOARD)
    expect(body).to_contain_text("从 Word 粘贴的段落。")
    page.get_by_role("button", name="保存草稿，继续编辑").click()
    expect(page.locator(".messagelist")).to_contain_text("仍是草稿，尚未提交审核")
    item = Item.objects.get(title="关于开展政务公开检查的通知")
    assert "<p>第一段。</p><p>第二段。</p>" in item.body
    assert "从 Word 粘贴的段落。" in item.body and "Mso" not in item.body and "style" not in item.body
    expect(page.locator(".workflow-status")).to_contain_text("当前状态：草稿")

    # Import a Word document with an image: preview first, then confirm.
    page.get_by_role("link", name="从 Word 导入正文").click()
    page.get_by_label("Word 文档（.docx）").set_input_files(
        files=[{"name": "检查通知.docx", "mimeType": "application/octet-stream", "buffer": sample_docx()}]
    )
    page.get_by_role("button", name="预览").click()
    expect(page.locator(".docx-preview h2")).to_have_text("关于开展政务公开检查的通知")
    assert Item.objects.get(pk=item.pk).attachments.count() == 0
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messagelist")).to_contain_text("已从“检查通知.docx”导入正文")
    expect(page.locator(f"{EDITOR} img")).to_have_count(1)

    # Save and submit: the primary action.
    page.get_by_role("button", name="保存并提交审核").click()
    expect(page.locator(".messagelist")).to_contain_text("已保存并提交审核")
    expect(page.locator(".workflow-status")).to_contain_text("待审核")
    item.refresh_from_db()
    assert item.state == Item.State.PENDING and "<img" in item.body and "<table>" in item.body

    # The reviewer approves it, confirming the 保密审查.
    log_in(page, site, reviewer)
    page.goto(site.url + f"/admin/disclosure/item/{item.pk}/review/")
    expect(page.locator(".check-findings")).to_contain_text("未发现问题")
    page.get_by_label("审核通过，立即发布").check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator(".errorlist")).to_contain_text("保密审查")
    page.get_by_label(re.compile("已完成保密审查")).check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator(".messagelist")).to_contain_text("已发布")

    # The public reads it, image included.
    page.context.clear_cookies()
    page.goto(site.url + item.get_absolute_url())
    expect(page.locator("h1")).to_have_text("关于开展政务公开检查的通知")
    expect(page.locator(".item-body")).to_contain_text("政务公开检查有关事项通知如下")
    image = page.locator(".item-body img")
    expect(image).to_have_count(1)
    image.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.item-body img').naturalWidth > 0")


def test_a_sensitive_term_blocks_and_a_broken_link_warns(site, page):
    a = unit(UNIT_A)
    editor, reviewer = editor_of(a), reviewer_of(a)
    SensitiveTerm.objects.create(term="台湾政府", suggestion="台湾当局", severity=Severity.BLOCK)
    LinkStatus.objects.create(url="https://old.example.gov.cn/notice", is_broken=True, status_code=404)

    log_in(page, site, editor)
    page.goto(site.url + "/admin/disclosure/item/add/")
    page.locator("#id_column").select_option(str(column(COLUMN_A).pk))
    page.get_by_label("标题").fill("含错敏词的通知")
    page.locator(EDITOR).click()
    page.keyboard.type("涉及台湾政府的事项。")
    page.get_by_role("button", name="保存并提交审核").click()
    expect(page.locator(".messagelist")).to_contain_text("未提交审核")
    expect(page.locator(".messagelist")).to_contain_text("建议改为“台湾当局”")
    expect(page.locator(".check-findings")).to_contain_text("须修改")
    assert Item.objects.get(title="含错敏词的通知").state == Item.State.DRAFT

    item = services.item_create(
        actor=editor, column=column(COLUMN_A),
        data={"title": "含失效链接的通知", "body": '<p>详见<a href="https://old.example.gov.cn/notice">原通知</a>。</p>'},
    )  # fmt: skip
    services.item_submit(actor=editor, item=item)  # a warning does not stop the submission
    log_in(page, site, reviewer)
    page.goto(site.url + f"/admin/disclosure/item/{item.pk}/review/")
    findings = page.locator(".check-findings")
    expect(findings).to_contain_text("提示")
    expect(findings).to_contain_text("https://old.example.gov.cn/notice")
    expect(findings).to_contain_text("HTTP 404")
    page.get_by_label("审核通过，立即发布").check()
    page.get_by_label(re.compile("已完成保密审查")).check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator(".messagelist")).to_contain_text("已发布")
