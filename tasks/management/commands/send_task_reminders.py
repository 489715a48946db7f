from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tasks.services import reminders_send


class Command(BaseCommand):
    help = (
        "每日提醒（供 cron 每天运行）：给每个单位的联系邮箱发一封邮件，列出其逾期和30天内到期的任务、"
        "未及时更新和空白的栏目。同一单位同一天只发一次，重复运行不会重复发送。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="on", help="按指定日期（YYYY-MM-DD）计算，默认今天。")
        parser.add_argument("--dry-run", action="store_true", help="只显示将发送的邮件，不发送、不记录。")

    def handle(self, *args, on=None, dry_run=False, verbosity=1, **options):
        try:
            today = date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError("--date 的格式应为 YYYY-MM-DD。") from None
        run = reminders_send(today=today, dry_run=dry_run)
        for unit, subject, body in run.drafts:
            self.stdout.write(f"[试运行] 收件人 {unit.email}：{subject}")
            if verbosity >= 2:
                self.stdout.write(body)
        for reminder in run.sent:
            if verbosity >= 2:
                self.stdout.write(f"已发送：{reminder.recipient} {reminder.subject}")
        for unit in run.without_email:
            self.stdout.write(self.style.WARNING(f"{unit.name} 未登记联系邮箱，无法提醒。"))
        for unit, error in run.failed:
            self.stderr.write(self.style.ERROR(f"{unit.name} 发送失败（明天或下次运行时重试）：{error}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"发送 {len(run.sent)} 封，今天已发过 {len(run.already_sent)} 个单位，"
                f"缺少邮箱 {len(run.without_email)} 个单位，失败 {len(run.failed)} 封。"
            )
        )
        if run.failed:
            raise CommandError("部分提醒邮件发送失败。")
