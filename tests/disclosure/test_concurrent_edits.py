"""Two people editing the same item: the later save from an older version is refused with a
Chinese message naming what changed, instead of silently undoing the earlier save."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from disclosure import services
from disclosure.models import Item
from tests.disclosure.admin_helpers import item_form
from tests.disclosure.staff import COLUMN_A, column

pytestmark = pytest.mark.django_db


def open_form(client, item) -> str:
    page = client.get(reverse("admin:disclosure_item_change", args=(item.pk,))).content.decode()
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def save(client, item, version, **fields):
    data = item_form(column=column(COLUMN_A), version=version, **fields)
    return client.post(reverse("admin:disclosure_item_change", args=(item.pk,)), data)


def test_the_second_of_two_sessions_cannot_overwrite_the_first(editor):
    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "原标题"})
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(editor)
    version_first, version_second = open_form(first, item), open_form(second, item)

    assert save(second, item, version_second, title="第二个会话的标题").status_code == 302
    refused = save(first, item, version_first, title="第一个会话的标题", body="<p>第一个会话的正文</p>")

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "保存未成功" in page and "原标题 → 第二个会话的标题" in page
    item.refresh_from_db()
    assert item.title == "第二个会话的标题" and "第一个会话" not in item.body


def test_a_save_from_the_current_version_goes_through(client, editor):
    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "原标题"})
    client.force_login(editor)
    assert save(client, item, open_form(client, item), title="新标题").status_code == 302
    assert save(client, item, open_form(client, item), title="再改一次").status_code == 302
    assert Item.objects.get(pk=item.pk).title == "再改一次"


def test_the_service_refuses_a_stale_version_even_without_the_form(editor):
    from django.core.exceptions import ValidationError

    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "原标题"})
    version = services.item_version(item)
    services.item_update(actor=editor, item=item, data={"title": "别人改的"}, expected_version=version)
    with pytest.raises(ValidationError, match="原标题 → 别人改的"):
        services.item_update(actor=editor, item=item, data={"title": "我改的"}, expected_version=version)
