"""Spreadsheet round trips of units and columns: unchanged files change nothing, bad rows reject the file."""

import pytest
import tablib

from responsibility.models import Column, Duty, Unit
from responsibility.resources import ColumnResource, UnitResource

pytestmark = pytest.mark.django_db


def round_trip(resource, file_format):
    exported = resource.export()
    dataset = tablib.Dataset().load(exported.export(file_format), format=file_format)
    return resource.import_data(dataset, dry_run=False, raise_errors=False, rollback_on_validation_errors=True)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("resource_class", [UnitResource, ColumnResource])
def test_reimporting_an_unchanged_export_creates_and_updates_nothing(seed, resource_class, file_format):
    result = round_trip(resource_class(), file_format)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 0
    assert result.totals["update"] == 0
    assert result.totals["skip"] == resource_class._meta.model.objects.count()


def column_dataset(**changes_by_slug):
    dataset = ColumnResource().export()
    slug_index = dataset.headers.index("网址标识")
    rows = []
    for row in dataset.dict:
        rows.append({**row, **changes_by_slug.get(row["网址标识"], {})})
    out = tablib.Dataset(headers=dataset.headers)
    for row in rows:
        out.append([row[header] for header in dataset.headers])
    assert out[0][slug_index]
    return out


def test_changed_responsibility_text_rebuilds_the_duties(seed):
    dataset = column_dataset(**{"3-4": {"责任单位": "区统计局、区发展改革局"}})
    result = ColumnResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert result.totals["update"] == 1
    column = Column.objects.get(slug="3-4")
    assert [duty.printed_name for duty in column.duties.all()] == ["区统计局", "区发展改革局"]


def test_a_bad_row_rejects_the_whole_file_with_its_row_number(seed):
    before = list(Duty.objects.values_list("column_id", "position", "printed_name"))
    dataset = column_dataset(
        **{
            "3-4": {"责任单位": "区统计局、区发展改革局"},  # valid change, must not be applied either
            "3-5": {"责任单位": "区不存在局"},
        }
    )
    result = ColumnResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    invalid = result.invalid_rows
    assert len(invalid) == 1
    row_number = [row["网址标识"] for row in dataset.dict].index("3-5") + 1
    assert invalid[0].number == row_number
    assert "未知的单位或集合称谓“区不存在局”" in str(invalid[0].error_dict)
    assert list(Duty.objects.values_list("column_id", "position", "printed_name")) == before
    assert Column.objects.get(slug="3-4").responsibility_text == "区统计局"


def test_an_invalid_choice_is_reported_in_chinese(seed):
    dataset = UnitResource().export()
    kind_index = dataset.headers.index("单位类型")
    first = list(dataset[0])
    first[kind_index] = "外星部门"
    dataset[0] = first
    result = UnitResource().import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    assert "“外星部门”不是有效选项" in str(result.invalid_rows[0].error_dict)
    assert not Unit.objects.filter(kind="外星部门").exists()


def test_a_new_unit_is_created_from_a_row(seed):
    dataset = tablib.Dataset(headers=["规范名称", "简称", "单位类型", "机构代码", "联系邮箱", "排序", "启用"])
    dataset.append(["区审计局", "", "区直部门", "", "sj@example.cn", "200", "1"])
    result = UnitResource().import_data(dataset, dry_run=False)
    assert result.totals["new"] == 1
    assert Unit.objects.get(name="区审计局").kind == Unit.Kind.DEPARTMENT


def test_unknown_parent_column_is_a_row_error(seed):
    dataset = column_dataset(**{"3-4": {"上级栏目": "no-such-column"}})
    result = ColumnResource().import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    assert "找不到上级栏目“no-such-column”" in str(result.invalid_rows[0].error_dict)
