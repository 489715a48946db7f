"""Open-data fixtures: public content, content that must stay hidden, and personal data
planted everywhere it could leak from (accounts, applicants, staff, internal reports)."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from disclosure.models import Item
from disclosure.requests import services as requests_services
from disclosure.requests.models import Channel
from furong_portal.pagecache import generation_renew
from responsibility.roles import ROLE_DISTRICT_OFFICE
from responsibility.catalogue.models import CatalogueEntry
from responsibility.models import Column, StaffProfile, Unit
from tasks.models import PlanDocument, ProgressReport, Task, TaskReview
from tasks.services import plan_tasks_sync
from tests.disclosure.public_data import attach, publish
from tests.factories import UserFactory
from tests.requests.conftest import details as request_details
from tests.requests.conftest import make_staff

DAY = datetime.timedelta(days=1)

# Values no public answer may contain.
SECRETS = {
    "editor username": "zhang-secret-editor",
    "editor email": "zhang.secret@example.org",
    "reviewer username": "li-secret-reviewer",
    "staff phone": "13912345678",
    "applicant name": "王秘密申请人",
    "applicant phone": "13800001111",
    "internal report": "内部进展不得公开的说明",
    "review comment": "退回意见不得公开",
    "return reason": "内部退回原因不得公开",
    "draft title": "草稿标题不得公开",
    "scheduled title": "定时发布尚未到时",
}


@dataclass
class Content:
    document: Item
    successor: Item
    interpretation: Item
    withdrawn: Item
    draft: Item
    scheduled: Item
    entry: CatalogueEntry


def catalogue_entry(column_slug="3-12-1", position=1, **fields) -> CatalogueEntry:
    defaults = {
        "matter": "扶贫政策", "sub_matter": "扶贫资金", "content": "资金分配结果", "basis": "《政府信息公开条例》第二十条",
        "subject": "区农业农村局", "channels": "政府网站、公开栏",
    }  # fmt: skip
    entry = CatalogueEntry.objects.create(column=Column.objects.get(slug=column_slug), position=position,
                                          **(defaults | fields))  # fmt: skip
    generation_renew()  # written past the services, which refresh the page cache
    return entry


@pytest.fixture
def content(seed) -> Content:
    editor = UserFactory(username=SECRETS["editor username"], email=SECRETS["editor email"], first_name="张")
    reviewer = UserFactory(username=SECRETS["reviewer username"])
    StaffProfile.objects.create(user=editor, unit=Unit.objects.get(name="区司法局"), phone=SECRETS["staff phone"])
    now = timezone.now()
    document = publish("3-1", "区司法局", title="扶贫管理办法", is_normative=True, validity="repealed",
                       doc_number="芙政发〔2020〕1号", published_at=now - 10 * DAY, created_by=editor,
                       reviewed_by=reviewer, review_comment=SECRETS["return reason"])  # fmt: skip
    successor = publish("3-1", "区司法局", title="新扶贫管理办法", is_normative=True, validity="valid",
                        published_at=now - 5 * DAY, created_by=editor)  # fmt: skip
    document.successor = successor
    document.save()
    interpretation = publish("3-1", "区司法局", title="扶贫管理办法解读", interprets=document, published_at=now - 9 * DAY)
    attach(document)
    withdrawn = publish("3-12-1", title="撤回的扶贫通知", state=Item.State.WITHDRAWN, withdrawn_at=now - DAY,
                        withdrawn_reason="内容有误，已重新发布", body="撤回前的正文", published_at=now - 3 * DAY)  # fmt: skip
    draft = publish("3-12-1", title=SECRETS["draft title"], state=Item.State.DRAFT, index_number=None, published_at=None)
    scheduled = publish("3-12-1", title=SECRETS["scheduled title"], published_at=now + DAY)
    request_file(SECRETS)
    plan = PlanDocument.objects.get(year=2020)
    plan_tasks_sync(plan=plan)
    task = Task.objects.filter(work_point__number=1).first()
    approved = ProgressReport.objects.create(task=task, author=editor, reported_on=now.date(), is_final=True,
                                             text=SECRETS["internal report"], public_summary="已完成政策文件库建设")  # fmt: skip
    TaskReview.objects.create(report=approved, decision=TaskReview.Decision.APPROVED, reviewer=reviewer,
                              comment=SECRETS["review comment"])  # fmt: skip
    entry = catalogue_entry()
    return Content(document, successor, interpretation, withdrawn, draft, scheduled, entry)


def request_file(secrets) -> None:
    """An information request filed by a person, with their identity and contact."""
    office = make_staff("office-opendata", unit=None, role=ROLE_DISTRICT_OFFICE, email="office@furong.example")
    details = request_details(
        Unit.objects.get(name="区教育局"), applicant_name=secrets["applicant name"], phone=secrets["applicant phone"]
    )
    requests_services.request_register(actor=office, details=details, channel=Channel.POST,
                                       received_on=datetime.date(2020, 6, 1))  # fmt: skip
