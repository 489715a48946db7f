"""The editor's workflow in the admin: “保存并提交审核” as the primary action, the state
and next step always visible, reviewers named, checks shown before submission."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from disclosure import services
from disclosure.checks.models import CheckRun, SensitiveTerm, Severity
from disclosure.models import Item
from tests.disclosure.admin_helpers import item_form
from tests.disclosure.staff import COLUMN_A, column

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:disclosure_item_{name}", args=args)


@pytest.fixture
def named_reviewer(reviewer):
    reviewer.first_name, reviewer.last_name = "明", "王"
    reviewer.save()
    return reviewer


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_save_and_submit_is_the_primary_action_of_a_new_item(client, editor):
    client.force_login(editor)
    page = client.get(url("add")).content.decode()
    primary = page.index('value="保存并提交审核" class="default"')
    assert primary < page.index('value="保存草稿，继续编辑"')


def test_save_and_submit_sends_the_item_to_the_named_reviewer(client, editor, named_reviewer):
    client.force_login(editor)
    response = client.post(url("add"), item_form(column=column(COLUMN_A), title="行政执法公示", _submit_review="1"))
    item = Item.objects.get(title="行政执法公示")
    assert item.state == Item.State.PENDING
    assert response["Location"] == url("change", item.pk)
    assert any("已保存并提交审核" in text and "王明" in text for text in texts(response))


def test_plain_save_says_the_item_is_still_a_draft(client, editor):
    client.force_login(editor)
    response = client.post(url("add"), item_form(column=column(COLUMN_A), title="只保存", _continue="1"))
    assert Item.objects.get(title="只保存").state == Item.State.DRAFT
    assert any("仍是草稿，尚未提交审核" in text for text in texts(response))


def test_the_change_page_shows_state_next_step_and_reviewer_by_name(client, editor, named_reviewer):
    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "待审的通知"})
    client.force_login(editor)
    assert "当前状态：<strong>草稿</strong>" in client.get(url("change", item.pk)).content.decode()
    services.item_submit(actor=editor, item=item)
    page = client.get(url("change", item.pk)).content.decode()
    assert "当前状态：<strong>待审核</strong>" in page and "等待审核：王明" in page
    services.item_publish(actor=named_reviewer, item=item, secrecy_confirmed=True)
    client.force_login(named_reviewer)
    page = client.get(url("change", item.pk)).content.decode()
    assert "当前状态：<strong>已发布</strong>" in page and "审核人：王明" in page


def test_a_returned_item_shows_who_returned_it_and_why(client, editor, named_reviewer):
    item = services.item_submit(
        actor=editor, item=services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "退回的通知"})
    )
    services.item_return(actor=named_reviewer, item=item, reason="文号有误")
    client.force_login(editor)
    page = client.get(url("change", item.pk)).content.decode()
    assert "王明 退回，原因：</strong>文号有误" in page


def test_a_blocking_term_keeps_the_item_a_draft_with_the_reason(client, editor, seed):
    SensitiveTerm.objects.create(term="台湾政府", suggestion="台湾当局", severity=Severity.BLOCK)
    client.force_login(editor)
    response = client.post(
        url("add"), item_form(column=column(COLUMN_A), title="含错敏词", body="<p>台湾政府</p>", _submit_review="1")
    )
    item = Item.objects.get(title="含错敏词")
    assert item.state == Item.State.DRAFT
    assert any("未提交审核" in text and "台湾当局" in text for text in texts(response))
    assert CheckRun.objects.get(item=item).outcome == CheckRun.Outcome.BLOCKED
    page = client.get(url("change", item.pk)).content.decode()
    assert "须修改" in page and "台湾当局" in page  # the findings are on the form before the next try
