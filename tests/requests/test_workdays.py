"""Deadlines in Chinese working days, with the real dates of 2020 (DOMAIN.md, 条例 第三十三条)."""

import datetime as dt
import logging

import pytest

from disclosure.requests.models import HolidayCalendarDay
from disclosure.requests.statutory_holidays import qingming, solar_term_moment, statutory_holidays
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


def test_unknown_year_without_table_rows_counts_weekdays_outside_holidays_and_warns():
    calendar = WorkCalendar()
    start = D(UNKNOWN_YEAR, 7, 6)  # July and early August hold no statutory holiday
    while start.weekday() != 0:
        start += dt.timedelta(days=1)
    # Monday + 20 working days = the Monday four weeks later.
    assert calendar.add(start, 20) == start + dt.timedelta(days=28)
    assert len(calendar.warnings) == 1 and "周一至周五" in calendar.warnings[0] and "暂定" in calendar.warnings[0]
    assert calendar.provisional(start, start + dt.timedelta(days=28))


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


def test_request_of_2026_12_10_does_not_count_new_year_2027_as_a_working_day():
    # The case: 2027 is unknown to chinese-calendar 1.11 and to the office's table.
    calendar = WorkCalendar()
    if library_knows(2027):
        pytest.skip("this chinese-calendar release knows 2027")
    assert not calendar.is_workday(D(2027, 1, 1))
    # 12-11 is day 1; 12-14…18, 21…25, 28…31 are days 2–15; 1-1 is 元旦; 1-4…1-8 are days 16–20.
    assert calendar.add(D(2026, 12, 10), 20) == D(2027, 1, 8)
    assert calendar.provisional(D(2026, 12, 10), D(2027, 1, 8))
    assert not calendar.provisional(D(2026, 3, 1), D(2026, 4, 1))


def test_statutory_holidays_of_an_unknown_year_follow_the_2024_rules():
    calendar = WorkCalendar()
    year = UNKNOWN_YEAR
    days = statutory_holidays(year)
    names = {part for name in days.values() for part in name.split("、")}
    assert names == {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
    overlaps = sum(name.count("、") for name in days.values())
    assert len(days) + overlaps == 1 + 4 + 1 + 2 + 1 + 1 + 3
    assert all(not calendar.is_workday(day) for day in days)


def test_lunar_holidays_of_2027_to_2030_are_the_published_dates():
    # 春节 from 除夕; 端午 lunar 5/5; 中秋 lunar 8/15 (dates as printed in any 2027–2030 almanac).
    expected = {
        2027: (D(2027, 2, 5), D(2027, 6, 9), D(2027, 9, 15)),
        2028: (D(2028, 1, 25), D(2028, 5, 28), D(2028, 10, 3)),
        2029: (D(2029, 2, 12), D(2029, 6, 16), D(2029, 9, 22)),
        2030: (D(2030, 2, 2), D(2030, 6, 5), D(2030, 9, 12)),
    }
    for year, (eve, dragon_boat, mid_autumn) in expected.items():
        days = statutory_holidays(year)
        assert [day for day, name in days.items() if name == "春节"] == [eve + dt.timedelta(days=n) for n in range(4)]
        assert days[dragon_boat] == "端午节" and "中秋节" in days[mid_autumn]
    assert statutory_holidays(2028)[D(2028, 10, 3)] == "中秋节、国庆节"  # one day off, not two


def test_qingming_is_the_solar_term_day_in_beijing_time():
    # Known dates; 2008 and 2012 have it on 4 April, 2026–2027 on 5 April.
    assert [qingming(year) for year in (2008, 2012, 2024, 2025, 2026, 2027, 2028)] == [
        D(2008, 4, 4), D(2012, 4, 4), D(2024, 4, 4), D(2025, 4, 4), D(2026, 4, 5), D(2027, 4, 5), D(2028, 4, 4),
    ]
    # The moment itself: 2024's 清明 was at 15:02 Beijing time (within a quarter of an hour).
    moment = solar_term_moment(2024, 15) + dt.timedelta(hours=8)
    assert abs(moment - dt.datetime(2024, 4, 4, 15, 2)) < dt.timedelta(minutes=15)


def test_qingming_agrees_with_chinese_calendars_solar_terms_for_the_whole_century():
    import chinese_calendar

    for year in range(2004, 2100):
        terms = dict((name, day) for day, name in chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 10)))
        assert qingming(year) == terms["清明"], year


def test_office_entries_for_a_year_end_the_forecast():
    year = UNKNOWN_YEAR
    calendar = WorkCalendar()
    assert calendar.is_provisional_year(year)
    # The notice moves 中秋 onto a bridging day; days not listed are then plain weekdays.
    HolidayCalendarDay.objects.create(date=D(year, 1, 1), is_workday=False, name="元旦")
    calendar = WorkCalendar()
    assert not calendar.is_provisional_year(year)
    mid_autumn = next(day for day, name in statutory_holidays(year).items() if name == "中秋节")
    assert calendar.is_workday(mid_autumn) == (mid_autumn.weekday() < 5)
