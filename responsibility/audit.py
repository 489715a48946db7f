"""The audit log (审计日志) and the login lockout of GB/T 22239-2019 (等保2.0, level 3):
every login, failed login, change of an account's access and publication is
recorded with time, user, event and outcome; an account is locked for 30 minutes
after 5 failed logins in a row.

The log is tamper-evident (8.1.4.3): each record carries an SM3 hash (GB/T 32905-2016)
of its own fields and of the previous record's hash, so changing or deleting a row
breaks the chain from there on; `audit_chain_verify` (command `audit_verify`) names
the first broken record. On PostgreSQL a trigger also refuses UPDATE and DELETE
(migration 0005); records older than the retention period are removed only by
`audit_prune`, which leaves an anchor record so the chain still verifies.

Logins and failed logins can only be observed through Django's auth signals, so
those three receivers live here (connected in `ResponsibilityConfig.ready`);
everything else calls `audit_record` explicitly from the code that acts."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives import hashes

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.dispatch import receiver
from django.utils import timezone

from furong_portal import ratelimit
from furong_portal.client_ip import client_ip

from .models import AuditEvent

# GB/T 22239-2019 as usually assessed at level 3: 5 failures, 30 minutes.
LOCKOUT_FAILURES = 5
LOCKOUT_DURATION = timedelta(minutes=30)
# Failures in a row from any addresses that lock an account for every address.
ACCOUNT_LOCKOUT_FAILURES = 3 * LOCKOUT_FAILURES

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
        created_at=timezone.now(),
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
    # Stored as the database gives it back, so the hash is computed over what a reader sees.
    event.ip_address = AuditEvent._meta.get_field("ip_address").get_prep_value(event.ip_address)
    event.detail = json.loads(json.dumps(event.detail, default=str))
    with transaction.atomic():
        _chain_lock()
        event.previous_hash = (
            AuditEvent.objects.order_by("-pk").values_list("record_hash", flat=True).first() or CHAIN_GENESIS
        )
        event.record_hash = audit_record_digest(event)
        event.save(force_insert=True)
    return event


# --- The SM3 hash chain ---------------------------------------------------------------

CHAIN_GENESIS = "0" * 64
# pg_advisory_xact_lock key: one writer appends to the chain at a time.
_CHAIN_LOCK_KEY = 0x46524F4E47  # "FRONG"
# GB/T 22239-2019 8.1.4.3 / 网络安全法 第二十一条: audit records are kept at least six months.
AUDIT_MIN_RETENTION = timedelta(days=180)


def _chain_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite (development) serialises writers itself.


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def audit_record_digest(event: AuditEvent) -> str:
    """SM3 over `previous_hash` and the record's fields in a fixed canonical form.

    Migration 0005 holds a frozen copy of this function for the records that existed
    before the chain; change neither without a new migration."""
    fields = {
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "username": event.username,
        "action": event.action,
        "outcome": event.outcome,
        "target": event.target,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "ip_address": event.ip_address,
        "detail": event.detail,
    }
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sm3_hex(f"{event.previous_hash}|{payload}".encode())


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken: AuditEvent | None = None
    reason: str = ""
    last_hash: str = CHAIN_GENESIS


def audit_chain_verify() -> ChainReport:
    """Walk the whole log in order; stop at the first record that does not fit.

    The first remaining record may follow pruned ones: then its `previous_hash`
    must be the anchor an `audit_pruned` record wrote down."""
    anchors = {
        detail.get("anchor")
        for detail in AuditEvent.objects.filter(action=Action.AUDIT_PRUNED).values_list("detail", flat=True)
    }
    expected = None
    checked = 0
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        if expected is None:
            if event.previous_hash != CHAIN_GENESIS and event.previous_hash not in anchors:
                return ChainReport(checked, event, "首条记录既不是链的起点，也不接在已清理记录之后")
        elif event.previous_hash != expected:
            return ChainReport(checked, event, "前一记录摘要不符：其前的记录被删除或改动")
        if audit_record_digest(event) != event.record_hash:
            return ChainReport(checked, event, "记录内容与其摘要不符：该记录被改动")
        expected = event.record_hash
        checked += 1
    return ChainReport(checked, last_hash=expected or CHAIN_GENESIS)


def audit_prune(*, older_than: timedelta, actor=None, dry_run: bool = False) -> int:
    """Delete the records older than `older_than` (at least 180 days), oldest first,
    and append an `audit_pruned` record naming the last removed hash as the anchor
    from which the chain continues."""
    if older_than < AUDIT_MIN_RETENTION:
        raise ValidationError(f"审计日志至少保存 {AUDIT_MIN_RETENTION.days} 天（网络安全法 第二十一条）。")
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        _chain_lock()
        # Only a prefix of the chain goes: up to the first record that is still young.
        first_kept = AuditEvent.objects.filter(created_at__gte=cutoff).order_by("pk").values_list("pk", flat=True).first()
        doomed = AuditEvent.objects.filter(created_at__lt=cutoff)
        if first_kept is not None:
            doomed = doomed.filter(pk__lt=first_kept)
        last = doomed.order_by("-pk").first()
        if last is None or dry_run:
            return doomed.count()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Lets the append-only trigger pass DELETEs of old enough rows, in this transaction only.
                cursor.execute("SET LOCAL furong.audit_prune = 'on'")
        count, _ = doomed.delete()
        audit_record(
            action=Action.AUDIT_PRUNED,
            actor=actor,
            target="审计日志",
            detail={"deleted": count, "through_id": last.pk, "before": cutoff.isoformat(), "anchor": last.record_hash},
        )
    return count


# --- Login lockout -----------------------------------------------------------------
#
# Three rules, so that an attacker is stopped without a stranger being able to keep staff out:
# - an account is locked for 30 minutes after `LOCKOUT_FAILURES` failures in a row from one
#   address (GB/T 22239-2019); the lock holds for that address;
# - after `ACCOUNT_LOCKOUT_FAILURES` failures in a row from anywhere (a password guessed from
#   many addresses) it is locked for every address;
# - an address with too many failures on any accounts (`login_failures_per_ip` in
#   settings.RATE_LIMITS) may not log in at all until its window ends.
# The 安全管理员 lifts an account's lock at once with the user admin's "解除登录锁定"
# (`account_unlock`, recorded as `account_unlocked`): only attempts after the latest unlock count.


def _streak_end(attempts: list[tuple[str, datetime]], length: int, now: datetime) -> datetime | None:
    """When a lock ends that the newest `length` attempts (newest first) impose, or None."""
    recent = attempts[:length]
    if len(recent) < length or any(action != Action.LOGIN_FAILED for action, _, _ in recent):
        return None
    last, first = recent[0][1], recent[-1][1]
    if last - first > LOCKOUT_DURATION or now - last >= LOCKOUT_DURATION:
        return None
    return last + LOCKOUT_DURATION


def login_locked_until(username: str, *, ip: str | None = None, now: datetime | None = None) -> datetime | None:
    """When the lock on `username` (for a login from `ip`) ends, or None if it is not locked.

    Locked: the last `LOCKOUT_FAILURES` attempts from `ip` (from anywhere when `ip` is None),
    or the last `ACCOUNT_LOCKOUT_FAILURES` attempts from anywhere, all failed within
    `LOCKOUT_DURATION` of each other, the last of them less than `LOCKOUT_DURATION` ago.
    Attempts during the lock are recorded as `login_blocked`, so they neither extend the
    lock nor count afterwards."""
    if not username:
        return None
    now = now or timezone.now()
    since = now - 2 * LOCKOUT_DURATION
    unlocked = (
        AuditEvent.objects.filter(action=Action.ACCOUNT_UNLOCKED, username=username[:150], created_at__gte=since)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    attempts = list(
        AuditEvent.objects.filter(
            username=username[:150],
            action__in=(Action.LOGIN, Action.LOGIN_FAILED),
            created_at__gte=max(since, unlocked) if unlocked else since,
        )
        .order_by("-created_at", "-pk")
        .values_list("action", "created_at", "ip_address")[:ACCOUNT_LOCKOUT_FAILURES]
    )
    own = [attempt for attempt in attempts if ip is None or attempt[2] == ip]
    ends = [end for end in (_streak_end(own, LOCKOUT_FAILURES, now), _streak_end(attempts, ACCOUNT_LOCKOUT_FAILURES, now)) if end]
    return max(ends) if ends else None


def login_address_blocked(request) -> bool:
    """True while the client's address has used up its failed logins (any accounts)."""
    return ratelimit.exceeded("login_failures_per_ip", client_ip(request) or "")


class LockoutModelBackend(ModelBackend):
    """Django's backend, refusing a locked account or a blocked address even with the right password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username and (login_address_blocked(request) or login_locked_until(username, ip=client_ip(request))):
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
            if login_address_blocked(self.request):
                raise ValidationError(
                    "该网络地址登录失败次数过多，请 15 分钟后再试；如有急需，请联系安全管理员。", code="address_blocked"
                ) from None
            until = login_locked_until(self.cleaned_data.get("username") or "", ip=client_ip(self.request))
            if until:
                raise ValidationError(
                    "连续 %(count)d 次登录失败，账号已锁定，请于 %(until)s 后再试，或请安全管理员解除锁定。",
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
    address = client_ip(request)
    blocked = login_address_blocked(request) or login_locked_until(username, ip=address)
    action = Action.LOGIN_BLOCKED if blocked else Action.LOGIN_FAILED
    ratelimit.hit("login_failures_per_ip", address or "")
    audit_record(action=action, username=username, outcome=Outcome.FAILURE, request=request)


def account_unlock(*, account, actor, request=None) -> AuditEvent:
    """The 安全管理员 lifts a lockout, for every address: `login_locked_until` counts only the
    attempts after the newest such record (it is filed under the locked account's username)."""
    return audit_record(
        action=Action.ACCOUNT_UNLOCKED, actor=actor, username=account.get_username(), target=account, request=request
    )


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
