from django.core.management.base import BaseCommand

from responsibility.roles import ROLES, roles_sync


class Command(BaseCommand):
    help = (
        "按 responsibility/roles.py 中的声明创建角色并恢复其全部权限（可随时重复运行）。"
        "默认只补不减；加 --prune 则同时收回声明之外的权限。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="收回角色上声明之外的权限（如在后台手工添加的）。")

    def handle(self, *args, **options):
        result = roles_sync(prune=options["prune"])
        if options["verbosity"] > 1 or (options["verbosity"] and (result.added or result.removed)):
            for role, codenames in result.added.items():
                self.stdout.write(f"{role}：补回 {len(codenames)} 项权限：{'、'.join(codenames)}")
            for role, codenames in result.removed.items():
                self.stdout.write(f"{role}：收回 {len(codenames)} 项权限：{'、'.join(codenames)}")
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"角色已同步：{'、'.join(ROLES)}。"))
