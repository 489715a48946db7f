"""The bulk downloads: written by a command, replaced whole, listed with date and size
on the data dictionary page, and free of personal data like the API."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from disclosure.opendata import datasets
from disclosure.opendata.datasets import DATASETS
from tests.opendata.conftest import SECRETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "opendata"
    return settings.OPEN_DATA_ROOT


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_the_command_writes_csv_and_jsonl_of_every_dataset(root, content):
    out = io.StringIO()
    call_command("export_open_data", stdout=out)
    assert sorted(path.name for path in root.iterdir()) == sorted(
        f"{dataset.name}.{file_format}" for dataset in DATASETS for file_format in ("csv", "jsonl")
    )
    assert "items: 4 行" in out.getvalue() and "columns: 48 行" in out.getvalue()
    items = read_jsonl(root / "items.jsonl")
    assert [row["title"] for row in items] == ["撤回的扶贫通知", "新扶贫管理办法", "扶贫管理办法解读", "扶贫管理办法"]
    assert items[0]["status"] == "withdrawn" and items[0]["body"] is None
    rows = read_csv(root / "items.csv")
    assert list(rows[0]) == [name for name, _ in DATASETS[0].fields]
    assert rows[3]["is_normative"] == "是" and rows[3]["validity"] == "repealed" and rows[0]["doc_number"] == ""
    tasks = read_jsonl(root / "work_point_tasks.jsonl")
    assert ["已完成政策文件库建设"] in [task["approved_summaries"] for task in tasks]
    assert read_jsonl(root / "catalogue.jsonl")[0]["matter"] == "扶贫政策"
    assert len(read_csv(root / "duties.csv")) > 48


def test_the_files_carry_no_personal_data(root, content):
    call_command("export_open_data", verbosity=0)
    for path in root.iterdir():
        text = path.read_text(encoding="utf-8")
        for label, secret in SECRETS.items():
            assert secret not in text, f"{label} in {path.name}"


def test_a_failed_export_leaves_the_previous_files_whole(root, content, monkeypatch):
    call_command("export_open_data", verbosity=0)
    before = (root / "items.jsonl").read_bytes()
    content.document.title = "改过的标题"
    content.document.save()

    original, written = datasets.records.item_record, []

    def broken(item, now=None):
        # The first row is written, the second fails.
        if written:
            raise RuntimeError("database went away")
        written.append(item)
        return original(item, now)

    monkeypatch.setattr(datasets.records, "item_record", broken)
    with pytest.raises(RuntimeError):
        call_command("export_open_data", "--dataset", "items", verbosity=0)
    assert (root / "items.jsonl").read_bytes() == before
    assert sorted(path.name for path in root.iterdir() if path.name.startswith(".")) == []  # no temporary left


def test_the_data_dictionary_page_lists_each_file_with_its_date_and_size(client, root, content):
    page = client.get(reverse("opendata:index")).content.decode()
    assert page.count("尚未生成") == len(DATASETS)
    call_command("export_open_data", verbosity=0)
    page = client.get(reverse("opendata:index")).content.decode()
    assert "尚未生成" not in page
    assert 'href="/open-data/files/items.csv"' in page and "生成于 <time" in page
    assert "<code>withdrawn_reason</code></td><td>撤回原因（仅已撤回信息）" in page
    assert "/api/v1/openapi.json" in page


def test_a_file_downloads_and_unknown_names_do_not(client, root, content):
    call_command("export_open_data", verbosity=0)
    response = client.get(reverse("opendata:file", args=("units.csv",)))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "区财政局" in b"".join(response.streaming_content).decode("utf-8-sig")
    for name in ("secret.txt", "..%2Fsettings.py", ".items.csv.tmp"):
        assert client.get(f"/open-data/files/{name}").status_code == 404


def test_a_file_not_yet_written_answers_404(client, root, seed):
    assert client.get(reverse("opendata:file", args=("items.csv",))).status_code == 404


def test_the_sitemap_lists_the_catalogue_and_open_data_pages(client, seed):
    pages = client.get(reverse("disclosure:sitemap-section", args=("pages",))).content.decode()
    assert "http://testserver/catalogue/" in pages and "http://testserver/open-data/" in pages
