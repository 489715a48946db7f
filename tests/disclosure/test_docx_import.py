"""Importing a Word document as an item's body: preview first, then one write that
replaces the body and stores the images as attachments shown inline."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosure import services
from disclosure.docx_import import docx_preview, item_body_import_docx
from disclosure.models import Attachment, Item
from disclosure.sanitize import paragraphs_from_plain_text
from tests.disclosure.docx_samples import sample_docx
from tests.disclosure.staff import COLUMN_A, column

pytestmark = pytest.mark.django_db


def draft(editor):
    return services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "导入测试", "body": "<p>旧正文</p>"})


def test_preview_keeps_structure_and_writes_nothing(editor):
    item = draft(editor)
    conversion = docx_preview(sample_docx())
    html = conversion.html
    assert "<h2>关于开展政务公开检查的通知</h2>" in html  # the page's only h1 is its title
    assert "<strong>政务公开检查</strong>" in html and "<li>检查范围为全区政府网站。</li>" in html
    assert "<table>" in html and "<td><p>自查</p></td>" in html
    assert len(conversion.images) == 1 and 'src="#docx-image-1"' in html
    assert not Attachment.objects.exists() and Item.objects.get(pk=item.pk).body == "<p>旧正文</p>"


def test_import_replaces_the_body_and_stores_images_as_inline_attachments(editor):
    item = item_body_import_docx(actor=editor, item=draft(editor), data=sample_docx(), file_name="通知.docx")
    attachment = item.attachments.get()
    assert attachment.content_type == "image/png" and attachment.name == "正文图1.png"
    assert f'<img alt="图1" src="{reverse("disclosure:attachment", args=(attachment.pk,))}">' in item.body
    assert "旧正文" not in item.body
    assert item.revisions.first().comment == "从 Word 文档“通知.docx”导入正文"


def test_a_file_that_is_not_a_word_document_is_refused(editor):
    with pytest.raises(ValidationError, match="无法读取"):
        docx_preview(b"not a zip at all")


def test_another_units_editor_cannot_import_into_the_item(editor, seed):
    from tests.disclosure.staff import UNIT_B, editor_of, unit

    item = draft(editor)
    with pytest.raises(Exception):
        item_body_import_docx(actor=editor_of(unit(UNIT_B)), item=item, data=sample_docx())
    assert Item.objects.get(pk=item.pk).body == "<p>旧正文</p>" and not Attachment.objects.exists()


def test_plain_text_keeps_its_line_breaks_as_paragraphs(editor):
    assert paragraphs_from_plain_text("正文…。\n第二段。") == "<p>正文…。</p><p>第二段。</p>"
    assert paragraphs_from_plain_text("<p>已是 HTML</p>") == "<p>已是 HTML</p>"
    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "纯文本", "body": "一<二\n\n三"})
    assert item.body == "<p>一&lt;二</p><p>三</p>"


def test_the_admin_previews_then_imports_on_confirmation(client, editor, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    item = draft(editor)
    url = reverse("admin:disclosure_item_import_docx", args=(item.pk,))
    client.force_login(editor)
    assert "从 Word 导入正文" in client.get(reverse("admin:disclosure_item_change", args=(item.pk,))).content.decode()
    upload = SimpleUploadedFile("通知.docx", sample_docx())
    preview = client.post(url, {"file": upload})
    page = preview.content.decode()
    assert "确认导入" in page and "<h2>关于开展政务公开检查的通知</h2>" in page
    assert Item.objects.get(pk=item.pk).body == "<p>旧正文</p>"
    token = preview.context["token"]
    response = client.post(url, {"confirm": "1", "token": token})
    assert response.status_code == 302
    item.refresh_from_db()
    assert "政务公开检查" in item.body and item.attachments.count() == 1
    assert not list(tmp_path.rglob("*.docx"))  # the waiting upload is gone
    assert client.post(url, {"confirm": "1", "token": token}).status_code == 302  # a replay does nothing
    assert item.attachments.count() == 1


def test_the_admin_refuses_other_file_types(client, editor):
    item = draft(editor)
    client.force_login(editor)
    response = client.post(
        reverse("admin:disclosure_item_import_docx", args=(item.pk,)), {"file": SimpleUploadedFile("a.doc", b"x")}
    )
    assert "请选择 .docx 格式" in response.content.decode()


def test_inline_images_of_an_unpublished_item_are_served_only_to_staff_who_see_it(client, editor, seed):
    from tests.disclosure.staff import UNIT_B, editor_of, unit

    item = item_body_import_docx(actor=editor, item=draft(editor), data=sample_docx())
    address = reverse("disclosure:attachment", args=(item.attachments.get().pk,))
    assert client.get(address).status_code == 404  # the public: not yet
    client.force_login(editor_of(unit(UNIT_B)))
    assert client.get(address).status_code == 404  # another unit: never
    client.force_login(editor)
    response = client.get(address)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
