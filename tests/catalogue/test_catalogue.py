"""The 基层政务公开标准目录: kept by the district office, imported from xlsx, shown on the
column pages and as a whole, and feeding the office's freshness view."""

from datetime import timedelta

import pytest
import tablib
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from responsibility.roles import ROLE_DISTRICT_OFFICE, ROLE_EDITOR
from responsibility.catalogue.admin import CatalogueEntryAdmin
from responsibility.catalogue.models import CatalogueEntry
from responsibility.catalogue.resources import CatalogueEntryResource
from responsibility.catalogue.services import catalogue_entry_save
from responsibility.models import Column, Unit
from tasks.freshness import Freshness, column_freshness
from tests.disclosure.public_data import publish
from tests.opendata.conftest import catalogue_entry
from tests.requests.conftest import make_staff

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def office(seed):
    return make_staff("catalogue-office", unit=None, role=ROLE_DISTRICT_OFFICE)


@pytest.fixture
def editor(seed):
    return make_staff("catalogue-editor", unit=Unit.objects.get(name="区财政局"), role=ROLE_EDITOR)


def new_entry(**fields) -> CatalogueEntry:
    values = {"column": Column.objects.get(slug="3-7"), "position": 1, "matter": "财政预决算", "content": "部门预算",
              "basis": "《预算法》第十四条", "subject": "区财政局", "channels": "政府网站"}  # fmt: skip
    return CatalogueEntry(**(values | fields))


def test_the_office_saves_an_entry_and_a_unit_editor_may_not(office, editor):
    with pytest.raises(PermissionDenied):
        catalogue_entry_save(entry=new_entry(), actor=editor)
    entry = catalogue_entry_save(entry=new_entry(), actor=office)
    assert entry.pk and entry.time_limit == "信息形成或者变更之日起20个工作日内"


def test_an_entry_needs_its_statutory_fields_and_valid_choices(office):
    with pytest.raises(ValidationError) as error:
        catalogue_entry_save(entry=new_entry(basis="", mode="sometimes"), actor=office)
    assert {"basis", "mode"} <= set(error.value.message_dict)


def test_two_entries_cannot_share_a_position_in_a_column(seed):
    catalogue_entry("3-7")
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogueEntry.objects.create(**{f.name: getattr(new_entry(), f.name) for f in CatalogueEntry._meta.fields
                                         if f.name not in ("id", "updated_at")})  # fmt: skip


def test_the_office_edits_the_catalogue_in_the_admin_and_an_editor_cannot_open_it(client, office, editor):
    column = Column.objects.get(slug="3-7")
    client.force_login(office)
    response = client.post(reverse("admin:catalogue_catalogueentry_add"), {
        "column": column.pk, "position": 1, "matter": "财政预决算", "sub_matter": "", "content": "部门预算",
        "basis": "《预算法》", "time_limit": "每年", "cycle_days": 365, "subject": "区财政局", "channels": "政府网站",
        "audience": "everyone", "mode": "proactive", "level": "county",
    })  # fmt: skip
    assert response.status_code == 302
    assert CatalogueEntry.objects.get().cycle_days == 365
    client.force_login(editor)
    assert client.get(reverse("admin:catalogue_catalogueentry_changelist")).status_code == 403
    assert client.get(reverse("admin:catalogue_catalogueentry_import")).status_code == 403


def sheet(*rows) -> tablib.Dataset:
    headers = [field.column_name for field in CatalogueEntryResource().get_import_fields()]
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        values = {"栏目网址标识": "3-7", "序号": 1, "公开事项（一级事项）": "财政预决算", "公开事项（二级事项）": "部门预算",
                  "公开内容（要素）": "预算表", "公开依据": "《预算法》", "公开时限": "每年", "定期公开周期（天）": 365,
                  "公开主体": "区财政局", "公开渠道和载体": "政府网站", "公开对象": "全社会", "公开方式": "主动公开",
                  "公开层级": "县级"} | row  # fmt: skip
        dataset.append([values.get(header, "") for header in headers])
    return dataset


def test_an_xlsx_import_writes_all_rows_and_reimporting_the_export_changes_nothing(seed):
    dataset = tablib.Dataset().load(sheet({}, {"序号": 2, "栏目网址标识": "3-12-1", "公开方式": "依申请公开"}).export("xlsx"))
    result = CatalogueEntryResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert CatalogueEntry.objects.count() == 2
    assert CatalogueEntry.objects.get(column__slug="3-12-1").mode == CatalogueEntry.Mode.ON_REQUEST
    export = tablib.Dataset().load(CatalogueEntryResource().export().export("xlsx"))
    again = CatalogueEntryResource().import_data(export, dry_run=False, rollback_on_validation_errors=True)
    assert (again.totals["new"], again.totals["update"], again.totals["skip"]) == (0, 0, 2)


def test_a_bad_row_rejects_the_whole_file_with_its_row_number(seed):
    dataset = sheet({}, {"序号": 2}, {"序号": 3, "公开对象": "外星人"})
    result = CatalogueEntryResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert [row.number for row in result.invalid_rows] == [3]
    assert "“外星人”不是有效选项" in str(result.invalid_rows[0].error_dict)
    assert not CatalogueEntry.objects.exists()


def test_a_row_naming_an_unknown_column_rejects_the_file(seed):
    dataset = sheet({}, {"序号": 2, "栏目网址标识": "no-such-column"})
    result = CatalogueEntryResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.has_errors()
    ((number, errors),) = result.row_errors()
    assert number == 2 and "找不到栏目“no-such-column”" in str(errors[0].error)
    assert not CatalogueEntry.objects.exists()


def test_the_admin_import_previews_an_xlsx_without_writing_then_confirms(client, office):
    client.force_login(office)
    upload = SimpleUploadedFile("目录.xlsx", sheet({}).export("xlsx"), content_type=XLSX)
    formats = [f().get_title() for f in CatalogueEntryAdmin(CatalogueEntry, admin.site).get_import_formats()]
    preview = client.post(reverse("admin:catalogue_catalogueentry_import"),
                          {"format": formats.index("xlsx"), "resource": "0", "import_file": upload})  # fmt: skip
    assert preview.status_code == 200 and "财政预决算" in preview.content.decode()
    assert not CatalogueEntry.objects.exists()  # the dry run wrote nothing
    form = preview.context["confirm_form"]
    confirm = client.post(reverse("admin:catalogue_catalogueentry_process_import"), form.initial)
    assert confirm.status_code == 302
    assert CatalogueEntry.objects.get().matter == "财政预决算"


def test_a_column_page_shows_its_entries_and_the_catalogue_page_shows_them_all(client, seed):
    catalogue_entry("3-12-1", matter="扶贫政策")
    catalogue_entry("3-7", matter="财政预决算", basis="《预算法》第十四条")
    column_page = client.get(reverse("disclosure:column", args=("3-7",))).content.decode()
    assert "标准目录" in column_page and "《预算法》第十四条" in column_page and "扶贫政策" not in column_page
    page = client.get(reverse("catalogue:index")).content.decode()
    assert page.index("财政预决算") < page.index("扶贫政策")  # 3-7 comes before 3-12-1 in the tree
    assert "共 2 项" in page


def test_a_column_without_entries_shows_no_catalogue_section(client, seed):
    assert 'id="catalogue-heading"' not in client.get(reverse("disclosure:column", args=("3-7",))).content.decode()


def test_the_catalogue_page_runs_the_same_queries_whatever_its_size(client, seed, django_assert_num_queries):
    catalogue_entry("3-7")
    with django_assert_num_queries(1):
        client.get(reverse("catalogue:index"))
    for position in range(2, 30):
        catalogue_entry(("3-7", "3-12-1", "7-7")[position % 3], position=position)
    with django_assert_num_queries(1):
        client.get(reverse("catalogue:index"))


def test_a_periodic_time_limit_makes_its_column_stale_sooner(seed):
    publish("3-7", "区财政局", published_at=timezone.now() - timedelta(days=100))
    before = {entry.column.slug: entry for entry in column_freshness().columns}["3-7"]
    assert before.status == Freshness.FRESH and before.requirement == "12 个月内"  # 决算预算: yearly
    catalogue_entry("3-7", time_limit="每季度结束后15日内", cycle_days=90)
    catalogue_entry("3-7", position=2, time_limit="信息形成或者变更之日起20个工作日内")
    after = {entry.column.slug: entry for entry in column_freshness().columns}["3-7"]
    assert after.status == Freshness.STALE and after.days_over == 10
    assert after.requirement == "12 个月内，标准目录 90 天内"
    assert after.time_limits == ["每季度结束后15日内", "信息形成或者变更之日起20个工作日内"]


def test_a_longer_catalogue_period_does_not_relax_the_columns_own_rule(seed):
    publish("3-7", "区财政局", published_at=timezone.now() - timedelta(days=400))
    catalogue_entry("3-7", time_limit="每两年", cycle_days=730)
    entry = {entry.column.slug: entry for entry in column_freshness().columns}["3-7"]
    assert entry.status == Freshness.STALE


def test_the_office_freshness_view_shows_the_time_limits(client, office):
    catalogue_entry("3-7", time_limit="每季度结束后15日内", cycle_days=90)
    client.force_login(office)
    page = client.get(reverse("admin:tasks_office_columns")).content.decode()
    assert "每季度结束后15日内" in page
