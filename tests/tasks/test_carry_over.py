"""Carrying last year's unfinished tasks into the new plan: linked, with a reason, and
seen per unit; the old task leaves the open lists, the new one survives task sync."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from responsibility.access import ROLE_REVIEWER
from responsibility.models import Unit
from tasks.models import CarryOver, Task, WorkPoint
from tasks.selectors import unit_reminder_tasks
from tasks.services import carry_over_candidates, plan_tasks_sync, task_carry_over, tasks_carry_over

pytestmark = pytest.mark.django_db
URL = "/admin/tasks/task/office/carry-over/"


def point(plan, number):
    return WorkPoint.objects.select_related("section__document").get(section__document=plan, number=number)


def task_of(plan, number, unit_name):
    return Task.objects.get(work_point__section__document=plan, work_point__number=number, unit__name=unit_name)


def test_candidates_are_the_unfinished_tasks_with_the_same_titled_point_suggested(two_plans):
    plan_2020, plan_2021 = two_plans
    Task.objects.for_plan(plan_2020).filter(work_point__number=1).update(state="done", completed_on=date(2020, 12, 1))
    candidates = carry_over_candidates(from_plan=plan_2020, to_plan=plan_2021)
    assert len(candidates) == Task.objects.for_plan(plan_2020).exclude(work_point__number=1).count()
    assert all(c.suggested.number == c.task.work_point.number for c in candidates)


def test_carry_links_the_units_task_in_the_new_plan(two_plans, office):
    plan_2020, plan_2021 = two_plans
    old = task_of(plan_2020, 7, "区市场监督管理局")
    carry = task_carry_over(task=old, to_work_point=point(plan_2021, 7), reason="抽查结果公开系统年底才上线。", actor=office)
    assert carry.to_task == task_of(plan_2021, 7, "区市场监督管理局")
    assert Task.objects.count() == Task.objects.count()  # nothing copied
    assert not Task.objects.open().filter(pk=old.pk).exists()
    assert Task.objects.unfinished().filter(pk=old.pk).exists()
    reminders = unit_reminder_tasks(today=date(2021, 1, 10))[old.unit_id]
    assert old not in reminders["overdue"] + reminders["due_soon"]


def test_carry_into_a_point_that_does_not_name_the_unit_creates_a_linked_task_sync_keeps(two_plans, office):
    plan_2020, plan_2021 = two_plans
    old = task_of(plan_2020, 9, "区财政局")
    target = point(plan_2021, 21)  # names 区数据资源局 and the streets only
    carry = task_carry_over(task=old, to_work_point=target, reason="债务信息平台并入新平台建设。", actor=office)
    new = carry.to_task
    assert (new.unit, new.role, new.due_on) == (old.unit, old.role, date(2021, 9, 30))
    assert new.assigned_as == "2020年结转：区财政局"
    result = plan_tasks_sync(plan=plan_2021)
    assert result.removed == 0 and Task.objects.filter(pk=new.pk).exists()


@pytest.mark.parametrize("case", ["no reason", "done", "twice", "backwards"])
def test_carry_is_refused_in_words(two_plans, office, case):
    plan_2020, plan_2021 = two_plans
    old = task_of(plan_2020, 7, "区市场监督管理局")
    target, reason = point(plan_2021, 7), "原因"
    if case == "no reason":
        reason = "  "
    elif case == "done":
        Task.objects.filter(pk=old.pk).update(state="done", completed_on=date(2020, 12, 1))
    elif case == "twice":
        task_carry_over(task=old, to_work_point=target, reason=reason, actor=office)
    else:
        old, target = task_of(plan_2021, 7, "区市场监督管理局"), point(plan_2020, 7)
    with pytest.raises(ValidationError):
        task_carry_over(task=old, to_work_point=target, reason=reason, actor=office)
    assert CarryOver.objects.count() == (1 if case == "twice" else 0)


def test_several_carries_are_all_or_nothing(two_plans, office):
    plan_2020, plan_2021 = two_plans
    good = (task_of(plan_2020, 7, "区市场监督管理局"), point(plan_2021, 7), "原因")
    bad = (task_of(plan_2020, 9, "区财政局"), point(plan_2021, 9), "")
    with pytest.raises(ValidationError):
        tasks_carry_over(decisions=[good, bad], actor=office)
    assert not CarryOver.objects.exists()


def test_office_page_carries_and_lists_per_unit_with_reasons(client, two_plans, office):
    plan_2020, plan_2021 = two_plans
    old = task_of(plan_2020, 7, "区市场监督管理局")
    client.force_login(office)
    page = client.get(URL + "?year=2021").content.decode()
    assert f'name="carry_{old.pk}"' in page
    assert f'<option value="{point(plan_2021, 7).pk}" selected>' in page
    response = client.post(
        URL + "?year=2021",
        {f"carry_{old.pk}": "on", f"point_{old.pk}": point(plan_2021, 7).pk, f"reason_{old.pk}": "系统年底上线。"},
    )
    assert response.status_code == 302
    page = client.get(URL + "?year=2021").content.decode()
    assert "区市场监督管理局（1 项）" in page and "系统年底上线。" in page
    assert f'name="carry_{old.pk}"' not in page


def test_office_page_explains_a_missing_reason(client, two_plans, office):
    plan_2020, plan_2021 = two_plans
    old = task_of(plan_2020, 7, "区市场监督管理局")
    client.force_login(office)
    chosen = point(plan_2021, 3)
    page = client.post(URL + "?year=2021", {f"carry_{old.pk}": "on", f"point_{old.pk}": chosen.pk}).content.decode()
    assert "请说明结转原因。" in page and not CarryOver.objects.exists()
    # The answer keeps the point chosen, in the select its label names.
    assert f'<select name="point_{old.pk}" id="id_point_{old.pk}"><option value="">——</option>' in page
    assert f'<option value="{chosen.pk}" selected>' in page
    assert "请至少勾选一项" in client.post(URL + "?year=2021", {}).content.decode()


def test_first_year_has_nothing_to_carry(client, two_plans, office):
    client.force_login(office)
    assert "2020 年之前没有工作要点" in client.get(URL + "?year=2020").content.decode()


def test_unit_staff_cannot_carry(client, two_plans, make_staff):
    plan_2020, plan_2021 = two_plans
    old = task_of(plan_2020, 7, "区市场监督管理局")
    client.force_login(make_staff("r", unit=Unit.objects.get(name="区市场监督管理局"), role=ROLE_REVIEWER))
    data = {f"carry_{old.pk}": "on", f"point_{old.pk}": point(plan_2021, 7).pk, f"reason_{old.pk}": "x"}
    assert client.post(URL + "?year=2021", data).status_code == 403
    assert not CarryOver.objects.exists()


def test_both_tasks_pages_say_where_the_work_went_and_why(client, two_plans, office):
    plan_2020, plan_2021 = two_plans
    old = task_of(plan_2020, 7, "区市场监督管理局")
    carry = task_carry_over(task=old, to_work_point=point(plan_2021, 7), reason="系统年底上线。", actor=office)
    client.force_login(office)
    new_page = client.get(f"/admin/tasks/task/{carry.to_task.pk}/change/").content.decode()
    assert "本任务由 2020 年要点（七）及时公开市场监管信息 结转而来" in new_page and "系统年底上线。" in new_page
    old_page = client.get(f"/admin/tasks/task/{old.pk}/change/").content.decode()
    assert "本任务已结转到 2021 年要点（七）" in old_page
