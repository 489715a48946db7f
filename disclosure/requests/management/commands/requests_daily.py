from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from disclosure.requests import services
from disclosure.requests.workdays import WorkCalendar


class Command(BaseCommand):
    help = (
        "依申请公开每日检查（可重复执行）：按节假日表重算答复期限，补正期限届满未补正的按逾期不补正办结，"
        "向承办单位发送逾期提醒邮件（每件申请只提醒一次），提醒第三方超过15个工作日未答复的征求意见。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只显示将要做什么，不写数据库、不发邮件。")
        parser.add_argument("--date", help="按该日期（YYYY-MM-DD）检查，默认今天。")

    def handle(self, *args, dry_run=False, date=None, verbosity=1, **options):
        today = parse_date(date) if date else timezone.localdate()
        if today is None:
            self.stderr.write(self.style.ERROR(f"日期格式应为 YYYY-MM-DD：{date}"))
            return
        calendar = WorkCalendar()
        with transaction.atomic():
            moved = services.requests_refresh_deadlines(calendar=calendar)
            lapsed = services.requests_lapse_corrections(today=today)
            notified = services.requests_notify_overdue(today=today, dry_run=dry_run)
            reminded = services.consultations_remind_overdue(today=today, dry_run=dry_run)
            if dry_run:
                transaction.set_rollback(True)
        for warning in calendar.warnings:
            self.stderr.write(self.style.WARNING(warning))
        prefix = "（试运行）" if dry_run else ""
        if verbosity >= 2:
            for request in moved:
                self.stdout.write(f"{request.number} 答复期限重算为 {request.due_on}")
            for request in lapsed:
                self.stdout.write(f"{request.number} 逾期不补正，办结于 {request.closed_on}")
            for unit, requests in notified.items():
                self.stdout.write(f"{unit or '区政务公开办（待转办）'}：{'、'.join(r.number for r in requests)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{today:%Y-%m-%d}：重算期限 {len(moved)} 件，逾期不补正办结 {len(lapsed)} 件，"
                f"向 {len(notified)} 个单位提醒逾期申请 {sum(len(r) for r in notified.values())} 件，"
                f"提醒第三方逾期未答复的征求意见 {len(reminded)} 件。"
            )
        )
