"""Who may see and act on which work-point task.

Built on `responsibility.access`: a unit's editors and reviewers (信息员, 审核员) see and
report on their own unit's tasks; the district office (区政务公开办) sees every task,
reviews final reports, changes due dates and weights, and alone sees the dashboards.
Every view and admin action goes through `task_permitted` / `task_get_for`."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from responsibility.access import is_district_office, is_unit_staff, unit_of

from .models import Task


class Action:
    VIEW = "view"
    REPORT = "report"
    REVIEW = "review"
    SCHEDULE = "schedule"


def is_office_staff(user) -> bool:
    """District-office staff who may open the back office (dashboards, reviews, settings)."""
    return user.is_authenticated and user.is_staff and is_district_office(user)


def can_use_tasks(user) -> bool:
    return is_office_staff(user) or is_unit_staff(user)


def tasks_visible_to(user) -> QuerySet[Task]:
    if is_office_staff(user):
        return Task.objects.all()
    if is_unit_staff(user):
        return Task.objects.filter(unit=unit_of(user))
    return Task.objects.none()


def task_permitted(user, task: Task, action: str) -> bool:
    """Whether `user` may perform `action` on `task` (the task's state is the services' concern)."""
    if action == Action.VIEW:
        return is_office_staff(user) or (is_unit_staff(user) and unit_of(user).pk == task.unit_id)
    if action == Action.REPORT:
        # Reporting is the unit's own work; the office reviews but never reports for a unit.
        return is_unit_staff(user) and unit_of(user).pk == task.unit_id
    if action in (Action.REVIEW, Action.SCHEDULE):
        return is_office_staff(user)
    raise ValueError(action)


def task_get_for(user, pk, action: str) -> Task:
    """The task `pk` if `user` may see it (else 404) and perform `action` on it (else 403)."""
    task = tasks_visible_to(user).with_related().filter(pk=pk).first()
    if task is None:
        raise Http404("没有找到该任务。")
    if not task_permitted(user, task, action):
        raise PermissionDenied("您无权进行此操作。")
    return task
