from django.core.management.base import BaseCommand
from django.db import transaction

from disclosure.search import search_index_rebuild


class Command(BaseCommand):
    help = "重新计算全部信息的检索文本并重建全文索引（例如在直接向数据库导入数据之后）。"

    def handle(self, *args, **options):
        with transaction.atomic():
            count = search_index_rebuild()
        self.stdout.write(self.style.SUCCESS(f"已重建 {count} 条信息的全文索引。"))
