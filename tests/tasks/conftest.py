"""Fixtures of the work-point review tests: accounts in their roles, tasks, and a plan
small enough to count by hand."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from responsibility.models import Collective, StaffProfile, Unit
from responsibility.roles import ROLE_DISTRICT_OFFICE, ROLE_EDITOR, ROLE_REVIEWER, roles_sync
from tasks.models import PlanDocument, Section, Task, TaskReview, WorkPoint
from tasks.services import plan_tasks_sync, progress_report_submit, task_review, work_point_parties_replace
from tests.factories import UnitFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf_upload(name="佐证.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def plan(seed):
    return PlanDocument.objects.get(year=2020)


@pytest.fixture
def synced(plan):
    """The seed plan with its tasks."""
    plan_tasks_sync(plan=plan)
    return plan


@pytest.fixture
def roles(db):
    roles_sync()
    return {name: Group.objects.get_or_create(name=name)[0] for name in (ROLE_EDITOR, ROLE_REVIEWER, ROLE_DISTRICT_OFFICE)}


@pytest.fixture
def make_staff(roles):
    def make(username: str, *, unit: Unit | None = None, role: str = ROLE_EDITOR, is_staff: bool = True):
        user = UserFactory(username=username, is_staff=is_staff)
        user.groups.add(roles[role])
        StaffProfile.objects.create(user=user, unit=unit)
        return user

    return make


@pytest.fixture
def office(make_staff):
    return make_staff("gkb", role=ROLE_DISTRICT_OFFICE)


class Mini:
    """Units 甲 乙 丙 丁 and collective 乙丙组 = {乙, 丙}.

    一、(1) "…2025年6月底前…", 甲单位牵头，乙丙组负责 → 甲 (lead), 乙, 丙; due 2025-06-30
        (2) 乙单位牵头，丙单位负责，丁单位落实              → 乙 (lead), 丙, 丁; due 2025-12-31
    二、(3) names no unit                                   → no task
    """

    def __init__(self):
        self.a, self.b, self.c, self.d = (UnitFactory(name=f"{n}单位", order=n_order) for n, n_order in zip("甲乙丙丁", (1, 2, 3, 4)))
        group = Collective.objects.create(name="乙丙组")
        group.members.set([self.b, self.c])
        self.plan = PlanDocument.objects.create(
            title="测试通知", plan_title="2025年测试要点", doc_number="测试〔2025〕1号", issuer="测试机关",
            addressees="各单位", notice_text="正文", issued_on=date(2025, 3, 1), printed_on=date(2025, 3, 1),
            preamble="导语", year=2025,
        )
        self.one = Section.objects.create(document=self.plan, number="一", order=1, title="第一板块")
        self.two = Section.objects.create(document=self.plan, number="二", order=2, title="第二板块")
        self.p1 = self._point(self.one, 1, "要点一。2025年6月底前完成。（甲单位牵头，乙丙组负责）", "甲单位牵头，乙丙组负责")
        self.p2 = self._point(self.one, 2, "要点二。（乙单位牵头，丙单位负责，丁单位落实）", "乙单位牵头，丙单位负责，丁单位落实")
        self.p3 = self._point(self.two, 3, "要点三。各单位要加强领导。", "")
        plan_tasks_sync(plan=self.plan)

    @staticmethod
    def _point(section, number, text, clause):
        point = WorkPoint.objects.create(section=section, number=number, title=text.split("。")[0], text=text)
        work_point_parties_replace(work_point=point, units_clause=clause)
        return point

    def task(self, point, unit):
        return point.tasks.get(unit=unit)


@pytest.fixture
def mini(db):
    return Mini()


def move(task, state, actors):
    """Drive `task` to `state` through the services; `actors` = (unit author, office reviewer)."""
    author, office = actors
    reported_on = date(2025, 5, 1)
    if state == Task.State.IN_PROGRESS:
        progress_report_submit(task=task, author=author, reported_on=reported_on, text="推进中。")
        return
    progress_report_submit(
        task=task, author=author, reported_on=reported_on, text="完成。", public_summary="已公开。",
        is_final=True, files=[pdf_upload()],
    )
    if state == Task.State.DONE:
        task_review(task=task, reviewer=office, decision=TaskReview.Decision.APPROVED)
    elif state == Task.State.RETURNED:
        task_review(task=task, reviewer=office, decision=TaskReview.Decision.RETURNED, comment="补充。")


@pytest.fixture
def actors(make_staff, mini):
    return make_staff("reporter", unit=mini.a), make_staff("office", role=ROLE_DISTRICT_OFFICE)


@pytest.fixture
def played(mini, actors):
    """On the small plan: 甲 done on point 1, 乙 in review, 丙 not started; on point 2
    乙 (lead) and 丙 done, 丁 returned."""
    move(mini.task(mini.p1, mini.a), Task.State.DONE, actors)
    move(mini.task(mini.p1, mini.b), Task.State.IN_REVIEW, actors)
    move(mini.task(mini.p2, mini.b), Task.State.DONE, actors)
    move(mini.task(mini.p2, mini.c), Task.State.DONE, actors)
    move(mini.task(mini.p2, mini.d), Task.State.RETURNED, actors)
    return mini


@pytest.fixture
def two_plans(synced):
    """The seed's 2020 plan with its tasks and the 2021 edition of tests/tasks/plan_editions.py,
    imported with 区数据资源中心 renamed 区数据资源局."""
    from responsibility.services import NameMapping
    from responsibility.services import NameChoice
    from tasks.services.plan_import import plan_import
    from tests.tasks.plan_editions import edition_2021

    choices = {
        "区数据资源局": NameChoice(NameMapping.RENAME, Unit.objects.get(name="区数据资源中心")),
        "区直各相关单位": NameChoice(NameMapping.ALIAS, Collective.objects.get(name="区直各有关单位")),
    }
    return synced, plan_import(text=edition_2021(), choices=choices).plan
