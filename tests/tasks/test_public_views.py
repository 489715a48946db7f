"""The public work-point pages: completion, state, and only what the office approved."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from furong_portal.pagecache import generation_renew
from responsibility.access import ROLE_DISTRICT_OFFICE
from tasks.models import ProgressReport, Task, TaskReview, WorkPoint
from tasks.services import progress_report_submit, task_review

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_user(make_staff):
    return make_staff("office", role=ROLE_DISTRICT_OFFICE)


def report_final(task, author, summary, text="内部进展说明：含未公开的工作细节。"):
    progress_report_submit(
        task=task, author=author, reported_on=date(2020, 11, 1), text=text, public_summary=summary,
        is_final=True, files=[pdf_upload()],
    )


def approve_in_bulk(tasks, author, reviewer):
    """Many approved tasks at once, for the query-count tests (the workflow itself is
    tested through the services elsewhere), renewing the page cache as `task_review` does."""
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(task=task, author=author, reported_on=date(2020, 11, 1), text="内部", public_summary=f"摘要{task.pk}", is_final=True)
        for task in tasks
    )
    TaskReview.objects.bulk_create(
        TaskReview(report=report, decision=TaskReview.Decision.APPROVED, reviewer=reviewer) for report in reports
    )
    Task.objects.filter(pk__in=[task.pk for task in tasks]).update(state=Task.State.DONE, completed_on=date(2020, 11, 2))
    generation_renew()


def test_list_shows_each_points_completion_and_state(client, synced, make_staff, office_user):
    point = WorkPoint.objects.get(number=1)
    approve_in_bulk(list(point.tasks.order_by("pk")[:11]), make_staff("author"), office_user)  # 11 of 44
    page = client.get(reverse("tasks:work-points")).content.decode()
    assert 'value="25"' in page and "25%" in page
    assert page.count("已逾期") == 17  # every point with tasks is past 2020-12-31
    assert page.count("未分解任务") == 3
    assert "（十六）（十九）（二十）未在文中列明责任单位" in page


def test_list_shows_each_units_approved_count(client, synced, make_staff, office_user):
    tasks = Task.objects.filter(unit__name="区财政局").order_by("work_point__number")
    # One of the 30 区直 units: on every point with tasks but 12 and 14 (17 - 2).
    assert tasks.count() == 15
    approve_in_bulk(list(tasks[:2]), make_staff("author"), office_user)
    page = client.get(reverse("tasks:work-points")).content.decode()
    assert "区财政局</a></th><td>15</td><td>2</td><td>13%</td>" in page


def test_detail_shows_only_approved_public_summaries(client, synced, make_staff, office_user):
    point = WorkPoint.objects.get(number=9)
    lead = point.tasks.get(unit__name="区财政局")
    other = point.tasks.get(unit__name="区教育局")
    returned = point.tasks.get(unit__name="区民政局")
    report_final(lead, make_staff("czj", unit=lead.unit), "预决算已在平台集中公开。")
    task_review(task=lead, reviewer=office_user, decision=TaskReview.Decision.APPROVED)
    report_final(other, make_staff("jyj", unit=other.unit), "待审核的摘要不应公开。")
    report_final(returned, make_staff("mzj", unit=returned.unit), "被退回的摘要不应公开。")
    task_review(task=returned, reviewer=office_user, decision=TaskReview.Decision.RETURNED, comment="内部意见：链接无效。")
    page = client.get(point.get_absolute_url()).content.decode()
    assert "预决算已在平台集中公开。" in page
    assert f"{timezone.localdate():%Y-%m-%d} 审核通过" in page
    for secret in ("待审核的摘要不应公开。", "被退回的摘要不应公开。", "内部意见：链接无效。", "内部进展说明", "已退回", "待审核"):
        assert secret not in page
    assert "1 / 44" in page and "2%" in page  # 1 of 44 equally weighted tasks


def test_detail_of_a_point_without_units_says_so(client, synced):
    page = client.get(reverse("tasks:work-point", args=(19,))).content.decode()
    assert "本要点未在文中列明责任单位，不分解任务，不计算完成度。" in page


def test_public_pages_need_a_constant_number_of_queries(
    client, synced, make_staff, office_user, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get(reverse("tasks:work-points"))
    with django_assert_max_num_queries(7):
        client.get(reverse("tasks:work-point", args=(1,)))
    approve_in_bulk(list(Task.objects.all()), make_staff("author"), office_user)  # all 685
    with django_assert_max_num_queries(6):
        response = client.get(reverse("tasks:work-points"))
    assert response.content.decode().count("100%") >= 17
    with django_assert_max_num_queries(7):
        response = client.get(reverse("tasks:work-point", args=(1,)))
    assert response.content.decode().count("审核通过）") == 44


def test_list_shows_the_overall_completion_of_the_years_work_points(client, synced, make_staff, office_user):
    point = WorkPoint.objects.get(number=1)
    approve_in_bulk(list(point.tasks.order_by("pk")[:11]), make_staff("author"), office_user)  # 11 of 44 on 1 of 17 points
    page = client.get(reverse("tasks:work-points")).content.decode()
    overall = page[page.index("总体完成度") : page.index("</dl>")]
    assert "<strong>1%</strong>" in overall  # mean of the 17 points with tasks: 25% / 17
    assert "已完成 11 项" in overall


def test_an_approved_report_shows_on_the_cached_point_page_at_once(
    client, synced, make_staff, office_user, django_capture_on_commit_callbacks
):
    point = WorkPoint.objects.get(number=9)
    lead = point.tasks.get(unit__name="区财政局")
    report_final(lead, make_staff("czj", unit=lead.unit), "预决算已在平台集中公开。")
    assert "预决算已在平台集中公开。" not in client.get(point.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        task_review(task=lead, reviewer=office_user, decision=TaskReview.Decision.APPROVED)
    assert "预决算已在平台集中公开。" in client.get(point.get_absolute_url()).content.decode()
