"""The retention rule for applicants' personal data (个人信息保护法 第十九条, 第四十七条)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from disclosure.requests.services import requests_personal_data_erase


class Command(BaseCommand):
    help = (
        "删除办结已满保存期限（默认 REQUESTS_PERSONAL_DATA_YEARS 年）的申请中申请人的证件号码和联系方式，"
        "姓名只保留脱敏形式；申请本身、办理记录和办理结果保留。建议每日运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=settings.REQUESTS_PERSONAL_DATA_YEARS, help="办结后保存的年数。")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除。")

    def handle(self, *args, **options):
        today = timezone.localdate()
        try:
            closed_before = today.replace(year=today.year - options["years"])
        except ValueError:  # 29 February
            closed_before = today.replace(year=today.year - options["years"], day=28)
        count = requests_personal_data_erase(closed_before=closed_before, dry_run=options["dry_run"])
        if options["verbosity"]:
            verb = "将删除" if options["dry_run"] else "已删除"
            self.stdout.write(
                self.style.SUCCESS(f"{verb} {count} 件 {closed_before:%Y-%m-%d} 前办结的申请中的申请人个人信息。")
            )
