"""The audit log's retention job: remove records older than the retention period."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from responsibility.audit import audit_prune


class Command(BaseCommand):
    help = (
        "删除超过保存期限的审计日志（默认 AUDIT_RETENTION_DAYS 天，不得少于 180 天），"
        "并追加一条记录写明接续摘要，摘要链仍可校验。建议每日运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.AUDIT_RETENTION_DAYS, help="保存天数。")
        parser.add_argument("--dry-run", action="store_true", help="只统计将删除的记录数，不删除。")

    def handle(self, *args, **options):
        try:
            count = audit_prune(older_than=timedelta(days=options["days"]), dry_run=options["dry_run"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        verb = "将删除" if options["dry_run"] else "已删除"
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"{verb} {count} 条超过 {options['days']} 天的审计日志。"))
