from django.core.management.base import BaseCommand
from django.db import transaction

from responsibility.access import ROLES, roles_sync


class Command(BaseCommand):
    help = "按 responsibility/access.py 中的定义创建角色（信息员、审核员、区政务公开办）并授予其权限（只增不减）。"

    def handle(self, *args, **options):
        with transaction.atomic():
            roles_sync()
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"角色已同步：{'、'.join(ROLES)}。"))
