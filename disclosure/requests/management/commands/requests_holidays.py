from django.core.management.base import BaseCommand
from django.utils import timezone

from disclosure.requests import services
from disclosure.requests.models import HolidayCalendarDay
from disclosure.requests.workdays import LIBRARY_FIRST_YEAR, LIBRARY_LAST_YEAR, library_knows


class Command(BaseCommand):
    help = "节假日表：显示各年度来源；--prefill 从 chinese-calendar 补入其已知年度中表内没有的日期（不覆盖人工录入）。"

    def add_arguments(self, parser):
        parser.add_argument("--prefill", action="store_true", help="从 chinese-calendar 补入缺少的日期。")

    def handle(self, *args, prefill=False, **options):
        if prefill:
            added = services.holidays_prefill()
            self.stdout.write(self.style.SUCCESS(f"已从 chinese-calendar 补入 {added} 天。"))
        self.stdout.write(f"chinese-calendar 已知 {LIBRARY_FIRST_YEAR}–{LIBRARY_LAST_YEAR} 年。")
        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            count = HolidayCalendarDay.objects.filter(date__year=year).count()
            if library_knows(year):
                self.stdout.write(f"{year} 年：chinese-calendar 已知；节假日表 {count} 天。")
            elif count:
                self.stdout.write(self.style.WARNING(f"{year} 年：chinese-calendar 未知，按节假日表 {count} 天计算。"))
            else:
                self.stdout.write(
                    self.style.WARNING(f"{year} 年：chinese-calendar 未知，节假日表也没有记录，暂按周一至周五计算；请录入。")
                )
