"""This year against last, per unit and per section: completion, timeliness, a chart."""

from datetime import date

import pytest

from tasks.comparison import plan_comparison
from tasks.models import Task

pytestmark = pytest.mark.django_db
URL = "/admin/tasks/task/office/comparison/"


@pytest.fixture
def played_years(two_plans):
    """2020: point 1 done on time by everyone, point 2 done late by everyone.
    2021: point 1 done on time by everyone; nothing else."""
    plan_2020, plan_2021 = two_plans
    Task.objects.for_plan(plan_2020).filter(work_point__number=1).update(state="done", completed_on=date(2020, 12, 1))
    Task.objects.for_plan(plan_2020).filter(work_point__number=2).update(state="done", completed_on=date(2021, 1, 15))
    Task.objects.for_plan(plan_2021).filter(work_point__number=1).update(state="done", completed_on=date(2021, 6, 1))
    return plan_2020, plan_2021


def test_sections_compare_completion_and_timeliness(played_years):
    plan_2020, plan_2021 = played_years
    comparison = plan_comparison(plan=plan_2021, previous=plan_2020)
    first = comparison.sections[0]
    assert first.label == "一、深化决策信息和权责清单公开"
    tasks_2020 = Task.objects.for_plan(plan_2020).filter(work_point__section__order=1)
    done_2020 = tasks_2020.filter(work_point__number__in=(1, 2)).count()
    assert (first.previous.total, first.previous.done) == (tasks_2020.count(), done_2020)
    on_time = tasks_2020.filter(work_point__number=1).count()
    assert first.previous.on_time == on_time
    assert first.previous.timeliness == round(100 * on_time / done_2020)
    assert first.current.timeliness == 100
    assert comparison.sections[1].current.completion == 0 and comparison.sections[1].current.timeliness is None


def test_units_compare_both_years_including_a_renamed_unit(played_years):
    plan_2020, plan_2021 = played_years
    rows = {row.label: row for row in plan_comparison(plan=plan_2021, previous=plan_2020).units}
    centre = rows["区数据资源局"]  # renamed in 2021: one row, both years
    assert centre.previous.total == Task.objects.for_plan(plan_2020).filter(unit__name="区数据资源局").count()
    assert centre.current.total == Task.objects.for_plan(plan_2021).filter(unit__name="区数据资源局").count()
    assert centre.completion_change == centre.current.completion - centre.previous.completion


def test_comparison_page_draws_the_charts_and_tables(client, played_years, office, django_assert_max_num_queries):
    client.force_login(office)
    with django_assert_max_num_queries(20):
        page = client.get(URL + "?year=2021").content.decode()
    assert page.count('<svg class="chart"') == 3 and "各板块完成率：本年与上年" in page
    assert "2021年 " in page or "2021年<" in page
    assert "区数据资源局" in page and "各单位完成情况对比" in page


def test_first_year_has_nothing_to_compare(client, played_years, office):
    client.force_login(office)
    assert "无可对比的年度" in client.get(URL + "?year=2020").content.decode()
