"""Pre-fill the holiday calendar from `chinese-calendar` (every year the installed release
knows), so the office starts from the State Council's notices and only enters new years.
`manage.py requests_holidays --prefill` adds the years of a newer release later."""

import chinese_calendar
from django.db import migrations


def prefill(apps, schema_editor):
    HolidayCalendarDay = apps.get_model("requests", "HolidayCalendarDay")
    existing = set(HolidayCalendarDay.objects.values_list("date", flat=True))
    def chinese(name):
        return chinese_calendar.Holiday(name).chinese

    days = [(day, False, chinese(name)) for day, name in chinese_calendar.holidays.items()]
    days += [(day, True, f"{chinese(name)}调休上班") for day, name in chinese_calendar.workdays.items()]
    HolidayCalendarDay.objects.bulk_create(
        HolidayCalendarDay(date=day, is_workday=is_workday, name=name, source="library")
        for day, is_workday, name in sorted(days)
        if day not in existing
    )


def remove(apps, schema_editor):
    apps.get_model("requests", "HolidayCalendarDay").objects.filter(source="library").delete()


class Migration(migrations.Migration):

    dependencies = [("requests", "0002_role_permissions")]

    operations = [migrations.RunPython(prefill, remove, elidable=False)]
