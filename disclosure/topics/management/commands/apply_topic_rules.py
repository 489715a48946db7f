from django.core.management.base import BaseCommand
from django.db import transaction

from disclosure.topics.models import Topic
from disclosure.topics.services import topic_rules_apply


class Command(BaseCommand):
    help = "按各专栏的规则重新归集已发布信息（load_seed 会自动运行；批量生成或导入信息之后运行）。手动置顶、移出的不受影响。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不写入。")

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            for topic in Topic.objects.all():
                counts = topic_rules_apply(topic=topic)
                if options["verbosity"]:
                    self.stdout.write(f"{topic}：新增 {counts['added']} 条，移出 {counts['dropped']} 条。")
            if dry_run:
                transaction.set_rollback(True)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS("试运行完成，未写入。" if dry_run else "专栏已按规则归集。"))
