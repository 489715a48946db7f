"""manage.py import_plan: the same preview and import from a shell, with a dry run."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from responsibility.models import Unit
from tasks.models import PlanDocument
from tests.tasks.plan_editions import edition_2021

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition_file(tmp_path):
    path = tmp_path / "2021.txt"
    path.write_text(edition_2021(), encoding="utf-8")
    return path


def test_dry_run_lists_unknown_names_and_writes_nothing(seed, edition_file, capsys):
    call_command("import_plan", str(edition_file), dry_run=True)
    out = capsys.readouterr().out
    assert "21 个要点" in out and "区数据资源局、区直各相关单位" in out and "试运行" in out
    assert not PlanDocument.objects.filter(year=2021).exists()


def test_import_refuses_unknown_names_then_imports_with_them_named(seed, edition_file, capsys):
    with pytest.raises(CommandError, match="未导入"):
        call_command("import_plan", str(edition_file))
    call_command(
        "import_plan", str(edition_file), rename=["区数据资源局=区数据资源中心"], alias=["区直各相关单位=区直各有关单位"]
    )
    assert PlanDocument.objects.filter(year=2021).exists()
    assert Unit.objects.filter(name="区数据资源局").exists()


@pytest.mark.parametrize("options", [{"alias": ["没有等号"]}, {"rename": ["区数据资源局=不存在的单位"]}])
def test_bad_mapping_is_refused_in_words(seed, edition_file, options):
    with pytest.raises(CommandError):
        call_command("import_plan", str(edition_file), **options)


def test_missing_file_is_refused(seed):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_plan", "/nonexistent/2021.docx")
