"""Completion, schedules, matrix, scorecards and the overdue list, counted by hand on
the small plan of `conftest.Mini` (points 1 and 2 with three tasks each, point 3 none)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tasks.freshness import column_freshness
from tasks.models import Schedule, Task, TaskReview
from tasks.selectors import (
    completion_matrix,
    items_per_month,
    overdue_tasks,
    plan_progress,
    plan_totals,
    section_progress,
    unit_scorecards,
)
from tasks.services import task_due_on_set, task_review, work_point_setting_update
from tests.factories import ItemFactory

from .conftest import move

pytestmark = pytest.mark.django_db

AT_RISK_DAY = date(2025, 6, 10)  # 20 days before point 1's due date, 204 before point 2's


def progress_of(mini, today=AT_RISK_DAY):
    return {entry.point.number: entry for entry in plan_progress(plan=mini.plan, today=today)}


def test_completion_with_equal_weights(played):
    progress = progress_of(played)
    assert progress[1].completion == Decimal(1) / 3 and progress[1].percent == 33  # 甲 of 甲 乙 丙
    assert progress[2].percent == 67  # 乙 丙 of 乙 丙 丁
    assert progress[3].completion is None and progress[3].percent is None


def test_lead_weight_counts_the_lead_task_that_many_times(played):
    work_point_setting_update(setting=played.p1.setting, lead_weight=Decimal(2))
    work_point_setting_update(setting=played.p2.setting, lead_weight=Decimal(3))
    progress = progress_of(played)
    assert progress[1].percent == 50  # 甲 (2) of 2 + 1 + 1
    assert progress[2].percent == 80  # 乙 (3) + 丙 (1) of 3 + 1 + 1


def test_lead_weight_outside_the_range_is_refused(mini):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        work_point_setting_update(setting=mini.p1.setting, lead_weight=Decimal(0))


def test_point_schedules(played):
    assert {n: p.schedule for n, p in progress_of(played).items()} == {
        1: Schedule.AT_RISK, 2: Schedule.ON_TRACK, 3: Schedule.NO_TASKS,
    }
    assert {n: p.schedule for n, p in progress_of(played, today=date(2025, 7, 1)).items()} == {
        1: Schedule.OVERDUE, 2: Schedule.ON_TRACK, 3: Schedule.NO_TASKS,
    }
    # 30 days before the due date is still "at risk"; 31 is not.
    assert progress_of(played, today=date(2025, 5, 31))[1].schedule == Schedule.AT_RISK
    assert progress_of(played, today=date(2025, 5, 30))[1].schedule == Schedule.ON_TRACK


def test_a_point_whose_tasks_are_all_done_is_done_even_after_its_due_date(played, actors):
    move(played.task(played.p1, played.c), Task.State.DONE, actors)
    task_review(task=played.task(played.p1, played.b), reviewer=actors[1], decision=TaskReview.Decision.APPROVED)
    point = progress_of(played, today=date(2026, 1, 1))[1]
    assert (point.percent, point.schedule) == (100, Schedule.DONE)


def test_section_and_plan_totals(played):
    progress = plan_progress(plan=played.plan, today=AT_RISK_DAY)
    sections = section_progress(progress)
    assert [(s.section.number, s.percent) for s in sections] == [("一", 50), ("二", None)]  # (1/3 + 2/3) / 2
    totals = plan_totals(progress)
    assert (totals.total, totals.done, totals.in_review, totals.returned) == (6, 3, 1, 1)
    assert (totals.due_soon, totals.overdue, totals.percent) == (2, 0, 50)  # 乙 and 丙 on point 1


def test_matrix_has_a_cell_per_unit_and_point(played):
    matrix = completion_matrix(plan_progress(plan=played.plan, today=AT_RISK_DAY))
    states = {
        row.unit.name: [task.state if task else None for task in row.cells] for row in matrix.rows
    }
    assert states == {
        "甲单位": ["done", None, None],
        "乙单位": ["in_review", "done", None],
        "丙单位": ["not_started", "done", None],
        "丁单位": [None, "returned", None],
    }


def test_scorecards(played):
    today = date(2025, 7, 1)  # point 1 overdue, point 2 due in 183 days
    ItemFactory(unit=played.a, published_at=timezone.make_aware(datetime(2025, 1, 1, 0, 0)))
    ItemFactory(unit=played.a, published_at=timezone.make_aware(datetime(2024, 12, 31, 23, 59)))
    cards = {
        card.unit.name: card
        for card in unit_scorecards(
            progress=plan_progress(plan=played.plan, today=today), freshness=column_freshness(today=today), today=today
        )
    }
    a, b, c, d = (cards[f"{n}单位"] for n in "甲乙丙丁")
    assert (a.tasks.total, a.tasks.done, a.tasks.overdue, a.tasks.done_percent) == (1, 1, 0, 100)
    assert (b.tasks.total, b.tasks.done, b.tasks.in_review, b.tasks.overdue) == (2, 1, 1, 1)
    assert (c.tasks.total, c.tasks.done, c.tasks.overdue) == (2, 1, 1)
    assert (d.tasks.total, d.tasks.done, d.tasks.overdue, d.tasks.due_soon) == (1, 0, 0, 0)
    assert a.items_this_year == 1  # the item of 2024-12-31 23:59 (Beijing time) is last year's
    assert cards["区财政局"].tasks.total == 0  # the seed plan has no tasks here


def test_overdue_list_sorted_by_days_and_by_unit(played):
    task_due_on_set(task=played.task(played.p2, played.d), due_on=date(2025, 6, 1))
    today = date(2025, 7, 1)
    labels = lambda tasks: [(t.unit.name, t.work_point.number) for t in tasks]  # noqa: E731
    by_days = overdue_tasks(plan=played.plan, today=today)
    assert labels(by_days) == [("丁单位", 2), ("乙单位", 1), ("丙单位", 1)]  # 30 days, then 1 day (by unit)
    assert [t.days_overdue(today) for t in by_days] == [30, 1, 1]
    assert labels(overdue_tasks(plan=played.plan, today=today, order="days"))[0] == ("乙单位", 1)
    assert labels(overdue_tasks(plan=played.plan, today=today, order="unit")) == [
        ("乙单位", 1), ("丙单位", 1), ("丁单位", 2),
    ]
    assert labels(overdue_tasks(plan=played.plan, today=today, order="-unit"))[0] == ("丁单位", 2)


def test_items_per_month_counts_published_items_in_local_months(db):
    local = lambda *args: timezone.make_aware(datetime(*args))  # noqa: E731
    # A fixed clock: on the real one, in the first hours of a month, both items would lie in the future.
    today, now = date(2026, 3, 15), local(2026, 3, 15, 12, 0)
    first_of_month = today.replace(day=1)
    ItemFactory(published_at=local(2026, 3, 1, 0, 30))  # 16:30 UTC the day before
    ItemFactory(published_at=local(2026, 3, 1, 9, 0))
    ItemFactory(state="draft", published_at=None, index_number=None)
    series = items_per_month(today=today, now=now)
    assert len(series) == 12
    assert series[-1] == (first_of_month, 2)
    assert [count for _month, count in series[:-1]] == [0] * 11
    months = [month for month, _count in series]
    assert months == sorted(months) and len(set(months)) == 12 and all(month.day == 1 for month in months)
