"""Backups restore: the drill restores a real backup into a scratch database and folder and
finds every row and every file again, and it notices a backup that does not restore."""

import json
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from disclosure.models import Item
from furong_portal.backup import backup_create, restore_drill
from tests.disclosure.public_data import attach, publish

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def private_root(tmp_path):
    root = tmp_path / "private"
    (root / "request-letters").mkdir(parents=True)
    (root / "request-letters" / "answer.pdf").write_bytes(b"%PDF-1.4 private letter")
    with override_settings(PRIVATE_MEDIA_ROOT=root):
        yield root


def test_a_backup_restores_every_row_and_file_in_the_drill(seed, private_root, tmp_path):
    attach(publish(title="备份演练"), "pdf")
    out = StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    assert "恢复演练通过" in out.getvalue()
    backup = next((tmp_path / "backups").iterdir())
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["disclosure.item"] == Item.objects.count() >= 1
    assert "private-media/request-letters/answer.pdf" in manifest["files"]
    assert any(name.startswith("private-media/attachments/") for name in manifest["files"])


def test_the_drill_fails_when_the_backup_does_not_match_its_manifest(seed, private_root, tmp_path):
    backup = backup_create(destination=tmp_path)
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    manifest["counts"]["responsibility.unit"] += 1
    (backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    report = restore_drill(backup=backup)
    assert not report.ok and any("responsibility.unit" in problem for problem in report.problems)


def test_the_drill_fails_when_a_file_is_missing_from_the_archive(seed, private_root, tmp_path):
    backup = backup_create(destination=tmp_path)
    with tarfile.open(backup / "files.tar.gz", "w:gz"):
        pass  # an empty archive in place of the real one
    with pytest.raises(CommandError, match="request-letters/answer.pdf"):
        call_command("restore_drill", str(backup), stdout=StringIO())
    assert Path(backup / "manifest.json").exists()
