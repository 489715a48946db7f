from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from furong_portal.pagecache import public_pages_changed

# Order matters only for readability: loaddata resolves references within one call.
SEED_FIXTURES = ("units", "subdistricts", "columns", "work_points", "topics")


class Command(BaseCommand):
    help = "载入种子数据：责任单位、栏目与责任分解、2020年政务公开工作要点、工作要点点名的三个专栏（可重复执行）。"

    def handle(self, *args, **options):
        with transaction.atomic():
            call_command("loaddata", *SEED_FIXTURES, verbosity=options["verbosity"])
            # The 专栏 rules may have changed: place the published items again.
            call_command("apply_topic_rules", verbosity=0)
            public_pages_changed()
        self.stdout.write(self.style.SUCCESS("种子数据已载入。"))
