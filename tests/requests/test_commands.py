"""The daily run: deadlines recounted, lapsed corrections closed, overdue requests emailed once."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from disclosure.requests import services
from disclosure.requests.models import HolidayCalendarDay, RequestEvent, State

pytestmark = pytest.mark.django_db

D = dt.date


def run(*args):
    out = StringIO()
    call_command("requests_daily", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_overdue_requests_are_emailed_to_their_unit_once(unit_a, staff_a, office, file_request, mailoutbox):
    unit_a.email = "jyj@furong.example"
    unit_a.save()
    late = file_request(unit_a, D(2020, 9, 25))  # due 2020-10-29
    file_request(unit_a, D(2020, 10, 28))  # not yet due on 10-30
    unrouted = file_request(None, D(2020, 9, 25))
    output = run("--date", "2020-10-30")
    assert "向 2 个单位提醒逾期申请 2 件" in output
    to_unit = next(m for m in mailoutbox if "jyj@furong.example" in m.to)
    assert set(to_unit.to) == {"jyj@furong.example", "editor-a@furong.example"}
    assert late.number in to_unit.body and "区教育局" in to_unit.subject
    to_office = next(m for m in mailoutbox if "office@furong.example" in m.to)
    assert unrouted.number in to_office.body
    late.refresh_from_db()
    assert late.overdue_notified_on == D(2020, 10, 30)
    assert late.events.filter(action=RequestEvent.Action.OVERDUE_NOTIFIED).count() == 1
    mailoutbox.clear()
    assert "提醒逾期申请 0 件" in run("--date", "2020-10-30")
    assert "提醒逾期申请 0 件" in run("--date", "2020-11-02")
    assert mailoutbox == []


def test_dry_run_writes_and_sends_nothing(unit_a, staff_a, file_request, mailoutbox):
    request = file_request(unit_a, D(2020, 9, 25))
    assert "（试运行）" in run("--dry-run", "--date", "2020-10-30")
    request.refresh_from_db()
    assert request.overdue_notified_on is None and mailoutbox == []


def test_lapsed_corrections_are_closed(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    services.request_ask_correction(request=request, actor=staff_a, instructions="a", due_on=D(2020, 10, 16), asked_on=D(2020, 9, 28))
    assert "逾期不补正办结 1 件" in run("--date", "2020-10-19")
    request.refresh_from_db()
    assert request.state == State.CORRECTION_LAPSED
    assert "逾期不补正办结 0 件" in run("--date", "2020-10-19")


def test_calendar_change_moves_open_deadlines(unit_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    HolidayCalendarDay.objects.create(date=D(2020, 10, 28), is_workday=False, name="测试")
    assert "重算期限 1 件" in run("--date", "2020-10-01")
    request.refresh_from_db()
    assert request.due_on == D(2020, 10, 30)
    assert "重算期限 0 件" in run("--date", "2020-10-01")


def test_holidays_command_reports_and_prefills(holiday_table):
    HolidayCalendarDay.objects.filter(date__year=2020).delete()
    out = StringIO()
    call_command("requests_holidays", "--prefill", stdout=out)
    assert "已从 chinese-calendar 补入" in out.getvalue()
    assert HolidayCalendarDay.objects.filter(date=D(2020, 9, 27), is_workday=True).exists()
