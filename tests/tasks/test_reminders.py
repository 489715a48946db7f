"""The daily reminder: one email per unit and day, listing its overdue and soon-due
tasks and its stale and empty columns."""

from datetime import date, timedelta
from io import StringIO
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from responsibility.models import Column, Unit
from tasks.models import Reminder
from tasks.services import reminders_send, task_due_on_set
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 10)  # point 1 of the small plan falls due in 20 days, point 2 in 204


class FailingBackend(EmailBackend):
    """An SMTP server that refuses the message, as a real one can."""

    def send_messages(self, messages):
        raise SMTPException("550 mailbox unavailable")


@pytest.fixture
def emails(mini):
    for unit, address in ((mini.a, "jia@example.gov.cn"), (mini.b, "yi@example.gov.cn"), (mini.d, "ding@example.gov.cn")):
        unit.email = address
        unit.save()
    return mini


def run(*args) -> str:
    out = StringIO()
    call_command("send_task_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_each_unit_gets_one_email_with_its_own_tasks(emails):
    task_due_on_set(task=emails.task(emails.p2, emails.d), due_on=date(2025, 6, 1))  # 丁 overdue by 9 days
    output = run("--date", TODAY.isoformat())
    by_recipient = {message.to[0]: message for message in mail.outbox}
    # 甲: point 1 due soon; 乙: point 1 due soon (point 2 is 204 days away); 丁: point 2 overdue.
    assert set(by_recipient) == {"jia@example.gov.cn", "yi@example.gov.cn", "ding@example.gov.cn"}
    ding = by_recipient["ding@example.gov.cn"].body
    assert "【已逾期的工作任务】1 项" in ding and "已逾期 9 天" in ding and "（二）要点二" in ding
    assert "（一）" not in ding
    yi = by_recipient["yi@example.gov.cn"].body
    assert "【30 天内到期的工作任务】1 项" in yi and "（一）要点一" in yi and "要点二" not in yi
    assert "丙单位 未登记联系邮箱" in output  # 丙 has a task due soon but no address
    assert Reminder.objects.count() == 3


def test_running_twice_the_same_day_sends_nothing_twice(emails):
    run("--date", TODAY.isoformat())
    sent = len(mail.outbox)
    output = run("--date", TODAY.isoformat())
    assert len(mail.outbox) == sent
    assert sent == 2 and "发送 0 封，今天已发过 2 个单位" in output  # 甲 and 乙
    run("--date", (TODAY + timedelta(days=1)).isoformat())
    assert len(mail.outbox) == 2 * sent


def test_a_dry_run_sends_and_records_nothing(emails):
    output = run("--date", TODAY.isoformat(), "--dry-run")
    assert "[试运行] 收件人 jia@example.gov.cn" in output
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_nothing_to_say_means_no_email(emails):
    run("--date", "2025-03-01")  # both points more than 30 days away; no column of theirs
    assert mail.outbox == []


def test_a_failed_send_is_not_recorded_so_the_next_run_retries(emails, settings):
    settings.EMAIL_BACKEND = "tests.tasks.test_reminders.FailingBackend"
    with pytest.raises(CommandError):
        run("--date", TODAY.isoformat())
    assert not Reminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run("--date", TODAY.isoformat())
    assert Reminder.objects.count() == 2 and len(mail.outbox) == 2


def test_stale_and_empty_columns_are_listed_for_their_units(seed):
    unit = Unit.objects.get(name="区统计局")
    unit.email = "tjj@example.gov.cn"
    unit.save()
    ItemFactory(column=Column.objects.get(slug="3-4"), unit=unit, published_at=timezone.now() - timedelta(days=200))
    run = reminders_send(today=timezone.localdate())
    message = next(m for m in mail.outbox if m.to == ["tjj@example.gov.cn"])
    # 统计信息 (its own) is stale. As one of 区直各有关单位 it shares 指南, 处罚/强制 and
    # 公共服务; of 区直各部门, 部门年报 and 依申请公开; of 各相关部门, 其他法定信息,
    # 市政建设, 公益事业 and 社会救助: nine empty columns.
    assert "【未及时更新的栏目】1 个" in message.body and "统计信息——最近一条信息发布于 200 天前，要求 6 个月内更新" in message.body
    assert "【空白栏目】9 个" in message.body
    assert message.subject == f"【芙蓉区政务公开】区统计局工作任务与栏目更新提醒（{timezone.localdate():%Y-%m-%d}）"
    # The other 50 units have empty columns but no address, except 区妇联, 区残联 and
    # 长沙供电公司, which hold no column (and no task in this test).
    assert len(run.without_email) == 47
