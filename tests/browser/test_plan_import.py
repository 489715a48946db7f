"""The office uploads a .docx edition of the 工作要点, names the unit the register does
not know in the preview, confirms, and the public page shows the new year."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import expect

from responsibility.access import ROLE_DISTRICT_OFFICE
from responsibility.models import Alias, Collective, StaffProfile, Unit
from tasks.models import PlanDocument, Task
from tests.factories import UserFactory
from tests.responsibility.test_documents import docx_upload
from tests.tasks.plan_editions import edition_2021

pytestmark = pytest.mark.browser


@pytest.fixture
def office_session(site, page):
    user = UserFactory(username="gkb", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=ROLE_DISTRICT_OFFICE)[0])
    StaffProfile.objects.create(user=user, unit=None)
    client = Client()
    client.force_login(user)
    cookie = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value, "url": site.url}])
    return user


def test_docx_edition_uploaded_unknown_unit_resolved_and_confirmed(site, page, office_session):
    upload = docx_upload(edition_2021(), name="芙蓉区2021年政务公开工作要点.docx")
    centre = Unit.objects.get(name="区数据资源中心")

    page.goto(f"{site.url}/admin/tasks/task/office/")
    page.get_by_role("link", name="导入工作要点").click()
    page.set_input_files(
        "#id_file", files=[{"name": upload.name, "mimeType": upload.content_type, "buffer": upload.read()}]
    )
    page.get_by_role("button", name="预览").click()

    preview = page.locator(".plan-preview")
    expect(preview).to_contain_text("芙政办发〔2021〕8号")
    expect(preview).to_contain_text("区数据资源局（未识别）")
    assert not PlanDocument.objects.filter(year=2021).exists()

    # The renamed unit, and the new wording of a collective.
    page.get_by_label("“区数据资源局”是").select_option("rename")
    page.get_by_label("“区数据资源局”对应的单位或集合称谓").select_option(f"unit:{centre.pk}")
    page.get_by_role("button", name="按所选认定刷新预览").click()
    expect(preview).to_contain_text("区数据资源局（→ 区数据资源中心）")
    expect(page.locator("tr.unresolved")).to_have_count(1)  # 区直各相关单位 still open
    expect(page.get_by_role("button", name="确认导入")).to_be_enabled()

    page.get_by_label("“区直各相关单位”是").select_option("alias")
    page.get_by_label("“区直各相关单位”对应的单位或集合称谓").select_option(
        f"collective:{Collective.objects.get(name='区直各有关单位').pk}"
    )
    page.get_by_role("button", name="确认导入").click()

    expect(page.locator(".messagelist")).to_contain_text("已导入芙蓉区2021年政务公开工作要点")
    expect(page.locator(".office-date")).to_contain_text("芙政办发〔2021〕8号")
    plan = PlanDocument.objects.get(year=2021)
    centre.refresh_from_db()
    assert centre.name == "区数据资源局"
    assert Alias.objects.get(name="区直各相关单位").collective.name == "区直各有关单位"
    assert Task.objects.for_plan(plan).filter(work_point__number=21, unit=centre, role="lead").exists()

    page.goto(f"{site.url}/work-points/")
    expect(page.get_by_role("heading", level=1)).to_have_text("芙蓉区2021年政务公开工作要点")
    page.get_by_role("navigation", name="选择年度").get_by_role("link", name="2020年").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("芙蓉区2020年政务公开工作要点")
