from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from .backup import call_drill


class Command(BaseCommand):
    help = "恢复演练：把一份备份恢复到临时数据库和临时目录，逐表核对行数、逐个核对文件，不触动正式数据。"

    def add_arguments(self, parser):
        parser.add_argument("backup", help="backup 命令写出的备份目录。")

    def handle(self, *args, backup, **options):
        path = Path(backup)
        if not (path / "manifest.json").exists():
            raise CommandError(f"{path} 不是备份目录（没有 manifest.json）。")
        call_drill(self, path)
