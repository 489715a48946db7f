from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from furong_portal.backup import BackupError, backup_create, restore_drill


class Command(BaseCommand):
    help = "备份数据库和上传文件（公开与非公开）到指定目录，并随即做一次恢复演练验证备份可用。"

    def add_arguments(self, parser):
        parser.add_argument("destination", help="备份存放目录，如 /var/backups/furong。")
        parser.add_argument("--no-drill", action="store_true", help="不做恢复演练（不建议）。")

    def handle(self, *args, destination, no_drill=False, **options):
        try:
            backup = backup_create(destination=Path(destination))
        except (BackupError, OSError) as error:
            raise CommandError(f"备份失败：{error}") from error
        self.stdout.write(f"备份已写入 {backup}")
        if not no_drill:
            call_drill(self, backup)


def call_drill(command: BaseCommand, backup: Path) -> None:
    report = restore_drill(backup=backup)
    if not report.ok:
        raise CommandError("恢复演练失败：\n" + "\n".join(report.problems))
    command.stdout.write(
        command.style.SUCCESS(
            f"恢复演练通过：{report.tables} 张表共 {report.rows} 行、{report.files} 个文件与备份清单一致。"
        )
    )
