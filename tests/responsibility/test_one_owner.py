"""One owner for every rule: which units answer for a column or a work point, a column's
freshness, and who counts as a unit's staff are each decided in one place, so the modules
that use them cannot disagree."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from disclosure.dashboard import staff_dashboard
from disclosure.demo import leaf_columns_with_units
from disclosure.requests.selectors import addressable_units, can_handle_requests
from disclosure.requests.services.daily import _overdue_recipients
from responsibility.access import is_unit_staff
from responsibility.answering import column_answering_units
from responsibility.models import Collective, Column, Freshness, StaffProfile, Unit
from tasks.access import can_use_tasks
from tasks.freshness import column_freshness
from tasks.models import Task, WorkPoint
from tasks.services import work_point_tasks_sync
from tests.disclosure.public_data import publish
from tests.disclosure.staff import editor_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_inactive_unit_answers_for_nothing_wherever_it_is_asked(seed):
    streets = Collective.objects.get(name="各街道")
    street = streets.members.order_by("order").first()
    direct = Unit.objects.get(name="区教育局")
    Unit.objects.filter(pk__in=(street.pk, direct.pk)).update(is_active=False)

    answering = column_answering_units()
    assert all(street not in units and direct not in units for units in answering.values())
    assert all(street not in units and direct not in units for _, units in leaf_columns_with_units())
    report = column_freshness()
    assert all(street not in entry.units and direct not in entry.units for entry in report.columns)
    assert not addressable_units().filter(pk__in=(street.pk, direct.pk)).exists()
    point = WorkPoint.objects.filter(parties__collective=streets).first()
    work_point_tasks_sync(work_point=point)
    assert not Task.objects.filter(work_point=point, unit=street).exists()
    assert Task.objects.filter(work_point=point).exists()


def test_the_office_report_and_a_units_start_page_agree_on_a_stale_column(seed):
    column = Column.objects.get(slug="3-12-1")
    column.stale_after_days = 14
    column.save()
    # 14 calendar days and some hours ago: within a 14-day cycle by the calendar.
    published_at = timezone.now() - datetime.timedelta(days=14, hours=12)
    publish(column_slug="3-12-1", unit_name="区农业农村局", published_at=published_at)
    editor = editor_of(Unit.objects.get(name="区农业农村局"))
    today = timezone.localdate()
    expected = column.freshness_on(published_at, today=today)
    entry = next(entry for entry in column_freshness(today=today).columns if entry.column.pk == column.pk)
    on_start_page = next(c for c in staff_dashboard(editor).columns if c.pk == column.pk)
    assert entry.status == expected
    assert on_start_page.is_stale == (expected == Freshness.STALE)


def make_account(unit, *, role=None, is_staff=True, is_active=True, email="x@furong.example"):
    user = UserFactory(is_staff=is_staff, is_active=is_active, email=email)
    StaffProfile.objects.create(user=user, unit=unit)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def test_unit_staff_means_the_same_for_tasks_requests_and_overdue_mail(seed):
    unit = Unit.objects.get(name="区教育局")
    editor = make_account(unit, role="信息员", email="editor@furong.example")
    no_role = make_account(unit, email="norole@furong.example")
    not_staff = make_account(unit, role="信息员", is_staff=False, email="notstaff@furong.example")
    for account, expected in ((editor, True), (no_role, False), (not_staff, False)):
        assert is_unit_staff(account) is expected
        assert can_handle_requests(account) is expected
        assert can_use_tasks(account) is expected
    assert _overdue_recipients(unit) == sorted({*([unit.email] if unit.email else []), "editor@furong.example"})
