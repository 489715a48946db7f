"""Verify the SM3 hash chain of the audit log (GB/T 22239-2019 8.1.4.3)."""

from django.core.management.base import BaseCommand, CommandError

from responsibility.audit import audit_chain_verify


class Command(BaseCommand):
    help = "校验审计日志的 SM3 摘要链；链断开时指出第一条被改动或其前有记录被删除的记录，并以非零状态退出。"

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if report.broken is not None:
            event = report.broken
            raise CommandError(
                f"审计日志摘要链在第 {event.pk} 号记录处断开（{event}）：{report.reason}。"
                f"此前 {report.checked} 条记录校验通过。"
            )
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"审计日志摘要链完整：共 {report.checked} 条记录，最新摘要 {report.last_hash}。")
            )
            self.stdout.write("请将最新摘要另行保存（例如每日随本命令的输出归档），以便发现末尾记录被删除。")
