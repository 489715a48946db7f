"""Adversarial: every role tries what it must not do, by URL and by forged POST."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from responsibility.access import ROLE_DISTRICT_OFFICE, ROLE_REVIEWER
from responsibility.models import Unit
from tasks.models import ProgressReport, Task, TaskReview
from tasks.services import progress_report_submit
from tests.factories import ItemFactory

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

OFFICE_PAGES = ("tasks_office", "tasks_office_matrix", "tasks_office_scorecards", "tasks_office_overdue",
                "tasks_office_columns", "tasks_office_export")


@pytest.fixture
def world(synced, make_staff):
    a, b = Unit.objects.get(name="区财政局"), Unit.objects.get(name="区教育局")

    class World:
        unit_a, unit_b = a, b
        a_editor = make_staff("a-editor", unit=a)
        a_reviewer = make_staff("a-reviewer", unit=a, role=ROLE_REVIEWER)
        b_editor = make_staff("b-editor", unit=b)
        office = make_staff("office", role=ROLE_DISTRICT_OFFICE)
        task_a = Task.objects.get(work_point__number=9, unit=a)
        task_b = Task.objects.get(work_point__number=9, unit=b)
        item_a = ItemFactory(unit=a, title="财政局预算公开")
        item_b = ItemFactory(unit=b, title="教育局招生公告")

    return World


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report_url(task):
    return reverse("admin:tasks_task_report", args=(task.pk,))


def review_url(task):
    return reverse("admin:tasks_task_review", args=(task.pk,))


def report_post(**overrides):
    return {"reported_on": timezone.localdate().isoformat(), "text": "已完成本单位工作。",
            "public_summary": "已公开。", "is_final": "on", **overrides}


def put_in_review(world):
    progress_report_submit(
        task=world.task_a, author=world.a_editor, reported_on=date(2020, 11, 1), text="完成。",
        public_summary="已公开。", is_final=True, files=[pdf_upload()],
    )


def test_a_unit_lists_only_its_own_tasks(world):
    response = client_for(world.a_editor).get(reverse("admin:tasks_task_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 15
    assert {task.unit_id for task in response.context["cl"].result_list} == {world.unit_a.pk}


def test_a_unit_cannot_open_another_units_task(world):
    client = client_for(world.a_editor)
    response = client.get(reverse("admin:tasks_task_change", args=(world.task_b.pk,)))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(report_url(world.task_b)).status_code == 404
    assert client.get(reverse("admin:tasks_task_history", args=(world.task_b.pk,))).status_code == 302


def test_a_forged_report_on_another_units_task_is_refused(world):
    response = client_for(world.a_editor).post(report_url(world.task_b), report_post(evidence_items=[world.item_a.pk]))
    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


def test_another_units_item_cannot_be_posted_as_evidence(world):
    response = client_for(world.a_editor).post(
        report_url(world.task_a), report_post(evidence_items=[world.item_b.pk])
    )
    assert response.status_code == 200
    assert "evidence_items" in response.context["form"].errors
    assert not ProgressReport.objects.exists()


def test_the_evidence_choices_are_the_units_own_published_items(world):
    response = client_for(world.a_editor).get(report_url(world.task_a))
    assert list(response.context["form"].fields["evidence_items"].queryset) == [world.item_a]
    assert "教育局招生公告" not in response.content.decode()


def test_a_unit_reports_with_evidence_and_its_reviewer_may_too(world):
    response = client_for(world.a_editor).post(
        report_url(world.task_a),
        {**report_post(evidence_items=[world.item_a.pk]), "is_final": "", "files": [pdf_upload()]},
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert list(report.evidence_items.all()) == [world.item_a] and report.files.count() == 1
    response = client_for(world.a_reviewer).post(report_url(world.task_a), report_post(evidence_items=[world.item_a.pk]))
    assert response.status_code == 302
    world.task_a.refresh_from_db()
    assert world.task_a.state == Task.State.IN_REVIEW
    response = client_for(world.a_editor).get(report_url(world.task_a), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:tasks_task_change", args=(world.task_a.pk,))
    assert "该任务当前为“待审核”，不能填报进展。" in response.content.decode()


def test_a_unit_cannot_review_change_due_dates_or_open_dashboards(world):
    put_in_review(world)
    client = client_for(world.a_editor)
    assert client.get(review_url(world.task_a)).status_code == 403
    assert client.post(review_url(world.task_a), {"decision": "approved"}).status_code == 403
    change = reverse("admin:tasks_task_change", args=(world.task_a.pk,))
    assert client.post(change, {"due_on": "2030-01-01"}).status_code == 403
    client.post(reverse("admin:tasks_task_changelist"), {
        "action": "due_on_change", "_selected_action": [world.task_a.pk], "apply": "1", "due_on": "2030-01-01",
    })
    for name in OFFICE_PAGES:
        assert client.get(reverse(f"admin:{name}")).status_code == 403
    assert client.get(reverse("admin:tasks_workpointsetting_changelist")).status_code == 403
    world.task_a.refresh_from_db()
    assert (world.task_a.state, world.task_a.due_on) == (Task.State.IN_REVIEW, date(2020, 12, 31))
    assert not TaskReview.objects.exists()


def test_evidence_files_are_downloaded_only_by_the_unit_and_the_office(world):
    put_in_review(world)
    evidence = ProgressReport.objects.get().files.get()
    url = reverse("admin:tasks_task_evidence", args=(world.task_a.pk, evidence.pk))
    assert client_for(world.b_editor).get(url).status_code == 404
    forged = reverse("admin:tasks_task_evidence", args=(world.task_b.pk, evidence.pk))
    assert client_for(world.b_editor).get(forged).status_code == 404  # own task, someone else's file
    for user in (world.a_editor, world.office):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"]


def test_the_office_reviews_but_never_reports_for_a_unit(world):
    client = client_for(world.office)
    assert client.get(report_url(world.task_a)).status_code == 403
    assert client.post(report_url(world.task_a), report_post()).status_code == 403
    put_in_review(world)
    response = client.post(review_url(world.task_a), {"decision": "returned", "comment": ""})
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    response = client.post(review_url(world.task_a), {"decision": "approved", "comment": ""})
    assert response.status_code == 302
    world.task_a.refresh_from_db()
    assert world.task_a.state == Task.State.DONE


def test_staff_without_a_role_and_anonymous_visitors_get_nothing(world, make_staff, roles):
    from tests.factories import UserFactory

    roleless = UserFactory(username="roleless", is_staff=True)
    client = client_for(roleless)
    assert client.get(reverse("admin:tasks_task_changelist")).status_code == 403
    assert client.get(report_url(world.task_a)).status_code == 404
    for name in OFFICE_PAGES:
        assert client.get(reverse(f"admin:{name}")).status_code == 403
    anonymous = Client()
    for url in (report_url(world.task_a), reverse("admin:tasks_office"), reverse("admin:tasks_office_export")):
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_a_unit_account_without_staff_status_cannot_enter(world, make_staff):
    outsider = make_staff("not-staff", unit=world.unit_a, is_staff=False)
    response = client_for(outsider).get(report_url(world.task_a))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_posts_without_a_csrf_token_are_refused(world):
    put_in_review(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.office)
    assert client.post(review_url(world.task_a), {"decision": "approved"}).status_code == 403
    world.task_a.refresh_from_db()
    assert world.task_a.state == Task.State.IN_REVIEW


def task_version(client, url) -> str:
    import re

    return re.search(r'name="(?:seen_)?version" value="(\d+)"', client.get(url).content.decode()).group(1)


def test_two_office_sessions_changing_a_due_date_the_later_one_is_refused(world, make_staff):
    other_office = make_staff("office-2", role=ROLE_DISTRICT_OFFICE)
    first, second = client_for(world.office), client_for(other_office)
    url = reverse("admin:tasks_task_change", args=(world.task_a.pk,))
    version_first, version_second = task_version(first, url), task_version(second, url)
    assert second.post(url, {"due_on": "2020-11-30", "seen_version": version_second}).status_code == 302
    refused = first.post(url, {"due_on": "2020-12-15", "seen_version": version_first})
    assert refused.status_code == 200 and "保存未成功" in refused.content.decode()
    assert "截止日期 2020-11-30" in refused.content.decode()
    world.task_a.refresh_from_db()
    assert world.task_a.due_on == date(2020, 11, 30)


def test_a_report_form_opened_before_a_colleagues_report_is_refused_with_the_news(world):
    editor, reviewer = client_for(world.a_editor), client_for(world.a_reviewer)
    version = task_version(editor, report_url(world.task_a))
    progress_report_submit(
        task=world.task_a, author=world.a_reviewer, reported_on=date(2020, 11, 1), text="已部署。"
    )
    refused = editor.post(report_url(world.task_a), report_post(is_final="", public_summary="", version=version))
    assert refused.status_code == 200 and "最近：进展报告（2020-11-01）" in refused.content.decode()
    assert ProgressReport.objects.filter(task=world.task_a).count() == 1
    fresh = task_version(editor, report_url(world.task_a))
    assert editor.post(report_url(world.task_a), report_post(is_final="", public_summary="", version=fresh)).status_code == 302
    del reviewer
