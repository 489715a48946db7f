"""The office's import page: upload, preview that writes nothing, naming unknown units,
atomic confirmation; nobody else may use it, and bad input never gives a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from responsibility.access import ROLE_REVIEWER
from responsibility.models import Alias, AuditEvent, Collective, Unit
from tasks.models import PlanDocument, Task, WorkPoint
from tests.responsibility.test_documents import docx_upload
from tests.tasks.plan_editions import edition_2021

pytestmark = pytest.mark.django_db

URL = "/admin/tasks/task/office/import/"


def txt(text: str, encoding="utf-8", name="要点.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/plain")


@pytest.fixture
def office_client(client, synced, office):
    client.force_login(office)
    return client


def choices_data(text: str) -> dict:
    centre = Unit.objects.get(name="区数据资源中心")
    collective = Collective.objects.get(name="区直各有关单位")
    return {
        "text": text,
        "mapping_0": "rename", "party_0": f"unit:{centre.pk}",
        "mapping_1": "alias", "party_1": f"collective:{collective.pk}",
    }


def test_url_is_the_admin_route():
    assert reverse("admin:tasks_office_plan_import") == URL


def test_upload_shows_the_preview_and_writes_nothing(office_client):
    page = office_client.post(URL, {"file": txt(edition_2021())}).content.decode()
    assert "预览（尚未写入）" in page and "芙政办发〔2021〕8号" in page
    assert "区数据资源局（未识别）" in page and "区直各相关单位" in page
    assert "2021-09-30" in page  # the deadline point 21 names
    assert not PlanDocument.objects.filter(year=2021).exists()


def test_gb18030_text_and_docx_are_read_as_well(office_client):
    for upload in (txt(edition_2021(), encoding="gb18030"), docx_upload(edition_2021())):
        page = office_client.post(URL, {"file": upload}).content.decode()
        assert "芙政办发〔2021〕8号" in page and "区数据资源局（未识别）" in page


def test_confirm_with_unknown_names_left_is_refused(office_client):
    page = office_client.post(URL, {"text": edition_2021(), "step": "confirm"}).content.decode()
    assert "尚未对应到单位或集合称谓" in page
    assert not PlanDocument.objects.filter(year=2021).exists()


def test_refresh_applies_the_choices_without_writing(office_client):
    page = office_client.post(URL, {**choices_data(edition_2021()), "step": "refresh"}).content.decode()
    assert "区数据资源局（→ 区数据资源中心）" in page and "（未识别）" not in page
    assert not PlanDocument.objects.filter(year=2021).exists()
    assert not Alias.objects.filter(name="区直各相关单位").exists()


def test_confirm_writes_the_plan_and_registers_the_names(office_client):
    response = office_client.post(URL, {**choices_data(edition_2021()), "step": "confirm"})
    assert response.status_code == 302 and response["Location"].endswith("/office/?year=2021")
    plan = PlanDocument.objects.get(year=2021)
    assert plan.sections.count() == 5
    assert Unit.objects.filter(name="区数据资源局").exists()
    assert Alias.objects.get(name="区直各相关单位").collective.name == "区直各有关单位"
    dashboard = office_client.get(response["Location"]).content.decode()
    assert "已导入" in dashboard and "已登记名称：区数据资源局、区直各相关单位" in dashboard
    event = AuditEvent.objects.get(action=AuditEvent.Action.PLAN_IMPORTED)
    assert (event.actor, event.target_id, event.outcome) == (response.wsgi_request.user, str(plan.pk), "success")
    assert event.detail["points"] == WorkPoint.objects.filter(section__document=plan).count() > 0
    assert event.detail["tasks_created"] == Task.objects.filter(work_point__section__document=plan).count() > 0
    assert event.detail["names_registered"] == ["区数据资源局", "区直各相关单位"]


def test_a_refused_confirmation_leaves_no_audit_record(office_client):
    office_client.post(URL, {"text": edition_2021(), "step": "confirm"})
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PLAN_IMPORTED).exists()


def test_incomplete_choice_is_explained(office_client):
    data = {**choices_data(edition_2021()), "party_0": "", "step": "confirm"}
    page = office_client.post(URL, data).content.decode()
    assert "请选择“区数据资源局”对应的单位或集合称谓。" in page
    assert not PlanDocument.objects.filter(year=2021).exists()


def test_renaming_a_collective_is_refused_in_words(office_client):
    data = {**choices_data(edition_2021()), "mapping_1": "rename", "step": "confirm"}
    assert "只有单位可以更名" in office_client.post(URL, data).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"file": SimpleUploadedFile("要点.pdf", b"%PDF-1.4")}, "只能上传 .docx 或 .txt 文件"),
        ({"file": SimpleUploadedFile("要点.docx", b"PK\x03\x04broken")}, "无法读取该 .docx 文件"),
        ({"text": "随便一段话"}, "找不到发文字号"),
        ({}, "请上传文件，或粘贴全文。"),
        ({"text": "随便一段话", "step": "confirm"}, "找不到发文字号"),
        ({"text": edition_2021(), "step": "confirm", "mapping_0": "bogus"}, "不在可用的选项中"),
        ({"text": edition_2021(), "step": "refresh", "mapping_0": "alias", "party_0": "unit:999999"}, "请选择"),
    ],
)
def test_bad_input_is_answered_in_words(office_client, data, message):
    response = office_client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_seed_year_cannot_be_imported_again(office_client):
    from tests.tasks.plan_editions import seed_edition

    page = office_client.post(URL, {"text": seed_edition()}).content.decode()
    assert "2020 年的工作要点已导入" in page and "disabled" in page
    response = office_client.post(URL, {"text": seed_edition(), "step": "confirm"})
    assert response.status_code == 200 and PlanDocument.objects.count() == 1


def test_unit_staff_and_anonymous_cannot_import(client, synced, make_staff):
    reviewer = make_staff("unit-reviewer", unit=Unit.objects.get(name="区教育局"), role=ROLE_REVIEWER)
    client.force_login(reviewer)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {**choices_data(edition_2021()), "step": "confirm"}).status_code == 403
    client.logout()
    assert client.post(URL, {"text": edition_2021(), "step": "confirm"}).status_code == 302
    assert not PlanDocument.objects.filter(year=2021).exists()
