"""Several plans side by side: each keeps its year; the public page shows the newest
with a switch to earlier years, the office's pages and export work per plan."""

from datetime import date

import pytest
from django.urls import reverse

from tasks.models import Task
from tasks.services import reminder_compose

pytestmark = pytest.mark.django_db


def test_public_page_shows_the_newest_plan_and_links_the_earlier_year(client, two_plans):
    plan_2020, plan_2021 = two_plans
    page = client.get(reverse("tasks:work-points")).content.decode()
    assert "芙蓉区2021年政务公开工作要点" in page and "芙政办发〔2021〕8号" in page
    assert 'href="/work-points/2020/"' in page
    assert 'href="/work-points/2021/21/"' in page  # the point added in 2021


def test_earlier_year_has_its_own_page_and_points(client, two_plans):
    page = client.get(reverse("tasks:work-points-of-year", args=(2020,))).content.decode()
    assert "芙蓉区2020年政务公开工作要点" in page and 'href="/work-points/2020/1/"' in page
    assert "/work-points/2020/21/" not in page
    detail = client.get("/work-points/2020/1/").content.decode()
    assert "区直各有关单位" in detail and "区直各相关单位" not in detail
    detail_2021 = client.get("/work-points/2021/1/").content.decode()
    assert "区直各相关单位" in detail_2021


@pytest.mark.parametrize("path", ["/work-points/1999/", "/work-points/2020/21/", "/work-points/2021/22/", "/work-points/9999/1/"])
def test_unknown_year_or_point_is_404(client, two_plans, path):
    assert client.get(path).status_code == 404


def test_year_page_needs_no_more_queries_than_the_current_one(client, two_plans, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("tasks:work-points"))
    with django_assert_max_num_queries(6):
        client.get(reverse("tasks:work-points-of-year", args=(2020,)))
    with django_assert_max_num_queries(7):
        client.get(reverse("tasks:work-point-of-year", args=(2020, 1)))


def test_office_dashboard_and_export_follow_the_chosen_year(client, two_plans, office):
    client.force_login(office)
    newest = client.get(reverse("admin:tasks_office")).content.decode()
    assert "芙政办发〔2021〕8号" in newest and '<option value="2020"' in newest
    earlier = client.get(reverse("admin:tasks_office") + "?year=2020").content.decode()
    assert "芙政办发〔2020〕13号" in earlier and "matrix/?year=2020" in earlier
    export = client.get(reverse("admin:tasks_office_export") + "?year=2020")
    assert 'filename="work-points-2020-' in export["Content-Disposition"]


@pytest.mark.parametrize("year", ["abc", "2019", "-1", "20201"])
def test_office_pages_answer_a_bad_year_with_404(client, two_plans, office, year):
    client.force_login(office)
    assert client.get(reverse("admin:tasks_office_matrix") + f"?year={year}").status_code == 404


def test_reminder_names_the_year_of_each_task(two_plans):
    plan_2020, plan_2021 = two_plans
    task_2020 = Task.objects.for_plan(plan_2020).with_related().get(work_point__number=1, unit__name="区数据资源局")
    task_2021 = Task.objects.for_plan(plan_2021).with_related().get(work_point__number=1, unit__name="区数据资源局")
    _subject, body = reminder_compose(
        unit=task_2020.unit, tasks={"overdue": [task_2020], "due_soon": [task_2021]}, columns=[], today=date(2021, 12, 10)
    )
    assert "2020年（一）加强政府常务会议信息公开" in body and "2021年（一）加强政府常务会议信息公开" in body


def test_task_sync_command_works_per_year(two_plans, capsys):
    from django.core.management import call_command

    call_command("sync_work_point_tasks", year=2020)
    assert "芙政办发〔2020〕13号" in capsys.readouterr().out
