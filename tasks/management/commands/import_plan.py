from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from responsibility.documents import uploaded_text
from responsibility.services import NameChoice, NameMapping, party_resolve
from tasks.services.plan_import import plan_import, plan_preview


class Command(BaseCommand):
    help = (
        "导入一个年度的政务公开工作要点（.docx 或 .txt）：先显示识别结果，全部名称都能识别时一次写入"
        "要点、责任单位和分解任务。--dry-run 只显示、不写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="工作要点文件（.docx 或 .txt）。")
        parser.add_argument("--dry-run", action="store_true", help="只显示识别结果，不写入数据库。")
        parser.add_argument(
            "--alias", action="append", default=[], metavar="新名称=已登记名称",
            help="把文中的新名称登记为已登记单位或集合称谓的别称；可重复。",
        )
        parser.add_argument(
            "--rename", action="append", default=[], metavar="新名称=原单位名称",
            help="单位更名：新名称成为规范名称，原名称保留为别称；可重复。",
        )

    def handle(self, *args, path, dry_run=False, alias=(), rename=(), **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件 {path}。")
        try:
            text = uploaded_text(SimpleUploadedFile(file.name, file.read_bytes()))
            choices = {
                **self._choices(alias, NameMapping.ALIAS),
                **self._choices(rename, NameMapping.RENAME),
            }
            preview = plan_preview(text=text, choices=choices)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        parsed = preview.parsed
        self.stdout.write(
            f"{parsed.plan_title}（{parsed.doc_number}，{parsed.issued_on:%Y-%m-%d}）："
            f"{len(parsed.sections)} 个板块，{len(preview.points)} 个要点，{preview.party_count} 处责任单位。"
        )
        if options["verbosity"] > 1:
            for entry in preview.points:
                names = "、".join(party.printed_name for party in entry.parties) or "未列明责任单位"
                self.stdout.write(f"  （{entry.point.number}）{entry.point.title}：{names}；截止 {entry.due_on:%Y-%m-%d}")
        for error in preview.errors:
            self.stdout.write(self.style.ERROR(error))
        if preview.unresolved:
            self.stdout.write(
                self.style.WARNING("未能识别的名称（用 --alias 或 --rename 认定）：" + "、".join(preview.unresolved))
            )
        if dry_run:
            self.stdout.write(self.style.SUCCESS("（试运行，未写入）"))
            return
        if not preview.can_confirm:
            raise CommandError("未导入：请先处理上面列出的问题。")
        try:
            with transaction.atomic():
                result = plan_import(text=text, choices=choices, source="manage.py import_plan")
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"已导入{result.plan}：分解任务 {result.tasks.created} 个。"))

    @staticmethod
    def _choices(pairs, mapping) -> dict[str, NameChoice]:
        choices = {}
        for pair in pairs:
            new, sep, known = pair.partition("=")
            if not sep or not new.strip() or not known.strip():
                raise ValidationError(f"“{pair}”应写成 新名称=已登记名称。")
            choices[new.strip()] = NameChoice(mapping, party_resolve(known.strip()))
        return choices
