import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from disclosure.demo import create_demo_items
from disclosure.models import Item


class Command(BaseCommand):
    help = (
        "生成演示用政府信息（含规范性文件三种有效性、政策解读、附件），覆盖全部末级栏目，仅用于开发和性能测试。"
        "正式环境的种子数据（load_seed）从不包含这些内容。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=2000, help="生成的信息条数（含政策解读），默认 2000。")
        parser.add_argument("--seed", type=int, default=2020, help="随机种子，相同种子生成相同内容。")
        parser.add_argument(
            "--force", action="store_true", help="在 DEBUG 关闭时也执行（例如为性能测试准备的独立数据库）。"
        )
        parser.add_argument("--dry-run", action="store_true", help="只说明将生成什么，不写入数据库。")

    def handle(self, *args, items, seed, force, dry_run, verbosity, **options):
        if items < 1:
            raise CommandError("--items 必须是正整数。")
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 未开启：演示数据不得进入正式环境。如确为测试数据库，请加 --force。")
        if dry_run:
            self.stdout.write(f"将在全部末级栏目中生成 {items} 条演示信息（随机种子 {seed}），未写入任何数据。")
            return
        started = time.monotonic()

        def progress(done, total):
            if verbosity >= 2:
                self.stdout.write(f"  已写入 {done}/{total}")

        summary = create_demo_items(items=items, seed=seed, progress=progress)
        # Demo items are written in bulk, not through item_publish: place them in the 专栏 now.
        call_command("apply_topic_rules", verbosity=0)
        normative = "，".join(f"{label} {summary.normative.get(value, 0)}" for value, label in Item.Validity.choices)
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {summary.items} 条演示信息，覆盖 {summary.columns} 个末级栏目，"
                f"用时 {time.monotonic() - started:.1f} 秒：规范性文件（{normative}），政策解读 {summary.interpretations}，"
                f"附件 {summary.attachments}，已撤回 {summary.withdrawn}，草稿 {summary.drafts}，定时发布 {summary.scheduled}。"
            )
        )

