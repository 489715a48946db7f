"""Deadlines that cross a year whose holiday notice is not known yet are forecasts from the
statutory holidays, marked provisional for staff and the public, and recounted when the office
enters the notice (DOMAIN.md, "Working days")."""

import datetime as dt

import pytest
from django.urls import reverse

from disclosure.requests import services
from disclosure.requests.models import HolidayCalendarDay, InformationRequest
from disclosure.requests.workdays import LIBRARY_LAST_YEAR

from .conftest import details

pytestmark = pytest.mark.django_db

LAST_KNOWN = LIBRARY_LAST_YEAR
FIRST_UNKNOWN = LIBRARY_LAST_YEAR + 1


def submit_on(unit, day: dt.date):
    return services.request_submit(details=details(unit), form_nonce=f"n-{day}", today=day)


def test_a_deadline_inside_a_known_year_is_not_provisional(unit_a):
    request, _ = submit_on(unit_a, dt.date(LAST_KNOWN, 3, 2))
    assert not request.due_on_provisional


def test_a_deadline_across_new_year_into_an_unknown_year_skips_new_years_day_and_is_provisional(unit_a):
    request, _ = submit_on(unit_a, dt.date(LAST_KNOWN, 12, 10))
    assert request.due_on_provisional
    assert request.due_on > dt.date(FIRST_UNKNOWN, 1, 1)
    if LAST_KNOWN == 2026:  # the case, counted by hand: 元旦 2027 is not a working day
        assert request.due_on == dt.date(2027, 1, 8)


def test_the_status_page_marks_a_provisional_deadline(client, unit_a):
    request, code = submit_on(unit_a, dt.date(LAST_KNOWN, 12, 10))
    client.post(reverse("requests:lookup"), {"number": request.number, "code": code})
    html = client.get(reverse("requests:status", args=(request.number,))).content.decode()
    assert 'data-testid="deadline-provisional"' in html and "暂定" in html


def test_entering_the_notice_recounts_and_settles_the_deadline(unit_a, office):
    request, _ = submit_on(unit_a, dt.date(LAST_KNOWN, 12, 10))
    forecast = request.due_on
    # The notice gives a bridging day off on the first Monday of the new year.
    monday = dt.date(FIRST_UNKNOWN, 1, 1)
    while monday.weekday() != 0:
        monday += dt.timedelta(days=1)
    services.holiday_day_save(day=HolidayCalendarDay(date=dt.date(FIRST_UNKNOWN, 1, 1), is_workday=False, name="元旦"), actor=office)
    services.holiday_day_save(day=HolidayCalendarDay(date=monday, is_workday=False, name="元旦"), actor=office)
    request = InformationRequest.objects.get(pk=request.pk)
    assert not request.due_on_provisional
    assert request.due_on == (forecast + dt.timedelta(days=1) if forecast.weekday() < 4 else forecast + dt.timedelta(days=3))
    assert request.events.filter(action="deadline_changed").exists()


def test_staff_see_the_provisional_mark_before_and_after_the_deadline(unit_a):
    from disclosure.requests.selectors import deadline_status
    from disclosure.requests.workdays import WorkCalendar

    request, _ = submit_on(unit_a, dt.date(LAST_KNOWN, 12, 10))
    calendar = WorkCalendar()
    assert deadline_status(request, today=dt.date(LAST_KNOWN, 12, 11), calendar=calendar).label.endswith("，暂定")
    late = deadline_status(request, today=request.due_on + dt.timedelta(days=7), calendar=calendar)
    assert late.overdue and late.label.endswith("，暂定")
