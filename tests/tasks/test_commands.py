"""The management commands: task sync and demo progress (reminders: test_reminders)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tasks.models import ProgressReport, Task, TaskReview

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_sync_command_dry_run_writes_nothing(plan):
    assert "新建任务 685 个" in run("sync_work_point_tasks", "--year", "2020", "--dry-run")
    assert not Task.objects.exists()
    assert "新建任务 685 个" in run("sync_work_point_tasks", "--year", "2020")
    assert "新建任务 0 个" in run("sync_work_point_tasks", "--year", "2020")


def test_sync_command_names_a_missing_year(plan):
    with pytest.raises(CommandError, match="没有 1999 年的工作要点"):
        run("sync_work_point_tasks", "--year", "1999")


def test_demo_progress_refuses_production_and_a_second_run(mini, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG 未开启"):
        run("demo_progress")
    run("demo_progress", "--force", "--seed", "7")
    with pytest.raises(CommandError, match="已有进展报告"):
        run("demo_progress", "--force")


def test_demo_progress_plays_the_workflow_through_the_services(mini):
    # The small plan is the newest, so the demo works on it.
    run("demo_progress", "--force", "--seed", "7")
    today = timezone.localdate()
    tasks = {(task.work_point.number, task.unit.name): task for task in Task.objects.filter(work_point__section__document=mini.plan)}
    assert {task.due_on for (number, _), task in tasks.items() if number == 1} == {today - timedelta(days=30)}
    for task in tasks.values():
        reports = ProgressReport.objects.filter(task=task)
        final = reports.filter(is_final=True).first()
        if task.state == Task.State.NOT_STARTED:
            assert not reports.exists()
        elif task.state == Task.State.DONE:
            assert final.review.decision == TaskReview.Decision.APPROVED and final.public_summary
        elif task.state == Task.State.RETURNED:
            assert final.review.comment
        assert final is None or final.files.exists() or final.evidence_items.exists()
