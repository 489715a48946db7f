"""The item admin as the units use it: write, submit, review, schedule, history and
restore, validity, bulk import and the start page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure import services
from disclosure.models import Item, ItemRevision
from responsibility.models import AuditEvent
from tests.disclosure.admin_helpers import CSV_HEADER, csv_upload, item_form
from tests.disclosure.staff import COLUMN_A, column, district_officer, exempted

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:disclosure_item_{name}", args=args)


def test_editor_writes_a_draft_in_the_admin(client, editor, a):
    client.force_login(editor)
    form = client.get(url("add")).content.decode()
    assert "履职依据" in form and "决算预算" not in form  # only the unit's own columns
    response = client.post(url("add"), item_form(column=column(COLUMN_A), title="行政执法公示", body="<p>内容</p><script>x</script>"))
    assert response.status_code == 302
    item = Item.objects.get(title="行政执法公示")
    assert (item.unit, item.state, item.created_by, item.body) == (a, Item.State.DRAFT, editor, "<p>内容</p>")
    assert item.revisions.get().action == ItemRevision.Action.CREATED


def test_returned_reason_is_shown_to_the_editor_and_the_item_can_be_corrected(client, editor, reviewer):
    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "初稿"})
    client.force_login(editor)
    client.post(url("submit", item.pk))
    client.force_login(reviewer)
    client.post(url("review", item.pk), {"decision": "return", "reason": "请补充文号"})
    client.force_login(editor)
    page = client.get(url("change", item.pk)).content.decode()
    assert "请补充文号" in page and "提交审核" in page
    assert "请补充文号" in client.get(reverse("admin:index")).content.decode()
    client.post(url("change", item.pk), item_form(column=column(COLUMN_A), title="修改稿", doc_number="芙司发〔2020〕3号"))
    client.post(url("submit", item.pk))
    assert Item.objects.get(pk=item.pk).state == Item.State.PENDING


def test_review_form_requires_a_reason_to_return(client, editor, reviewer):
    item = services.item_submit(actor=editor, item=services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "待审"}))
    client.force_login(reviewer)
    response = client.post(url("review", item.pk), {"decision": "return", "reason": ""})
    assert response.status_code == 200 and "必须填写退回原因" in response.content.decode()
    assert Item.objects.get(pk=item.pk).state == Item.State.PENDING


def test_reviewer_schedules_publication_for_a_future_time(client, editor, reviewer):
    item = services.item_submit(actor=editor, item=services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "定时"}))
    at = timezone.localtime(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    client.force_login(reviewer)
    client.post(url("review", item.pk), {"decision": "schedule", "secrecy_confirmed": "on", "publish_at": at.strftime("%Y-%m-%dT%H:%M")})
    item.refresh_from_db()
    assert (item.state, item.published_at) == (Item.State.PUBLISHED, at)
    assert not Item.objects.published().filter(pk=item.pk).exists()
    assert "已排期" in client.get(url("changelist")).content.decode()


def test_scheduling_in_the_past_is_refused(client, editor, reviewer):
    item = services.item_submit(actor=editor, item=services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "过去"}))
    client.force_login(reviewer)
    response = client.post(url("review", item.pk), {"decision": "schedule", "secrecy_confirmed": "on", "publish_at": "2020-01-01T08:00"})
    assert "必须晚于当前时间" in response.content.decode()
    assert Item.objects.get(pk=item.pk).state == Item.State.PENDING


def test_bulk_return_asks_for_a_reason_first(client, editor, reviewer):
    items = [
        services.item_submit(actor=editor, item=services.item_create(actor=editor, column=column(COLUMN_A), data={"title": f"批量{n}"}))
        for n in range(2)
    ]
    selected = [str(item.pk) for item in items]
    client.force_login(reviewer)
    page = client.post(url("changelist"), {"action": "return_selected", "_selected_action": selected})
    assert page.status_code == 200 and "退回原因" in page.content.decode()
    assert all(Item.objects.get(pk=item.pk).state == Item.State.PENDING for item in items)
    client.post(url("changelist"), {"action": "return_selected", "_selected_action": selected, "apply": "yes", "reason": "格式不规范"})
    assert set(Item.objects.filter(pk__in=selected).values_list("state", "review_comment")) == {("returned", "格式不规范")}


def test_withdraw_page_keeps_the_item(client, editor, reviewer):
    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "将撤回"})
    item = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=services.item_submit(actor=editor, item=item))
    client.force_login(reviewer)
    assert "撤回原因" in client.get(url("withdraw", item.pk)).content.decode()
    client.post(url("withdraw", item.pk), {"reason": "已被新文件替代"})
    item.refresh_from_db()
    assert (item.state, item.withdrawn_reason) == (Item.State.WITHDRAWN, "已被新文件替代")


def test_validity_page_marks_a_repeal_with_successor_by_index_number(client, editor, reviewer):
    def published(title):
        draft = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": title, "is_normative": True})
        return services.item_publish(secrecy_confirmed=True, actor=reviewer, item=exempted(services.item_submit(actor=editor, item=draft)))

    old, new = published("旧办法"), published("新办法")
    client.force_login(reviewer)
    response = client.post(url("validity", old.pk), {"validity": "repealed", "since": "2020-07-01", "successor": "不存在/2020-99999"})
    assert "找不到索引号" in response.content.decode()
    client.post(url("validity", old.pk), {"validity": "repealed", "since": "2020-07-01", "successor": new.index_number})
    old.refresh_from_db()
    assert (old.validity, str(old.validity_since), old.successor) == ("repealed", "2020-07-01", new)


def test_history_shows_who_changed_which_field_and_restores_as_a_new_change(client, editor):
    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "第一版标题"})
    first = item.revisions.get()
    services.item_update(actor=editor, item=item, data={"title": "第二版标题"})
    client.force_login(editor)
    page = client.get(url("history", item.pk)).content.decode()
    assert "第一版标题" in page and "第二版标题" in page and editor.username in page and "标题" in page
    assert "恢复此版本" in page
    assert "确认恢复" in client.get(url("restore", item.pk, first.pk)).content.decode()
    client.post(url("restore", item.pk, first.pk))
    item.refresh_from_db()
    assert item.title == "第一版标题"
    assert item.revisions.first().action == ItemRevision.Action.RESTORED and item.revisions.count() == 3


def test_import_previews_in_a_dry_run_then_applies_atomically(client, editor, a):
    client.force_login(editor)
    sheet = CSV_HEADER + f"{COLUMN_A},,导入一,芙司发〔2020〕5号,2020-05-01,综合政务,通知,执法,否,<p>正文</p>\n履职依据,,导入二,,2020/5/2,,,,是,\n"
    response = client.post(url("import"), {"format": "0", "resource": "0", "import_file": csv_upload(sheet)})
    assert response.status_code == 200 and response.context["confirm_form"] is not None
    assert not Item.objects.filter(title__startswith="导入").exists()  # dry run wrote nothing
    confirm = response.context["confirm_form"]
    client.post(url("process_import"), {**confirm.initial, "resource": "0"})
    items = Item.objects.filter(title__startswith="导入").order_by("title")
    assert [(i.title, i.unit, i.state, i.is_normative, i.validity) for i in items] == [
        ("导入一", a, "draft", False, ""),
        ("导入二", a, "draft", True, "valid"),
    ]
    assert items[0].revisions.get().action == ItemRevision.Action.IMPORTED
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ITEMS_IMPORTED, actor=editor).exists()


def test_import_with_one_bad_row_lists_chinese_row_errors_and_writes_nothing(client, editor):
    client.force_login(editor)
    sheet = CSV_HEADER + f"{COLUMN_A},,好行,,,,,,否,\n{COLUMN_A},,坏日期,,2020年13月,,,,否,\n{COLUMN_A},,,,,外星分类,,,也许,\n"
    page = client.post(url("import"), {"format": "0", "resource": "0", "import_file": csv_upload(sheet)}).content.decode()
    assert "表格第 3 行" in page and "日期“2020年13月”无法识别" in page
    assert "表格第 4 行" in page and "“外星分类”不是有效选项" in page and "应填“是”或“否”" in page
    assert "标题" in page
    assert not Item.objects.filter(title="好行").exists()


def test_dashboard_shows_columns_drafts_reviews_and_returns(client, editor, reviewer, a):
    mine = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "我的草稿标题"})
    waiting = services.item_submit(actor=editor, item=services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "等待审核标题"}))
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert "区司法局 · 我的工作台" in page and "履职依据" in page and "我的草稿标题" in page
    assert "从未更新" in page
    client.force_login(reviewer)
    page = client.get(reverse("admin:index")).content.decode()
    assert "等待审核标题" in page and url("review", waiting.pk) in page and "我的草稿标题" not in page
    services.item_publish(secrecy_confirmed=True, actor=reviewer, item=waiting)
    page = client.get(reverse("admin:index")).content.decode()
    assert timezone.localdate().strftime("%Y-%m-%d") in page
    assert mine.title not in page


def test_dashboard_for_the_district_office_lists_every_units_pending_items(client, editor):
    services.item_submit(actor=editor, item=services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "全区待审"}))
    client.force_login(district_officer())
    assert "全区待审" in client.get(reverse("admin:index")).content.decode()


def preview(client, title):
    sheet = CSV_HEADER + f"{COLUMN_A},,{title},,,,,,否,\n"
    response = client.post(url("import"), {"format": "0", "resource": "0", "import_file": csv_upload(sheet)})
    return {**response.context["confirm_form"].initial, "resource": "0"}


def test_a_replayed_import_confirmation_is_refused_with_a_message_not_a_500(client, editor):
    client.force_login(editor)
    confirm = preview(client, "只导入一次")
    client.post(url("process_import"), confirm)
    replay = client.post(url("process_import"), confirm, follow=True)
    assert replay.status_code == 200 and "该导入确认已失效" in replay.content.decode()
    assert Item.objects.filter(title="只导入一次").count() == 1


@pytest.mark.parametrize(
    "tampering",
    [{"import_file_name": "../../etc/passwd"}, {"import_file_name": "not-mine"}, {"format": "9"}, {"format": "x"}],
)
def test_a_tampered_import_confirmation_is_refused_with_a_message(client, editor, tampering):
    client.force_login(editor)
    confirm = preview(client, "被篡改的导入")
    response = client.post(url("process_import"), {**confirm, **tampering}, follow=True)
    assert response.status_code == 200 and "该导入确认已失效" in response.content.decode()
    assert not Item.objects.filter(title="被篡改的导入").exists()


def test_another_session_cannot_confirm_an_import_it_did_not_preview(client, editor):
    client.force_login(editor)
    confirm = preview(client, "别人的导入")
    other = client.__class__()
    other.force_login(editor)
    response = other.post(url("process_import"), confirm, follow=True)
    assert "该导入确认已失效" in response.content.decode()
    assert not Item.objects.filter(title="别人的导入").exists()
