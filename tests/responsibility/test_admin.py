"""The district office maintains units, columns and work points in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from responsibility.models import Column, Duty
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, seed):
    user = UserFactory(username="root-admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:responsibility_unit_changelist",
        "admin:responsibility_collective_changelist",
        "admin:responsibility_alias_changelist",
        "admin:responsibility_column_changelist",
        "admin:tasks_plandocument_changelist",
        "admin:tasks_section_changelist",
        "admin:tasks_workpoint_changelist",
    ],
)
def test_changelists_open(superuser_client, url_name):
    assert superuser_client.get(reverse(url_name)).status_code == 200


def test_column_change_page_shows_its_duties(superuser_client):
    column = Column.objects.get(slug="7-1")
    response = superuser_client.get(reverse("admin:responsibility_column_change", args=(column.pk,)))
    assert response.status_code == 200
    assert "区公建中心" in response.content.decode()


def test_unit_autocomplete_finds_units_by_alias(superuser_client):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"term": "市场监管", "app_label": "responsibility", "model_name": "duty", "field_name": "unit"},
    )
    assert response.status_code == 200
    assert "区市场监督管理局" in response.json()["results"][0]["text"]


def test_admin_import_dry_run_lists_bad_rows_and_writes_nothing(superuser_client):
    before = list(Duty.objects.values_list("pk", "printed_name"))
    csv = "网址标识,上级栏目,序号,标题,排序,备注,责任单位,更新要求,超期天数\n3-4,3,4.,统计信息,4,,区统计局、区外星局,通知公告/政策文件类（6个月）,183\n"
    response = superuser_client.post(
        reverse("admin:responsibility_column_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("columns.csv", csv.encode("utf-8"), content_type="text/csv"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "未知的单位或集合称谓“区外星局”" in page
    assert list(Duty.objects.values_list("pk", "printed_name")) == before


def change_form_data(response) -> dict:
    """What the admin's change form posts back unchanged: its fields and its inlines' management forms."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = [item.pk if hasattr(item, "pk") else item for item in value] if isinstance(value, (list, tuple)) else value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{management.prefix}-{key}": value for key, value in management.initial.items()})
        data[f"{management.prefix}-TOTAL_FORMS"] = 0
        data[f"{management.prefix}-INITIAL_FORMS"] = 0
    return data


def test_editing_a_columns_printed_text_in_the_admin_rebuilds_its_duties(superuser_client):
    column = Column.objects.filter(responsibility_text="区教育局").first() or Column.objects.get(slug="7-1")
    url = reverse("admin:responsibility_column_change", args=(column.pk,))
    data = {**change_form_data(superuser_client.get(url)), "responsibility_text": "区财政局"}
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    column.refresh_from_db()
    assert column.responsibility_text == "区财政局"
    assert [(d.printed_name, d.unit.name) for d in Duty.objects.filter(column=column)] == [("区财政局", "区财政局")]


def test_an_unknown_name_in_a_columns_printed_text_is_refused_with_a_message(superuser_client):
    column = Column.objects.get(slug="7-1")
    before = list(Duty.objects.filter(column=column).values_list("printed_name", flat=True))
    url = reverse("admin:responsibility_column_change", args=(column.pk,))
    response = superuser_client.post(url, {**change_form_data(superuser_client.get(url)), "responsibility_text": "区火星局"})
    assert response.status_code == 200 and "未知的单位或集合称谓“区火星局”" in response.content.decode()
    assert list(Duty.objects.filter(column=column).values_list("printed_name", flat=True)) == before


def test_editing_a_work_points_closing_clause_in_the_admin_rebuilds_its_units(superuser_client):
    from tasks.models import WorkPoint

    point = WorkPoint.objects.exclude(units_clause="").order_by("pk").first()
    url = reverse("admin:tasks_workpoint_change", args=(point.pk,))
    data = {**change_form_data(superuser_client.get(url)), "units_clause": "区财政局牵头，区教育局负责"}
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert [(p.printed_name, p.role) for p in point.parties.order_by("position")] == [
        ("区财政局", "lead"),
        ("区教育局", "responsible"),
    ]
