from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tasks.models import PlanDocument
from tasks.services import plan_tasks_sync


class Command(BaseCommand):
    help = (
        "按工作要点的责任单位括注分解任务：每个要点 × 每个责任单位一个任务（集合称谓分解到成员单位），"
        "未列明责任单位的要点不分解。可重复执行：已有任务保持不变，新增单位补建任务，"
        "不再列明且未开始的任务删除，已有进展记录的任务保留。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="工作要点的年度，默认最新一年。")
        parser.add_argument("--dry-run", action="store_true", help="只报告将发生的变化，不写入数据库。")

    def handle(self, *args, year=None, dry_run=False, **options):
        plans = PlanDocument.objects.all()
        plan = plans.filter(year=year).first() if year else plans.first()
        if plan is None:
            raise CommandError("找不到工作要点，请先运行 manage.py load_seed。" if not year else f"没有 {year} 年的工作要点。")
        with transaction.atomic():
            result = plan_tasks_sync(plan=plan)
            if dry_run:
                transaction.set_rollback(True)
        prefix = "（试运行，未写入）" if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{plan}：新建任务 {result.created} 个，更新 {result.updated} 个，删除 {result.removed} 个。"
            )
        )
        for task in result.kept:
            self.stdout.write(self.style.WARNING(f"保留（单位已不在括注中但已有进展）：{task}"))
