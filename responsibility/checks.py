"""`manage.py check --deploy`: the superuser is for emergencies, not daily work
(GB/T 22239-2019 8.1.4.2, 三权分立: daily administration goes through the three
separate administrator roles)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from .roles import ADMIN_ROLES, role_conflict


@register(Tags.security, deploy=True)
def superuser_recent_login_check(app_configs=None, **kwargs):
    days = settings.SUPERUSER_LOGIN_WARNING_DAYS
    since = timezone.now() - timedelta(days=days)
    try:
        names = list(
            get_user_model()
            .objects.filter(is_superuser=True, is_active=True, last_login__gte=since)
            .order_by("username")
            .values_list("username", flat=True)
        )
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    if not names:
        return []
    return [
        Warning(
            f"超级用户 {'、'.join(names)} 在最近 {days} 天内登录过。",
            hint="日常工作请使用系统管理员、安全管理员、审计管理员账号；超级用户仅用于应急，用后停用（is_active=False）。",
            id="furong.W001",
        )
    ]


@register(Tags.security, deploy=True)
def separated_admin_roles_check(app_configs=None, **kwargs):
    """An account given two administrator roles by other means than the admin form
    (a shell, a raw import) is reported."""
    try:
        holders = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=ADMIN_ROLES)
            .distinct()
            .prefetch_related("groups")
            .order_by("username")
        )
        conflicts = [
            (user.username, reason) for user in holders if (reason := role_conflict({g.name for g in user.groups.all()}))
        ]
    except DatabaseError:
        return []
    return [
        Warning(f"账号 {username}：{reason}", hint="在“用户”中只保留一个角色。", id="furong.W002")
        for username, reason in conflicts
    ]
