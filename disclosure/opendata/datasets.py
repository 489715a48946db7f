"""The bulk downloads: every public item, column, duty, unit, work point (with its units'
tasks) and 标准目录 entry, as CSV and as JSON Lines.

Each dataset is a record type of `schemas.py` and a function yielding its records, so a
downloaded row is exactly what the API answers and the data dictionary describes it.
Files are written beside their final name and then renamed over it (`os.replace`), so
a reader never sees half a file, and a failed run leaves yesterday's files in place."""

import csv
import datetime
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from pydantic import BaseModel, Field

from furong_portal.pagecache import public_pages_changed

from . import records
from .schemas import (
    CatalogueEntryRecord,
    ColumnRecord,
    DutyRecord,
    ItemRecord,
    UnitRecord,
    WorkPointRecord,
    WorkPointTaskRecord,
)

FORMATS = ("csv", "jsonl")
# CSV cells that hold a list join it with this separator.
LIST_SEPARATOR = "；"


class ItemWithBody(ItemRecord):
    body: str | None = Field(description="正文（HTML）；已撤回信息为空")


def _items() -> Iterator[dict]:
    now = timezone.now()
    for item in records.item_rows(with_body=True).iterator(chunk_size=1000):
        record = records.item_record(item, now)
        yield record | {"body": None if record["status"] == "withdrawn" else item.body}


def _tasks() -> Iterator[dict]:
    for point in records.work_point_rows():
        for task in point.tasks.all():
            yield records.task_record(task, point)


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    schema: type[BaseModel]
    rows: Callable[[], Iterable[dict]]

    @property
    def fields(self) -> list[tuple[str, str]]:
        return [(name, field.description or "") for name, field in self.schema.model_fields.items()]

    def file_name(self, file_format: str) -> str:
        return f"{self.name}.{file_format}"


DATASETS = (
    Dataset("items", "政府信息（含已撤回信息的撤回说明）", ItemWithBody, _items),
    Dataset("columns", "栏目", ColumnRecord, lambda: map(records.column_record, records.column_rows())),
    Dataset("duties", "栏目责任单位", DutyRecord, lambda: map(records.duty_record, records.duty_rows())),
    Dataset("units", "责任单位", UnitRecord, lambda: map(records.unit_record, records.unit_rows())),
    Dataset(
        "work_points",
        "工作要点",
        WorkPointRecord,
        lambda: map(records.work_point_record, records.work_point_rows()),
    ),
    Dataset("work_point_tasks", "工作要点任务与公开进展", WorkPointTaskRecord, _tasks),
    Dataset("catalogue", "基层政务公开标准目录", CatalogueEntryRecord, lambda: map(records.catalogue_record, records.catalogue_rows())),
)
DATASETS_BY_FILE = {dataset.file_name(file_format): dataset for dataset in DATASETS for file_format in FORMATS}


def open_data_root() -> Path:
    return Path(settings.OPEN_DATA_ROOT)


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(part) for part in value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value


class _Staged:
    """Files written beside their final names and renamed over them only when all are complete."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        self.temporary: list[str] = []

    def __enter__(self):
        outputs = []
        for path in self.paths:
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            self.temporary.append(temporary)
            outputs.append(os.fdopen(handle, "w", encoding="utf-8", newline=""))
        self.outputs = outputs
        return outputs

    def __exit__(self, kind, error, traceback):
        for output in self.outputs:
            output.close()
        if kind is None:
            for temporary, path in zip(self.temporary, self.paths):
                os.chmod(temporary, 0o644)
                os.replace(temporary, path)
        else:
            for temporary in self.temporary:
                Path(temporary).unlink(missing_ok=True)
        return False


def dataset_write(*, dataset: Dataset, directory: Path) -> int:
    """Write the dataset's CSV and JSONL files in one pass; returns the number of rows."""
    names = [name for name, _ in dataset.fields]
    count = 0
    with _Staged([directory / dataset.file_name(file_format) for file_format in FORMATS]) as (csv_file, jsonl_file):
        # A byte-order mark lets spreadsheet programs read the CSV as UTF-8.
        csv_file.write("\ufeff")
        writer = csv.writer(csv_file)
        writer.writerow(names)
        for row in dataset.rows():
            record = dataset.schema.model_validate(row).model_dump(mode="python")
            writer.writerow([_csv_value(record[name]) for name in names])
            jsonl_file.write(json.dumps(record, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n")
            count += 1
    return count


def open_data_export(*, directory: Path | None = None, datasets=DATASETS) -> dict[str, int]:
    """Write every dataset; returns rows per dataset name."""
    directory = directory or open_data_root()
    directory.mkdir(parents=True, exist_ok=True)
    counts = {dataset.name: dataset_write(dataset=dataset, directory=directory) for dataset in datasets}
    public_pages_changed()  # the downloads page shows each file's date and size
    return counts


@dataclass(frozen=True)
class PublishedFile:
    name: str
    size: int
    modified: datetime.datetime


def published_files(dataset: Dataset, directory: Path | None = None) -> list[PublishedFile]:
    """The dataset's files as they are now on disk, with their size and date."""
    directory = directory or open_data_root()
    found = []
    for file_format in FORMATS:
        path = directory / dataset.file_name(file_format)
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        modified = datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.timezone.utc)
        found.append(PublishedFile(path.name, stat.st_size, modified))
    return found
