"""Breaking the work points down into one task per unit, counted by hand from the seed."""

from datetime import date

import pytest

from responsibility.models import Unit
from tasks.models import Task, WorkPoint, WorkPointParty, WorkPointSetting
from tasks.services import (
    plan_tasks_sync,
    progress_report_submit,
    work_point_default_due_on,
    work_point_parties_replace,
)

pytestmark = pytest.mark.django_db

# Hand count from fixtures/*.json: 各街道 has 13 members (101–113); 区直各有关单位,
# 区直各有关部门 and 区直各部门 have the same 30 (pk 3–32). Points 1–10, 15, 17 and 18
# name 隆平高科技园 + 各街道 + one of those collectives, and their leads are all among
# pk 1 and 3–32: 1 + 13 + 30 = 44 tasks. Points 11 and 13 add 区生态环境分局 (pk 33,
# outside the 30): 45. Point 12 names 14 units one by one. Point 14 names 8 leads and
# 各公共企事业单位 = {长沙供电公司}: 9. Points 16, 19, 20 name no unit.
EXPECTED_TASKS = {
    **{number: 44 for number in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 17, 18)},
    11: 45, 13: 45, 12: 14, 14: 9, 16: 0, 19: 0, 20: 0,
}
EXPECTED_LEADS = {1: 1, 2: 2, 3: 3, 4: 5, 5: 4, 12: 0, 13: 3, 14: 8, 18: 2}


def test_every_point_gets_one_task_per_unit_it_names(synced):
    counts = {point.number: point.tasks.count() for point in WorkPoint.objects.all()}
    assert counts == EXPECTED_TASKS
    assert Task.objects.count() == 685


def test_lead_units_are_counted_by_hand(synced):
    for number, leads in EXPECTED_LEADS.items():
        assert Task.objects.filter(work_point__number=number, role=WorkPointParty.Role.LEAD).count() == leads


@pytest.mark.parametrize("number", [16, 19, 20])
def test_points_naming_no_unit_get_no_task(synced, number):
    assert not Task.objects.filter(work_point__number=number).exists()


def test_a_lead_that_is_also_in_a_collective_keeps_one_task_as_lead(synced):
    # 区数据资源中心 leads point 1 and is also one of 区直各有关单位.
    task = Task.objects.get(work_point__number=1, unit__name="区数据资源中心")
    assert task.role == WorkPointParty.Role.LEAD
    assert task.assigned_as == "区数据资源中心"


def test_collective_members_are_assigned_under_the_collective_name(synced):
    task = Task.objects.get(work_point__number=1, unit__name="马王堆街道办事处")
    assert (task.role, task.assigned_as) == (WorkPointParty.Role.RESPONSIBLE, "各街道")


def test_due_dates_default_to_the_plan_year_end(synced):
    assert set(Task.objects.values_list("due_on", flat=True)) == {date(2020, 12, 31)}


def test_point_15_due_date_comes_from_its_text(plan):
    point = WorkPoint.objects.get(number=15)
    assert "2020年底前" in point.text
    point.section.document.year = 2099  # the fallback would now be 2099-12-31
    assert work_point_default_due_on(point) == date(2020, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021年3月底前完成目录编制。", date(2021, 3, 31)),
        ("2021 年 2 月底前", date(2021, 2, 28)),
        ("于2021年9月30日前公开，2021年6月底前梳理。", date(2021, 9, 30)),
        ("2021年上半年完成。", date(2021, 6, 30)),
        ("2021年2月30日前（笔误）", date(2020, 12, 31)),
        ("持续做好公开工作。", date(2020, 12, 31)),
    ],
)
def test_due_date_parsing(plan, text, expected):
    point = WorkPoint.objects.select_related("section__document").get(number=1)
    point.text = text
    assert work_point_default_due_on(point) == expected


def test_sync_is_idempotent_and_creates_settings(synced):
    result = plan_tasks_sync(plan=synced)
    assert (result.created, result.updated, result.removed, result.kept) == (0, 0, 0, [])
    assert WorkPointSetting.objects.count() == 20


def test_inactive_members_get_no_task(plan):
    Unit.objects.filter(name="马王堆街道办事处").update(is_active=False)
    plan_tasks_sync(plan=plan)
    assert WorkPoint.objects.get(number=1).tasks.count() == 43


def test_changing_the_clause_adds_and_removes_untouched_tasks_but_keeps_reported_ones(synced, make_staff):
    point = WorkPoint.objects.get(number=9)
    reported = point.tasks.get(unit__name="区财政局")
    progress_report_submit(
        task=reported, author=make_staff("czj", unit=reported.unit), reported_on=date(2020, 7, 1), text="已启动。"
    )
    work_point_parties_replace(work_point=point, units_clause="区统计局牵头，区公安分局负责")
    result = plan_tasks_sync(plan=synced)
    # Of the 44 tasks: 区统计局 (one of 区直各有关部门) becomes the lead, 区财政局 has a
    # report and is kept, the other 42 go; 区公安分局 was not named before and is added.
    assert (result.created, result.updated, result.removed, result.kept) == (1, 1, 42, [reported])
    assert set(point.tasks.values_list("unit__name", "role")) == {
        ("区统计局", "lead"), ("区公安分局", "responsible"), ("区财政局", "lead"),
    }
