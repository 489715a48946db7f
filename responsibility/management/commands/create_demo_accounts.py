"""Demo back-office accounts for development: never in production."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from responsibility.models import StaffProfile, Unit
from responsibility.roles import (
    ROLE_AUDIT_ADMIN,
    ROLE_DISTRICT_OFFICE,
    ROLE_EDITOR,
    ROLE_REVIEWER,
    ROLE_SECURITY_ADMIN,
    ROLE_SYSTEM_ADMIN,
    ROLES,
    roles_sync,
)
from responsibility.second_factor import totp_enrol_confirmed, totp_secret

# Real units of the seed, with columns of their own in the responsibility table.
DEMO_UNITS = (
    ("sfj", "区司法局"),  # 3-1 履职依据
    ("czj", "区财政局"),  # 3-7 决算预算, 3-8 收费项目, 3-9 政府采购
    ("jyj", "区教育局"),  # 3-12-2 教育信息, 6-1 教育教学机构
)
DISTRICT_OFFICE_USERNAME = "demo-gkb"


class Command(BaseCommand):
    help = (
        "仅开发环境（DEBUG 开启）：为几个种子单位各创建一名信息员和一名审核员，并创建一个区政务公开办账号；"
        "密码随机生成，只显示这一次。已存在的账号保持不变（加 --reset 重设其密码）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="为已存在的演示账号重新生成密码。")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("演示账号只能在开发环境（DEBUG 开启）中创建；生产环境不得存在演示账号。")
        accounts = [
            (DISTRICT_OFFICE_USERNAME, None, ROLE_DISTRICT_OFFICE, "区政务公开办"),
            # 三权分立: one account per administrator role.
            ("demo-sysadmin", None, ROLE_SYSTEM_ADMIN, "系统管理员"),
            ("demo-secadmin", None, ROLE_SECURITY_ADMIN, "安全管理员"),
            ("demo-auditor", None, ROLE_AUDIT_ADMIN, "审计管理员"),
        ]
        for code, name in DEMO_UNITS:
            try:
                unit = Unit.objects.get(name=name)
            except Unit.DoesNotExist:
                raise CommandError(f"找不到单位“{name}”，请先运行 manage.py load_seed。") from None
            accounts.append((f"demo-{code}-editor", unit, ROLE_EDITOR, f"{name}信息员"))
            accounts.append((f"demo-{code}-reviewer", unit, ROLE_REVIEWER, f"{name}审核员"))
        printed = []
        with transaction.atomic():
            if Group.objects.filter(name__in=ROLES).count() != len(ROLES):
                roles_sync()
            for username, unit, role, label in accounts:
                password, secret = self._ensure(username, unit, role, label, reset=options["reset"])
                printed.append((username, password, secret, label))
        self.stdout.write(
            "演示账号（密码和第二因素密钥只显示这一次，请妥善记录；把密钥输入手机上的身份验证器应用，"
            "登录时输入它显示的 6 位验证码）："
        )
        for username, password, secret, label in printed:
            shown = password or "（已存在，密码未改变）"
            self.stdout.write(f"  {username:<22} {shown:<24} {secret or '（密钥未改变）':<34} {label}")
        self.stdout.write(self.style.SUCCESS(f"共 {len(printed)} 个演示账号。登录地址：/admin/"))

    def _ensure(self, username, unit, role, label, *, reset: bool) -> tuple[str | None, str | None]:
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": label, "is_staff": True})
        password = secret = None
        if created or reset:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            # A confirmed authenticator, so the account signs in without the enrolment step.
            secret = totp_secret(totp_enrol_confirmed(user=user))
        user.groups.set([Group.objects.get(name=role)])
        StaffProfile.objects.update_or_create(user=user, defaults={"unit": unit})
        return password, secret
