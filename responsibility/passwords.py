"""Password rules of GB/T 22239-2019 8.1.4.1 a) as assessed at level 3: complexity
(validators named in `AUTH_PASSWORD_VALIDATORS`) and periodic change (an expired or
administrator-set password must be changed before the back office opens)."""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .audit import Action, audit_record
from .models import AccountSecurity

_CHARACTER_CLASSES = (
    ("小写字母", re.compile(r"[a-z]")),
    ("大写字母", re.compile(r"[A-Z]")),
    ("数字", re.compile(r"[0-9]")),
    ("符号", re.compile(r"[^a-zA-Z0-9]")),
)


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = sum(1 for _, pattern in _CHARACTER_CLASSES if pattern.search(password))
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        names = "、".join(name for name, _ in _CHARACTER_CLASSES)
        return f"密码须包含{names}中的至少 {self.min_classes} 类。"


class UsernameNotContainedValidator:
    """The username must not appear in the password, in any letter case."""

    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self):
        return "密码不得包含用户名。"


# --- Age and the duty to change ------------------------------------------------------


def password_max_age() -> timedelta:
    return timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def password_expires_at(user) -> datetime:
    security = AccountSecurity.objects.filter(user=user).first()
    changed_at = (security.password_changed_at if security else None) or user.date_joined
    return changed_at + password_max_age()


def password_change_required(user, *, now: datetime | None = None) -> str:
    """Why `user` must change the password before working ("" if not)."""
    security = AccountSecurity.objects.filter(user=user).first()
    if security and security.must_change_password:
        return "首次登录或密码被他人重设后，须先修改密码。"
    changed_at = (security.password_changed_at if security else None) or user.date_joined
    if (now or timezone.now()) >= changed_at + password_max_age():
        return f"密码已使用超过 {settings.PASSWORD_MAX_AGE_DAYS} 天，须修改后才能继续使用管理后台。"
    return ""


def password_set_record(*, account, actor, request=None) -> AccountSecurity:
    """Note that `account`'s password was just set by `actor` (already saved).

    Set by its holder it is fresh; set by someone else (a new account, a reset) the
    holder must change it at the next login, so no one else knows a working password."""
    with transaction.atomic():
        security, _ = AccountSecurity.objects.select_for_update().get_or_create(user=account)
        security.password_changed_at = timezone.now()
        security.must_change_password = actor is None or actor.pk != account.pk
        security.save(update_fields=("password_changed_at", "must_change_password"))
        audit_record(
            action=Action.PASSWORD_CHANGED,
            actor=actor,
            target=account,
            request=request,
            detail={"must_change": security.must_change_password},
        )
    return security


def password_change_demand(*, account, actor, request=None) -> AccountSecurity:
    """The 安全管理员 requires `account` to change its password at the next request."""
    with transaction.atomic():
        security, _ = AccountSecurity.objects.select_for_update().get_or_create(user=account)
        security.must_change_password = True
        security.save(update_fields=("must_change_password",))
        audit_record(action=Action.PASSWORD_MUST_CHANGE, actor=actor, target=account, request=request)
    return security
