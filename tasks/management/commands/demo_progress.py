"""Demo progress on the work points for development and demonstrations: never production."""

import random
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from responsibility.access import ROLE_DISTRICT_OFFICE
from tasks.models import PlanDocument, ProgressReport, Task, TaskReview
from tasks.selectors import evidence_items_for
from tasks.services import plan_tasks_sync, progress_report_submit, task_review, tasks_due_on_set

DEMO_USERNAME = "demo-progress"
# Shares of tasks ending in each outcome; the rest stay not started.
OUTCOMES = (("done", 0.35), ("in_review", 0.12), ("returned", 0.08), ("in_progress", 0.2))
# Due dates are moved relative to today so that every schedule state shows up:
# points 1–5 overdue, 6–10 due within 30 days, the rest later.
DUE_OFFSETS = ((5, -30), (10, 20), (100, 120))
SUMMARIES = (
    "已在政府信息公开平台相应栏目集中公开，并建立动态更新机制。",
    "已梳理完成并公开，明确专人负责后续更新。",
    "已按要求完成公开，相关解读材料同步发布。",
)


def demo_pdf(title: str) -> SimpleUploadedFile:
    """A small but well-formed PDF, so that the evidence check accepts it."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{title}.pdf", body, content_type="application/pdf")


class Command(BaseCommand):
    help = (
        "生成演示用的工作任务进展：分解任务，调整截止日期使逾期、临期、正常三种状态都出现，"
        "并由各单位填报进展（佐证取自本单位已发布的信息，没有信息的单位附演示 PDF）、区政务公开办审核。"
        "仅用于开发和演示环境；建议先运行 load_seed、demo_items 和 create_demo_accounts。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2020, help="随机种子，相同种子生成相同进展。")
        parser.add_argument("--force", action="store_true", help="在 DEBUG 关闭时也执行（仅限测试数据库）。")
        parser.add_argument("--dry-run", action="store_true", help="只说明将生成什么，不写入数据库。")

    def handle(self, *args, seed, force, dry_run, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 未开启：演示数据不得进入正式环境。如确为测试数据库，请加 --force。")
        plan = PlanDocument.objects.first()
        if plan is None:
            raise CommandError("找不到工作要点，请先运行 manage.py load_seed。")
        if ProgressReport.objects.exists():
            raise CommandError("已有进展报告：演示进展只能在没有任何报告的数据库中生成。")
        if dry_run:
            self.stdout.write(f"将为《{plan.plan_title}》分解任务并生成演示进展（随机种子 {seed}），未写入任何数据。")
            return
        today = timezone.localdate()
        with transaction.atomic():
            plan_tasks_sync(plan=plan)
            reporter, reviewer = self._accounts()
            rng = random.Random(seed)
            outcomes = Counter()
            tasks = Task.objects.for_plan(plan)
            first = 1
            for last, days in DUE_OFFSETS:
                in_range = tasks.filter(work_point__number__gte=first, work_point__number__lte=last)
                tasks_due_on_set(tasks=in_range, due_on=today + timedelta(days=days))
                first = last + 1
            for task in tasks.with_related().order_by("work_point__number", "unit__order"):
                outcome = self._outcome(rng)
                outcomes[outcome] += 1
                if outcome != "not_started":
                    self._play(task, outcome, rng, today, reporter.get(task.unit_id, reporter[None]), reviewer)
        summary = "，".join(f"{Task.State(state).label} {count}" for state, count in sorted(outcomes.items()))
        self.stdout.write(self.style.SUCCESS(f"已生成演示进展：{summary}。"))

    def _accounts(self):
        """Report as the unit's own demo account where one exists, else as a login-less demo user."""
        User = get_user_model()
        fallback, created = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"first_name": "演示数据", "is_active": False}
        )
        if created:
            fallback.set_unusable_password()
            fallback.save(update_fields=["password"])
        reporters = {None: fallback}
        for user in User.objects.filter(staff_profile__unit__isnull=False, username__startswith="demo-"):
            reporters.setdefault(user.staff_profile.unit_id, user)
        office = User.objects.filter(groups__name=ROLE_DISTRICT_OFFICE, username__startswith="demo-").first()
        return reporters, office or fallback

    @staticmethod
    def _outcome(rng: random.Random) -> str:
        draw = rng.random()
        for outcome, share in OUTCOMES:
            if draw < share:
                return outcome
            draw -= share
        return "not_started"

    def _play(self, task, outcome, rng, today, reporter, reviewer):
        items = list(evidence_items_for(task)[:20])
        evidence = rng.sample(items, min(len(items), 2))
        files = [] if evidence else [demo_pdf(f"{task.unit.name}工作要点{task.work_point.number}佐证")]
        reported_on = today - timedelta(days=rng.randint(5, 40))
        progress_report_submit(
            task=task, author=reporter, reported_on=reported_on - timedelta(days=10),
            text=f"正在推进“{task.work_point.title}”相关工作，已明确责任科室和时间安排。",
        )
        if outcome == "in_progress":
            return
        progress_report_submit(
            task=task, author=reporter, reported_on=reported_on, text="已完成本单位承担的工作，现提交审核。",
            public_summary=rng.choice(SUMMARIES), is_final=True, evidence_items=evidence, files=files,
        )
        if outcome == "done":
            task_review(task=task, reviewer=reviewer, decision=TaskReview.Decision.APPROVED)
        elif outcome == "returned":
            task_review(
                task=task, reviewer=reviewer, decision=TaskReview.Decision.RETURNED,
                comment="佐证材料不足：请补充在平台上公开的具体信息链接。",
            )
