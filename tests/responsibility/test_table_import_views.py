"""The admin page for a revised 责任分解表: differences first, written on confirmation."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from responsibility.access import ROLE_DISTRICT_OFFICE, ROLE_EDITOR
from responsibility.models import AuditEvent, Column, StaffProfile, Unit
from tests.factories import UserFactory
from tests.responsibility.test_documents import docx_upload
from tests.responsibility.test_table_import import revised_table_lines, seed_table_lines

pytestmark = pytest.mark.django_db
URL = "/admin/responsibility/column/import-table/"


def staff(username, role, unit=None):
    from django.core.management import call_command

    call_command("sync_roles", verbosity=0)
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, unit=unit)
    return user


@pytest.fixture
def office_client(client, seed):
    client.force_login(staff("gkb", ROLE_DISTRICT_OFFICE))
    return client


def test_column_list_links_the_table_import(office_client):
    assert URL in office_client.get("/admin/responsibility/column/").content.decode()


def test_seed_table_shows_no_difference(office_client):
    page = office_client.post(URL, {"text": "\n".join(seed_table_lines())}).content.decode()
    assert "与现有栏目和责任单位完全一致" in page


def test_revised_docx_shows_differences_then_applies_them(office_client):
    upload = docx_upload("\n".join(revised_table_lines()), name="责任分解表.docx")
    page = office_client.post(URL, {"file": upload}).content.decode()
    assert "七 › 8. 住房保障" in page and "房屋征收" in page and "区统计调查中心" in page
    assert not Column.objects.filter(title="住房保障").exists()

    statistics = Unit.objects.get(name="区统计局")
    data = {"text": "\n".join(revised_table_lines()), "mapping_0": "rename", "party_0": f"unit:{statistics.pk}"}
    response = office_client.post(URL, {**data, "step": "confirm"})
    assert response.status_code == 302
    assert Column.objects.filter(title="住房保障").exists() and not Column.objects.filter(title="房屋征收").exists()
    assert Unit.objects.get(pk=statistics.pk).name == "区统计调查中心"
    event = AuditEvent.objects.get(action=AuditEvent.Action.TABLE_IMPORTED)
    assert event.actor.username == "gkb" and event.outcome == "success"
    assert event.detail["added"] == ["住房保障"] and sorted(event.detail["removed"]) == ["房屋征收", "机关简介"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "没有表格"}, "没有找到责任分解表"),
        ({"file": SimpleUploadedFile("表.xls", b"x")}, "只能上传 .docx 或 .txt 文件"),
        ({"text": "\n".join(revised_table_lines()), "step": "confirm"}, "尚未对应到单位或集合称谓"),
    ],
)
def test_bad_input_is_answered_in_words(office_client, data, message):
    response = office_client.post(URL, data)
    assert response.status_code == 200 and message in response.content.decode()


def test_unit_staff_cannot_import_a_table(client, seed):
    client.force_login(staff("editor", ROLE_EDITOR, unit=Unit.objects.get(name="区教育局")))
    assert client.post(URL, {"text": "\n".join(revised_table_lines()), "step": "confirm"}).status_code == 403
    assert Column.objects.filter(title="房屋征收").exists()
