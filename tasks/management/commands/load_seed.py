"""The seed (units, subdistricts, columns with their duties, the 2020 work points), loaded so
that running it again never undoes the office's work."""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction

from furong_portal.pagecache import public_pages_changed

# Order matters: units before the collectives naming them, columns before their duties.
SEED_FIXTURES = ("units", "subdistricts", "columns", "work_points", "topics")

# A row that belongs to another: added only together with its owner, so that an owner the
# office has edited (a column's 责任单位 text, a point's closing clause) keeps exactly the
# rows the office's edit built.
OWNER_FIELD = {
    "responsibility.duty": "column",
    "tasks.section": "document",
    "tasks.workpoint": "section",
    "tasks.workpointparty": "work_point",
    "topics.topicsection": "topic",
    "topics.topicrule": "topic",
}


def _fixture_path(name: str) -> Path:
    for directory in settings.FIXTURE_DIRS:
        path = Path(directory) / f"{name}.json"
        if path.exists():
            return path
    raise CommandError(f"找不到种子数据文件 {name}.json。")


class Command(BaseCommand):
    help = (
        "载入种子数据：责任单位、栏目与责任分解、2020年政务公开工作要点、工作要点点名的三个专栏。可随时重复执行：只补充缺少的记录，"
        "从不覆盖区政务公开办已修改的内容（机构代码、邮箱、集合称谓成员、责任单位等）。"
        "加 --reset 则把种子中的每条记录恢复为种子原样（须确认）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="把种子记录恢复为种子原样，覆盖办公室的修改（须确认）。"
        )
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", help="--reset 时不再询问（用于脚本）。"
        )
        parser.add_argument("--dry-run", action="store_true", help="只报告将补充哪些记录，不写入。")

    def handle(self, *args, reset=False, interactive=True, dry_run=False, **options):
        if reset:
            self._reset(interactive=interactive, verbosity=options["verbosity"])
            return
        added, kept, conflicts = self._add_missing(dry_run=dry_run)
        if added and not dry_run:
            # The 专栏 rules may be new: place the published items again.
            call_command("apply_topic_rules", verbosity=0)
            public_pages_changed()
        if options["verbosity"] > 1:
            for label in conflicts:
                self.stdout.write(self.style.WARNING(f"未补充 {label}：与现有记录冲突（如同名单位）。"))
        if options["verbosity"]:
            verb = "将补充" if dry_run else "已补充"
            self.stdout.write(self.style.SUCCESS(f"种子数据已载入：{verb} {added} 条记录，保留已有的 {kept} 条（不覆盖修改）。"))

    def _reset(self, *, interactive: bool, verbosity: int) -> None:
        if interactive:
            answer = input(
                "--reset 会把种子中的单位、集合称谓成员、栏目与责任单位、工作要点恢复为种子原样，"
                "覆盖区政务公开办的修改（如机构代码、邮箱）。确认请输入 yes："
            )
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，未做任何修改。")
        with transaction.atomic():
            call_command("loaddata", *SEED_FIXTURES, verbosity=verbosity)
            call_command("apply_topic_rules", verbosity=0)
            public_pages_changed()
        if verbosity:
            self.stdout.write(self.style.SUCCESS("种子数据已恢复为种子原样。"))

    @transaction.atomic
    def _add_missing(self, *, dry_run: bool) -> tuple[int, int, list[str]]:
        added: set[tuple[str, object]] = set()
        kept, conflicts, pending_m2m, models = 0, [], [], set()
        for name in SEED_FIXTURES:
            with open(_fixture_path(name), encoding="utf-8") as fixture:
                objects = list(serializers.deserialize("json", fixture))
            for deserialized in objects:
                instance = deserialized.object
                label = instance._meta.label_lower
                owner = OWNER_FIELD.get(label)
                if type(instance).objects.filter(pk=instance.pk).exists():
                    kept += 1
                    continue
                if owner:
                    owner_model = instance._meta.get_field(owner).related_model
                    if (owner_model._meta.label_lower, getattr(instance, f"{owner}_id")) not in added:
                        kept += 1  # its owner is the office's now
                        continue
                if not dry_run:
                    m2m = deserialized.m2m_data or {}  # save() clears it
                    try:
                        with transaction.atomic():
                            deserialized.save(save_m2m=False)
                    except IntegrityError:
                        conflicts.append(f"{instance._meta.verbose_name}“{instance}”")
                        continue
                    pending_m2m.append((instance, m2m))
                added.add((label, instance.pk))
                models.add(type(instance))
        # Many-to-many rows (a collective's members) once every unit they name exists.
        for instance, m2m in pending_m2m:
            for field_name, values in m2m.items():
                getattr(instance, field_name).set(values)
        if models and not dry_run:
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
                    cursor.execute(statement)
        return len(added), kept, conflicts
