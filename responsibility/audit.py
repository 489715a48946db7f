"""The audit log (审计日志) and the login lockout of GB/T 22239-2019 (等保2.0, level 3):
every login, failed login, change of an account's access and publication is
recorded with time, user, event and outcome; an account is locked for 30 minutes
after 5 failed logins in a row.

Logins and failed logins can only be observed through Django's auth signals, so
those three receivers live here (connected in `ResponsibilityConfig.ready`);
everything else calls `audit_record` explicitly from the code that acts."""

from datetime import datetime, timedelta

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.dispatch import receiver
from django.utils import timezone

from furong_portal.client_ip import client_ip

from .models import AuditEvent

# GB/T 22239-2019 as usually assessed at level 3: 5 failures, 30 minutes.
LOCKOUT_FAILURES = 5
LOCKOUT_DURATION = timedelta(minutes=30)

Action = AuditEvent.Action
Outcome = AuditEvent.Outcome


def audit_record(
    *,
    action: str,
    actor=None,
    username: str = "",
    outcome: str = Outcome.SUCCESS,
    target: models.Model | str | None = None,
    request=None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event. `target` is the object acted on (or a description)."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    event = AuditEvent(
        action=action,
        actor=actor,
        username=(username or (actor.get_username() if actor else ""))[:150],
        outcome=outcome,
        ip_address=client_ip(request),
        detail=detail or {},
    )
    if isinstance(target, models.Model):
        event.target = str(target)[:300]
        event.target_type = target._meta.label_lower
        event.target_id = str(target.pk)
    elif target:
        event.target = str(target)[:300]
    event.save()
    return event


# --- Login lockout -----------------------------------------------------------------


def login_locked_until(username: str, *, now: datetime | None = None) -> datetime | None:
    """When the lock on `username` ends, or None if it is not locked.

    Locked: the last `LOCKOUT_FAILURES` login attempts all failed, within
    `LOCKOUT_DURATION` of each other, and the last of them less than
    `LOCKOUT_DURATION` ago. Attempts during the lock are recorded as
    `login_blocked`, so they neither extend the lock nor count afterwards."""
    if not username:
        return None
    now = now or timezone.now()
    attempts = list(
        AuditEvent.objects.filter(
            username=username[:150],
            action__in=(Action.LOGIN, Action.LOGIN_FAILED),
            created_at__gte=now - 2 * LOCKOUT_DURATION,
        )
        .order_by("-created_at", "-pk")
        .values_list("action", "created_at")[:LOCKOUT_FAILURES]
    )
    if len(attempts) < LOCKOUT_FAILURES or any(action != Action.LOGIN_FAILED for action, _ in attempts):
        return None
    last, first = attempts[0][1], attempts[-1][1]
    if last - first > LOCKOUT_DURATION or now - last >= LOCKOUT_DURATION:
        return None
    return last + LOCKOUT_DURATION


class LockoutModelBackend(ModelBackend):
    """Django's backend, refusing a locked account even with the right password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username and login_locked_until(username):
            # PermissionDenied stops the other backends; Django then sends
            # user_login_failed, recorded below as a blocked attempt.
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutAuthenticationForm(AdminAuthenticationForm):
    """The admin login form, telling a locked-out person when to try again."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            until = login_locked_until(self.cleaned_data.get("username") or "")
            if until:
                raise ValidationError(
                    "连续 %(count)d 次登录失败，账号已锁定，请于 %(until)s 后再试。",
                    code="locked",
                    params={"count": LOCKOUT_FAILURES, "until": timezone.localtime(until).strftime("%H:%M")},
                ) from None
            raise


@receiver(user_logged_in, dispatch_uid="furong_audit_login")
def _record_login(sender, request, user, **kwargs):
    audit_record(action=Action.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="furong_audit_logout")
def _record_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=Action.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="furong_audit_login_failed")
def _record_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    action = Action.LOGIN_BLOCKED if login_locked_until(username) else Action.LOGIN_FAILED
    audit_record(action=action, username=username, outcome=Outcome.FAILURE, request=request)


# --- Account access changes ----------------------------------------------------------


def account_access_snapshot(user) -> dict:
    """What decides an account's reach: flags, roles, direct permissions and unit."""
    profile = getattr(user, "staff_profile", None) if user.pk else None
    return {
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)) if user.pk else [],
        "permissions": sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list("content_type__app_label", "codename")
        )
        if user.pk
        else [],
        "unit": str(profile.unit) if profile and profile.unit else "",
    }


def account_change_record(*, actor, account, before: dict | None, request=None) -> AuditEvent | None:
    """Record how `account`'s access changed since `before` (None: it was created)."""
    after = account_access_snapshot(account)
    if before is None:
        return audit_record(
            action=Action.ACCOUNT_CREATED, actor=actor, target=account, request=request, detail={"new": after}
        )
    changes = {key: [before[key], after[key]] for key in after if before.get(key) != after[key]}
    if not changes:
        return None
    return audit_record(action=Action.ACCOUNT_CHANGED, actor=actor, target=account, request=request, detail=changes)
