"""A unit reports progress with evidence, the office returns it, the unit corrects it,
the office approves it, and the public page shows the new completion."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.test import Client
from playwright.sync_api import expect

from disclosure.models import Item
from responsibility.access import ROLE_DISTRICT_OFFICE, ROLE_EDITOR
from responsibility.models import Column, StaffProfile, Unit
from tasks.models import PlanDocument, Task
from tasks.services import plan_tasks_sync
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def people(site, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    plan_tasks_sync(plan=PlanDocument.objects.get(year=2020))
    unit = Unit.objects.get(name="区财政局")
    for username, profile_unit, role in (("czj", unit, ROLE_EDITOR), ("gkb", None, ROLE_DISTRICT_OFFICE)):
        user = UserFactory(username=username, is_staff=True)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        StaffProfile.objects.create(user=user, unit=profile_unit)
    item = ItemFactory(unit=unit, column=Column.objects.get(slug="3-7"), title="芙蓉区2020年部门预算公开")
    return Task.objects.get(work_point__number=9, unit=unit), item


def log_in(page, site, username):
    """Switch accounts through a server-side session (the login form is not under test here)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    page.context.clear_cookies()
    cookie = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value, "url": site.url}])


def report(page, site, task, *, text, summary, item=None):
    page.goto(f"{site.url}/admin/tasks/task/{task.pk}/change/")
    page.get_by_role("link", name="填报进展").click()
    page.fill("#id_text", text)
    page.fill("#id_public_summary", summary)
    if item:
        page.select_option("#id_evidence_items_from", value=str(item.pk))
        page.click("#id_evidence_items_add")
    else:
        page.set_input_files("#id_files", files=[{"name": "补充说明.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.check("#id_is_final")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messagelist")).to_contain_text("最终报告已提交")


def review(page, site, task, *, decision, comment=""):
    page.goto(f"{site.url}/admin/tasks/task/{task.pk}/change/")
    page.get_by_role("link", name="审核").click()
    page.get_by_label(decision).check()
    page.fill("#id_comment", comment)
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator(".messagelist")).to_contain_text(f"已{decision}")


def test_report_return_correct_approve_and_publish(page, site, people):
    task, item = people
    public = f"{site.url}/work-points/9/"

    log_in(page, site, "czj")
    report(page, site, task, text="已在决算预算栏目公开2020年部门预算。", summary="部门预算已公开。", item=item)
    expect(page.locator(".task-history")).to_contain_text("芙蓉区2020年部门预算公开")

    log_in(page, site, "gkb")
    review(page, site, task, decision="退回修改", comment="请补充三公经费说明。")

    log_in(page, site, "czj")
    page.goto(f"{site.url}/admin/tasks/task/{task.pk}/report/")
    expect(page.locator(".review-returned").first).to_contain_text("请补充三公经费说明。")
    report(page, site, task, text="已补充三公经费说明。", summary="部门预算及三公经费说明已公开。")

    log_in(page, site, "gkb")
    review(page, site, task, decision="审核通过")

    page.context.clear_cookies()
    page.goto(public)
    row = page.locator("table.wp-table").get_by_role("row", name=re.compile("区财政局"))
    expect(row).to_contain_text("已完成")
    expect(row).to_contain_text("部门预算及三公经费说明已公开。")
    expect(page.locator(".wp-facts")).to_contain_text("2%")  # 1 of 44 equally weighted tasks
    expect(page.locator("main")).not_to_contain_text("请补充三公经费说明")
    page.goto(f"{site.url}/work-points/")
    expect(page.get_by_role("row", name=re.compile("加大政府性债务信息公开力度"))).to_contain_text("2%")
    assert Item.objects.count() == 1
