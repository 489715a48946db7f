"""The holiday calendar the working-day count reads; the office's word wins over the library's."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from responsibility import access

from ..models import HolidayCalendarDay, InformationRequest
from ..workdays import LIBRARY_FIRST_YEAR, LIBRARY_LAST_YEAR, WorkCalendar, library_days
from .daily import requests_refresh_deadlines


def _require_office(actor) -> None:
    if not access.is_district_office(actor):
        raise PermissionDenied("节假日安排只能由区政务公开办维护。")


@transaction.atomic
def holiday_day_save(*, day: HolidayCalendarDay, actor) -> list[InformationRequest]:
    """The office enters or corrects a day of the State Council's notice; open requests'
    deadlines are recounted at once. Returns the requests whose deadline moved."""
    _require_office(actor)
    day.source = HolidayCalendarDay.Source.OFFICE
    day.full_clean()
    day.save()
    return requests_refresh_deadlines(calendar=WorkCalendar())


@transaction.atomic
def holiday_day_delete(*, day: HolidayCalendarDay, actor) -> list[InformationRequest]:
    _require_office(actor)
    day.delete()
    return requests_refresh_deadlines(calendar=WorkCalendar())


@transaction.atomic
def holidays_prefill(*, years: range | None = None) -> int:
    """Copy `chinese-calendar`'s days into the table for the years it knows, keeping every day
    the table already has (the office's word wins). Returns how many days were added."""
    years = years or range(LIBRARY_FIRST_YEAR, LIBRARY_LAST_YEAR + 1)
    existing = set(HolidayCalendarDay.objects.filter(date__year__in=list(years)).values_list("date", flat=True))
    new = [
        HolidayCalendarDay(date=day, is_workday=is_workday, name=name, source=HolidayCalendarDay.Source.LIBRARY)
        for year in years
        for day, is_workday, name in library_days(year)
        if day not in existing
    ]
    HolidayCalendarDay.objects.bulk_create(new)
    return len(new)
