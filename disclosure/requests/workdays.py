"""Deadline arithmetic in Chinese working days.

Working days follow the State Council's yearly holiday notice, 调休 make-up days on weekends
included (DOMAIN.md, "Working days"). Where a day comes from, in order:

1. the office's `HolidayCalendarDay` table, when it lists the day (the office has the last word);
2. `chinese-calendar`, for the years it was released with;
3. a year the office has entered days for (its notice) is otherwise Monday–Friday;
4. a year nobody knows yet: the statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision,
   see `statutory_holidays`) on top of Monday–Friday, without guessing 调休. A deadline that
   crosses such a year is **provisional** (`WorkCalendar.provisional`) and is counted again when the
   office enters that year's notice; a warning says so.

Counting follows the usual rule for statutory periods: the day the period starts is not
counted, the first working day after it is day 1 (条例 第三十三条 "自收到申请之日起20个工作日内")."""

import datetime as dt
import logging
from collections.abc import Iterable

import chinese_calendar

from .statutory_holidays import statutory_holidays

logger = logging.getLogger(__name__)

LIBRARY_FIRST_YEAR = min(day.year for day in chinese_calendar.holidays)
LIBRARY_LAST_YEAR = max(day.year for day in chinese_calendar.holidays)
# A chain of working days longer than this means the calendar is broken (e.g. a year marked
# all holidays); stop rather than loop.
MAX_SEARCH_DAYS = 3 * 366

ONE_DAY = dt.timedelta(days=1)
# What staff and the public read next to a provisional deadline.
PROVISIONAL_NOTE = "（暂定：该年国务院放假通知尚未录入，按法定节假日推算，通知录入后可能调整）"


class CalendarError(Exception):
    """The calendar cannot produce a deadline (e.g. no working day for years)."""


def library_knows(year: int) -> bool:
    return LIBRARY_FIRST_YEAR <= year <= LIBRARY_LAST_YEAR


def library_days(year: int) -> list[tuple[dt.date, bool, str]]:
    """The library's holidays and make-up working days of `year` as (date, is_workday, name)."""
    def chinese(name: str) -> str:
        return chinese_calendar.Holiday(name).chinese

    days = [(day, False, chinese(name)) for day, name in chinese_calendar.holidays.items() if day.year == year]
    days += [(day, True, f"{chinese(name)}调休上班") for day, name in chinese_calendar.workdays.items() if day.year == year]
    return sorted(days)


class WorkCalendar:
    """Answers "is this a working day?" and counts working days.

    Reads the office's table once per year and keeps it, so build one per request/command run,
    not one per call. `warnings` collects what a person should know (a year the library does not
    cover), in Chinese, once per year."""

    def __init__(self):
        self._office_days: dict[int, dict[dt.date, bool]] = {}
        self._statutory: dict[int, dict[dt.date, str]] = {}
        self.warnings: list[str] = []

    def _office_year(self, year: int) -> dict[dt.date, bool]:
        if year not in self._office_days:
            from .models import HolidayCalendarDay

            days = dict(HolidayCalendarDay.objects.filter(date__year=year).values_list("date", "is_workday"))
            self._office_days[year] = days
            if not library_knows(year):
                if days:
                    message = (
                        f"chinese-calendar 尚无 {year} 年的节假日安排，已按节假日表中录入的 {year} 年安排计算工作日。"
                    )
                else:
                    message = (
                        f"chinese-calendar 和节假日表中都没有 {year} 年的节假日安排，暂按法定节假日（元旦、春节、清明、"
                        f"劳动节、端午、中秋、国庆）和周一至周五推算，涉及该年的期限为暂定期限；"
                        f"请区政务公开办按国务院放假通知录入 {year} 年的节假日和调休上班日，录入后自动重算。"
                    )
                self.warnings.append(message)
                logger.warning(message)
        return self._office_days[year]

    def is_provisional_year(self, year: int) -> bool:
        """Neither the library nor the office knows `year`'s notice: its days are a forecast."""
        return not library_knows(year) and not self._office_year(year)

    def provisional(self, first: dt.date, last: dt.date) -> bool:
        """Whether a count from `first` to `last` rests on a year whose notice is not known."""
        return any(self.is_provisional_year(year) for year in range(min(first, last).year, max(first, last).year + 1))

    def is_workday(self, day: dt.date) -> bool:
        office = self._office_year(day.year)
        if day in office:
            return office[day]
        if library_knows(day.year):
            return chinese_calendar.is_workday(day)
        if not office:
            if day.year not in self._statutory:
                self._statutory[day.year] = statutory_holidays(day.year)
            if day in self._statutory[day.year]:
                return False
        return day.weekday() < 5

    def add(self, start: dt.date, working_days: int, *, paused: Iterable[tuple[dt.date, dt.date]] = ()) -> dt.date:
        """The `working_days`-th working day after `start`, not counting any day inside a
        paused interval (inclusive bounds). `add(start, 0)` is `start` itself."""
        paused = tuple(paused)
        day, counted = start, 0
        for _ in range(MAX_SEARCH_DAYS):
            if counted >= working_days:
                return day
            day += ONE_DAY
            if self.is_workday(day) and not any(first <= day <= last for first, last in paused):
                counted += 1
        raise CalendarError(f"自 {start} 起 {MAX_SEARCH_DAYS} 天内找不到 {working_days} 个工作日，请检查节假日表。")

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is earlier
        (then: minus the working days after `end` up to and including `start`)."""
        if end < start:
            return -self.between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_workday(day)
        return count
