from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from disclosure.checks.linkcheck import links_check


class Command(BaseCommand):
    help = (
        "检查已发布信息正文中的全部链接（每天运行一次）：逐个访问、同一网站两次访问之间至少间隔 --delay 秒，"
        "每次最多检查 --limit 个地址；结果显示在区政务公开办的工作台上。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=300, help="本次最多检查的地址数（默认 300）。")
        parser.add_argument("--delay", type=float, default=2.0, help="同一网站两次访问的最小间隔秒数（默认 2）。")
        parser.add_argument("--timeout", type=float, default=10.0, help="单次访问的超时秒数（默认 10）。")
        parser.add_argument("--max-seconds", type=float, default=1800, help="本次运行的最长秒数（默认 1800）。")
        parser.add_argument(
            "--recheck-hours", type=float, default=20, help="多少小时内检查过的地址本次跳过（默认 20）。"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不保存结果。")

    def handle(self, *args, **options):
        report = links_check(
            now=timezone.now(),
            limit=options["limit"],
            delay=options["delay"],
            timeout=options["timeout"],
            max_seconds=options["max_seconds"],
            recheck_after=timedelta(hours=options["recheck_hours"]),
            dry_run=options["dry_run"],
        )
        if options["verbosity"] >= 2:
            for problem in report.problems:
                self.stdout.write(f"无法访问：{problem}")
        summary = (
            f"链接 {report.found} 个，本次检查 {report.checked} 个，无法访问 {report.broken} 个，"
            f"留待下次 {report.skipped} 个，移除已不再引用的 {report.removed} 个。"
        )
        self.stdout.write(self.style.SUCCESS(summary + ("（试运行，未保存）" if options["dry_run"] else "")))
