from django.core.management.base import BaseCommand
from django.utils import timezone

from disclosure.search import recent_search_index_bound, recent_search_index_roll


class Command(BaseCommand):
    help = "每年一月运行一次：把“近期信息”全文索引的起点移到去年年初（不锁写入；已是最新则不做任何事）。"

    def handle(self, *args, **options):
        rolled = recent_search_index_roll(timezone.now())
        bound = recent_search_index_bound()
        if bound is None:
            self.stdout.write("当前数据库没有近期信息全文索引（仅 PostgreSQL 使用）。")
            return
        since = f"收录 {timezone.localtime(bound):%Y-%m-%d} 以来发布的信息。"
        if rolled:
            self.stdout.write(self.style.SUCCESS(f"已重建近期信息全文索引，{since}"))
        else:
            self.stdout.write(f"近期信息全文索引已是最新，{since}")
