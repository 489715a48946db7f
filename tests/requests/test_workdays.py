"""Deadlines in Chinese working days, with the real dates of 2020 (DOMAIN.md, 条例 第三十三条)."""

import datetime as dt
import logging

import pytest

from disclosure.requests.models import HolidayCalendarDay
from disclosure.requests.workdays import LIBRARY_LAST_YEAR, CalendarError, WorkCalendar, library_knows

pytestmark = pytest.mark.django_db

D = dt.date
UNKNOWN_YEAR = LIBRARY_LAST_YEAR + 3


def test_request_received_friday_2020_09_25_is_due_2020_10_29():
    # 9-27 (Sunday) and 10-10 (Saturday) were make-up working days; 10-01…10-08 holidays.
    assert WorkCalendar().add(D(2020, 9, 25), 20) == D(2020, 10, 29)


def test_make_up_days_count_and_national_day_holidays_do_not():
    calendar = WorkCalendar()
    assert calendar.is_workday(D(2020, 9, 27)) and calendar.is_workday(D(2020, 10, 10))
    assert not any(calendar.is_workday(D(2020, 10, day)) for day in range(1, 9))
    # Counting the 20 days by hand: 9-27 is day 1, 10-09 day 5, 10-10 day 6.
    assert calendar.add(D(2020, 9, 25), 1) == D(2020, 9, 27)
    assert calendar.add(D(2020, 9, 25), 5) == D(2020, 10, 9)
    assert calendar.add(D(2020, 9, 25), 6) == D(2020, 10, 10)


def test_day_of_receipt_is_not_counted():
    calendar = WorkCalendar()
    assert calendar.add(D(2020, 9, 28), 1) == D(2020, 9, 29)
    assert calendar.add(D(2020, 9, 28), 0) == D(2020, 9, 28)


def test_between_counts_working_days_left_and_overdue_days():
    calendar = WorkCalendar()
    assert calendar.between(D(2020, 9, 25), D(2020, 10, 29)) == 20
    assert calendar.between(D(2020, 10, 29), D(2020, 10, 29)) == 0
    assert calendar.between(D(2020, 10, 30), D(2020, 10, 29)) == -1
    assert calendar.between(D(2020, 11, 2), D(2020, 10, 29)) == -2  # the weekend does not count


def test_paused_interval_is_not_counted():
    calendar = WorkCalendar()
    # Consultation from Monday 10-12 to Friday 10-16: five working days later.
    assert calendar.add(D(2020, 9, 25), 20, paused=[(D(2020, 10, 12), D(2020, 10, 16))]) == D(2020, 11, 5)


def test_office_table_wins_over_library_for_a_day_it_lists():
    HolidayCalendarDay.objects.update_or_create(date=D(2020, 10, 29), defaults={"is_workday": False, "name": "测试调整"})
    assert WorkCalendar().add(D(2020, 9, 25), 20) == D(2020, 10, 30)


def test_unknown_future_year_falls_back_to_the_office_table_with_a_warning(caplog):
    assert not library_knows(UNKNOWN_YEAR)
    # The office enters that year's notice: 1-2 (Friday-ish) holiday, a Saturday make-up day.
    start = D(UNKNOWN_YEAR, 1, 1)
    saturday = start + dt.timedelta(days=(5 - start.weekday()) % 7)
    first_weekday = start + dt.timedelta(days=1)
    while first_weekday.weekday() >= 5:
        first_weekday += dt.timedelta(days=1)
    HolidayCalendarDay.objects.create(date=first_weekday, is_workday=False, name="元旦")
    HolidayCalendarDay.objects.create(date=saturday, is_workday=True, name="元旦调休上班")
    calendar = WorkCalendar()
    with caplog.at_level(logging.WARNING, logger="disclosure.requests.workdays"):
        assert not calendar.is_workday(first_weekday)
        assert calendar.is_workday(saturday)
    assert calendar.warnings and "节假日表" in calendar.warnings[0]
    assert str(UNKNOWN_YEAR) in caplog.text


def test_unknown_year_without_table_rows_counts_weekdays_and_warns():
    calendar = WorkCalendar()
    start = D(UNKNOWN_YEAR, 3, 2)
    while start.weekday() != 0:
        start += dt.timedelta(days=1)
    # Monday + 20 working days = the Monday four weeks later (no holidays known).
    assert calendar.add(start, 20) == start + dt.timedelta(days=28)
    assert len(calendar.warnings) == 1 and "周一至周五" in calendar.warnings[0]


def test_year_marked_all_holiday_raises_instead_of_looping():
    start = D(UNKNOWN_YEAR, 1, 1)
    HolidayCalendarDay.objects.bulk_create(
        HolidayCalendarDay(date=start + dt.timedelta(days=n), is_workday=False, name="错误录入")
        for n in range(366 * 4)
        if (start + dt.timedelta(days=n)).year <= UNKNOWN_YEAR + 3
    )
    with pytest.raises(CalendarError):
        WorkCalendar().add(start, 1)


def test_table_is_prefilled_from_the_library(holiday_table):
    national_day = HolidayCalendarDay.objects.get(date=D(2020, 10, 1))
    assert (national_day.is_workday, national_day.source) == (False, "library")
    assert HolidayCalendarDay.objects.get(date=D(2020, 9, 27)).is_workday
    assert HolidayCalendarDay.objects.filter(date__year=LIBRARY_LAST_YEAR).exists()
