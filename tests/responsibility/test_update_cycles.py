"""国办秘函〔2019〕19号's "6 months" and "a year" are calendar months, not 183 or 365 days."""

from datetime import date

import pytest

from responsibility.models import Column, add_months

Cycle = Column.UpdateCycle


def column(cycle, days=None) -> Column:
    return Column(update_cycle=cycle, stale_after_days=Column.CYCLE_DAYS[cycle] if days is None else days)


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2020, 2, 29), 6, date(2020, 8, 31)),  # month end to month end
        (date(2020, 8, 31), 6, date(2021, 2, 28)),
        (date(2020, 3, 1), 6, date(2020, 9, 1)),
        (date(2020, 1, 30), 1, date(2020, 2, 29)),
        (date(2020, 7, 15), 12, date(2021, 7, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_an_item_of_2020_02_29_is_not_stale_on_2020_08_31():
    notices = column(Cycle.NOTICES)
    assert not notices.is_stale_on(date(2020, 2, 29), date(2020, 8, 31))
    assert notices.is_stale_on(date(2020, 2, 29), date(2020, 9, 1))


def test_an_item_of_2020_03_01_is_fresh_until_2020_09_01_not_183_days():
    notices = column(Cycle.NOTICES)
    assert not notices.is_stale_on(date(2020, 3, 1), date(2020, 9, 1))  # 184 days later
    assert notices.is_stale_on(date(2020, 3, 1), date(2020, 9, 2))


def test_yearly_columns_count_a_calendar_year_over_a_leap_day():
    yearly = column(Cycle.YEARLY)
    assert not yearly.is_stale_on(date(2020, 1, 15), date(2021, 1, 15))  # 366 days later
    assert yearly.is_stale_on(date(2020, 1, 15), date(2021, 1, 16))


def test_a_column_with_its_own_number_of_days_counts_days():
    custom = column(Cycle.NOTICES, days=30)
    assert custom.fresh_until(date(2020, 2, 29)) == date(2020, 3, 30)
    assert column(Cycle.NEWS).fresh_until(date(2020, 2, 29)) == date(2020, 3, 14)


def test_on_change_columns_and_empty_columns():
    assert not column(Cycle.ON_CHANGE).is_stale_on(None, date(2020, 1, 1))
    assert column(Cycle.NOTICES).is_stale_on(None, date(2020, 1, 1))
