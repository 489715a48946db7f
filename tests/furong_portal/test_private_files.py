"""Non-public files: attachments, answer letters and evidence live outside MEDIA_ROOT and are
read only through views that check who asks; nginx may send them with X-Accel-Redirect."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from disclosure.models import Item
from tests.disclosure.public_data import attach, publish
from tests.disclosure.staff import UNIT_A, UNIT_B, editor_of, unit
from tests.requests.conftest import details

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def draft_with_attachment(author=None):
    item = publish(
        column_slug="3-1", unit_name=UNIT_A, state=Item.State.DRAFT, published_at=None, index_number=None,
        created_by=author or editor_of(unit(UNIT_A), "author-a"),
    )  # fmt: skip
    return attach(item)


def test_attachments_and_letters_are_not_written_under_the_public_media_root(seed):
    attachment = draft_with_attachment()
    path = Path(attachment.file.path)
    assert Path(settings.PRIVATE_MEDIA_ROOT) in path.parents
    assert Path(settings.MEDIA_ROOT) not in path.parents


def test_a_draft_items_attachment_is_not_reachable_without_permission(client, seed):
    author = editor_of(unit(UNIT_A), "author-a")
    attachment = draft_with_attachment(author)
    url = attachment.file.url
    assert url.startswith("/files/")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.get(reverse("disclosure:attachment", args=(attachment.pk,))).status_code == 404
    client.force_login(editor_of(unit(UNIT_B)))
    assert client.get(url).status_code == 404  # another unit's editor
    assert client.get(reverse("disclosure:attachment", args=(attachment.pk,))).status_code == 404
    client.force_login(author)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("disclosure:attachment", args=(attachment.pk,))).status_code == 200  # staff who may see the item


def test_a_published_items_attachment_is_public_through_the_same_door(client, seed):
    attachment = attach(publish(title="已发布"))
    assert client.get(attachment.file.url).status_code == 200


def test_an_answer_letter_is_readable_by_its_handling_unit_only(client, seed, django_capture_on_commit_callbacks):
    from disclosure.requests import services
    from tests.requests.conftest import make_staff

    unit_a, unit_b = unit("区教育局"), unit("区民政局")
    staff_a = make_staff("letters-a", unit=unit_a, role="信息员")
    staff_b = make_staff("letters-b", unit=unit_b, role="信息员")
    request, _ = services.request_register(
        actor=staff_a, details=details(unit_a), channel="post", received_on=dt.date.today() - dt.timedelta(days=3)
    )
    services.request_accept(request=request, actor=staff_a)
    services.request_answer(
        request=request, actor=staff_a, outcome="disclosed", letter_number="芙教公开〔2020〕1号",
        letter_file=SimpleUploadedFile("answer.pdf", PDF, content_type="application/pdf"),
    )  # fmt: skip
    request.refresh_from_db()
    assert Path(settings.PRIVATE_MEDIA_ROOT) in Path(request.letter_file.path).parents
    client.force_login(staff_b)
    assert client.get(request.letter_file.url).status_code == 404
    client.force_login(staff_a)
    assert client.get(request.letter_file.url).status_code == 200


@override_settings(PRIVATE_MEDIA_ACCEL_REDIRECT="/_protected/")
def test_nginx_sends_the_file_when_x_accel_redirect_is_configured(client, seed):
    attachment = attach(publish(title="由 nginx 发送"))
    response = client.get(reverse("disclosure:attachment", args=(attachment.pk,)))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/{attachment.file.name}"
    assert "attachment" in response["Content-Disposition"]


def test_the_admin_links_an_attachment_through_the_protected_view(client, seed):
    author = editor_of(unit(UNIT_A), "author-a")
    attachment = draft_with_attachment(author)
    client.force_login(author)
    page = client.get(reverse("admin:disclosure_item_change", args=(attachment.item_id,)))
    assert page.status_code == 200
    assert f'href="/files/{attachment.file.name}"' in page.content.decode()
