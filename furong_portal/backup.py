"""Backups of the database and the uploaded files, and the drill that proves one restores.

A backup is a directory holding the database (`pg_dump` custom format on PostgreSQL, an
online copy on SQLite), the public and private uploads as one tar archive, and a manifest with
the row count of every table and the SHA-256 of every file. The restore drill restores the
database into a scratch database and the files into a scratch folder, then compares both with
the manifest; it never touches the live database or files. docs/deploy.md has the schedule and
the real restore."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FILE_ROOTS = {"media": "MEDIA_ROOT", "private-media": "PRIVATE_MEDIA_ROOT"}


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(settings_dict: dict) -> dict:
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _pg_args(settings_dict: dict) -> list[str]:
    args = []
    if settings_dict.get("HOST"):
        args += ["-h", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    return args


def _tables() -> dict[str, str]:
    return {
        model._meta.label_lower: model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
    }


def _count(cursor, tables: dict[str, str], existing: set[str]) -> dict[str, int]:
    counts = {}
    for label, table in tables.items():
        if table in existing:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[label] = cursor.fetchone()[0]
    return counts


def table_counts() -> dict[str, int]:
    """Rows per model table in the live database."""
    with connection.cursor() as cursor:
        return _count(cursor, _tables(), set(connection.introspection.table_names(cursor)))


def backup_create(*, destination: Path) -> Path:
    """Write a backup directory under `destination` and return it."""
    target = Path(destination) / f"furong-backup-{timezone.localtime():%Y%m%d-%H%M%S}"
    target.mkdir(parents=True)
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"不支持备份 {vendor} 数据库。")
    counts = table_counts()
    database_file = target / DATABASE_FILES[vendor]
    if vendor == "postgresql":
        settings_dict = connection.settings_dict
        subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "-f", str(database_file), *_pg_args(settings_dict), settings_dict["NAME"]],
            check=True, env=_pg_env(settings_dict), capture_output=True,
        )  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(database_file) as copy:
            connection.connection.backup(copy)
    files = {}
    with tarfile.open(target / "files.tar.gz", "w:gz") as archive:
        for prefix, setting in FILE_ROOTS.items():
            root = Path(getattr(settings, setting))
            if not root.exists():
                continue
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                name = f"{prefix}/{path.relative_to(root).as_posix()}"
                archive.add(path, arcname=name)
                files[name] = _sha256(path)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": vendor, "file": database_file.name, "sha256": _sha256(database_file)},
        "counts": counts,
        "files": files,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


@dataclass
class DrillReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _restored_counts(vendor: str, live: dict, name: str) -> dict[str, int]:
    """Rows per table of the scratch database, through a connection of its own (never the
    live database's)."""
    if vendor == "postgresql":
        import psycopg

        with psycopg.connect(
            dbname=name, host=live.get("HOST") or None, port=live.get("PORT") or None,
            user=live.get("USER") or None, password=live.get("PASSWORD") or None,
        ) as scratch, scratch.cursor() as cursor:  # fmt: skip
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            return _count(cursor, _tables(), {row[0] for row in cursor.fetchall()})
    scratch = sqlite3.connect(name)
    try:
        cursor = scratch.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return _count(cursor, _tables(), {row[0] for row in cursor.fetchall()})
    finally:
        scratch.close()


def restore_drill(*, backup: Path) -> DrillReport:
    """Restore `backup` into a scratch database and folder and compare with its manifest."""
    backup = Path(backup)
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    report = DrillReport()
    database_file = backup / manifest["database"]["file"]
    if _sha256(database_file) != manifest["database"]["sha256"]:
        report.problems.append("数据库备份文件的校验值与清单不符。")
        return report
    live = connection.settings_dict
    scratch_dir = Path(tempfile.mkdtemp(prefix="furong-restore-drill-"))
    scratch_name = None
    try:
        if manifest["database"]["vendor"] == "postgresql":
            scratch_name = f"{live['NAME']}_restore_drill"[:63]
            pg = _pg_args(live)
            env = _pg_env(live)
            subprocess.run(["dropdb", "--if-exists", *pg, scratch_name], check=True, env=env, capture_output=True)
            subprocess.run(["createdb", *pg, scratch_name], check=True, env=env, capture_output=True)
            restored = subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", "-d", scratch_name, *pg, str(database_file)],
                env=env, capture_output=True, text=True,
            )  # fmt: skip
            if restored.returncode:
                report.problems.append(f"pg_restore 失败：{restored.stderr.strip()[:500]}")
                return report
            restored_counts = _restored_counts("postgresql", live, scratch_name)
        else:
            copy = scratch_dir / "database.sqlite3"
            shutil.copyfile(database_file, copy)
            restored_counts = _restored_counts("sqlite", live, str(copy))
        for label, expected in manifest["counts"].items():
            found = restored_counts.get(label)
            if found != expected:
                report.problems.append(f"{label}：备份时 {expected} 行，恢复后 {found} 行。")
            report.tables += 1
            report.rows += found or 0
        with tarfile.open(backup / "files.tar.gz") as archive:
            archive.extractall(scratch_dir / "files", filter="data")
        for name, expected in manifest["files"].items():
            path = scratch_dir / "files" / name
            if not path.exists() or _sha256(path) != expected:
                report.problems.append(f"文件 {name} 缺失或内容不符。")
            report.files += 1
    finally:
        if scratch_name:
            subprocess.run(["dropdb", "--if-exists", *_pg_args(live), scratch_name], env=_pg_env(live), capture_output=True)
        shutil.rmtree(scratch_dir, ignore_errors=True)
    return report
