"""Spreadsheet round trips of the work points; their units follow the closing clause."""

import pytest
import tablib

from tasks.models import WorkPoint, WorkPointParty
from tasks.resources import WorkPointResource

pytestmark = pytest.mark.django_db


def exported_rows():
    dataset = WorkPointResource().export()
    return dataset.headers, [dict(row) for row in dataset.dict]


def as_dataset(headers, rows):
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append([row[header] for header in headers])
    return dataset


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_reimporting_an_unchanged_export_creates_and_updates_nothing(seed, file_format):
    exported = WorkPointResource().export()
    dataset = tablib.Dataset().load(exported.export(file_format), format=file_format)
    result = WorkPointResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 20)


def test_export_lists_each_points_units_with_roles(seed):
    _, rows = exported_rows()
    first = rows[0]
    assert first["发文字号"] == "芙政办发〔2020〕13号"
    assert first["责任单位（只读，由括注生成）"].startswith("区数据资源中心（牵头）；隆平高科技园（负责）")


def test_a_changed_clause_rebuilds_the_points_units(seed):
    headers, rows = exported_rows()
    rows[18]["责任单位括注"] = "区数据资源中心牵头，各街道落实"
    result = WorkPointResource().import_data(as_dataset(headers, rows), dry_run=False)
    assert result.totals["update"] == 1
    parties = WorkPoint.objects.get(number=19).parties.all()
    assert [(p.printed_name, p.role) for p in parties] == [
        ("区数据资源中心", WorkPointParty.Role.LEAD),
        ("各街道", WorkPointParty.Role.IMPLEMENT),
    ]


def test_bad_rows_reject_the_file_and_name_their_rows(seed):
    headers, rows = exported_rows()
    rows[0]["标题"] = "改过的标题"  # valid, must not be applied
    rows[2]["责任单位括注"] = "区数据资源中心主导"
    rows[4]["板块"] = "九"
    before = list(WorkPoint.objects.values_list("title", "units_clause"))
    result = WorkPointResource().import_data(
        as_dataset(headers, rows), dry_run=False, rollback_on_validation_errors=True
    )
    # A bad clause is a validation error of its row; an unknown section already fails
    # the row's lookup, which import-export reports as a row error. Both carry the row number.
    assert [row.number for row in result.invalid_rows] == [3]
    assert [number for number, _errors in result.row_errors()] == [5]
    messages = " ".join(str(row.error_dict) for row in result.invalid_rows)
    messages += " ".join(str(error.error) for _number, errors in result.row_errors() for error in errors)
    assert "每组应以 牵头/负责/落实/按职责分工负责 结尾" in messages
    assert "找不到板块“九”" in messages
    assert list(WorkPoint.objects.values_list("title", "units_clause")) == before
