"""What every step of a request shares: the error it raises, the event it records, the row
lock and state check, the deadline count (条例 第三十三条) and the applicant's query code."""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from responsibility import access

from ..models import (
    ANSWER_WORKING_DAYS,
    CONSULTATION_WORKING_DAYS,
    STEP_FROM_STATES,
    InformationRequest,
    RequestEvent,
    State,
    Step,
)
from ..selectors import requests_visible_to
from ..workdays import WorkCalendar

Action = RequestEvent.Action

# Unambiguous characters only (no 0/O, 1/I/L), so a code read over the phone survives.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
APPLICANT_LABEL = "申请人"
SYSTEM_LABEL = "系统"


class RequestError(Exception):
    """A step the rules do not allow; the message says why, in words for the person acting."""


# --- Helpers -------------------------------------------------------------------


def _actor_label(actor) -> str:
    if actor is None:
        return APPLICANT_LABEL
    unit = access.unit_of(actor)
    name = actor.get_full_name() or actor.get_username()
    return f"{name}（{unit or '区政务公开办'}）"


def _log(request, action, *, on: dt.date, actor=None, actor_label: str = "", note: str = "") -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        action=action,
        effective_on=on,
        actor=actor,
        actor_label=actor_label or _actor_label(actor),
        note=note,
    )


def _locked(request: InformationRequest, actor=None) -> InformationRequest:
    """The request re-read under a row lock, after checking `actor` may handle it."""
    if actor is not None and not requests_visible_to(actor).filter(pk=request.pk).exists():
        raise PermissionDenied("您无权办理该申请：申请只由承办单位和区政务公开办办理。")
    return InformationRequest.objects.select_for_update().get(pk=request.pk)


def _require_step(request: InformationRequest, step: Step) -> None:
    """Refuse `step` unless the procedure's table allows it from the request's state."""
    states = STEP_FROM_STATES[step]
    if request.state not in states:
        allowed = "、".join(State(state).label for state in states)
        raise RequestError(
            f"申请 {request.number} 当前状态为“{request.get_state_display()}”，只有{allowed}的申请才能{step.label}。"
        )


def _check(request: InformationRequest, **exclude) -> None:
    try:
        request.full_clean(**exclude)
    except ValidationError as error:
        raise RequestError("；".join(error.messages)) from error


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _new_query_code() -> str:
    code = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def normalise_query_code(code: str) -> str:
    return "".join(char for char in (code or "").upper() if char.isalnum())


def query_code_matches(request: InformationRequest, code: str) -> bool:
    return check_password(normalise_query_code(code), request.query_code_hash)


def consultation_limit(started_on: dt.date, calendar: WorkCalendar) -> dt.date:
    """The third party's deadline: 15 working days from receiving the consultation (第三十二条)."""
    return calendar.add(started_on, CONSULTATION_WORKING_DAYS)


def paused_intervals(request: InformationRequest, calendar: WorkCalendar) -> list[tuple[dt.date, dt.date]]:
    """The days the answer clock does not run (条例 第三十三条第三款): each consultation until it
    ended — an open one at most until the third party's deadline, so that a consultation nobody
    closes cannot hide a request for ever."""
    intervals = []
    for started, reply_due, ended in request.consultations.values_list("started_on", "reply_due_on", "ended_on"):
        limit = reply_due or consultation_limit(started, calendar)
        intervals.append((started, ended if ended is not None else limit))
    # 国办函〔2020〕109号: from the fee notice until payment, at most until the payment deadline.
    for issued, pay_by, paid in request.fee_notices.values_list("issued_on", "pay_by", "paid_on"):
        intervals.append((issued, paid if paid is not None else pay_by))
    return intervals


def request_deadline(request: InformationRequest, calendar: WorkCalendar) -> dt.date | None:
    """20 working days (plus an extension) after the clock start, not counting the paused
    intervals (条例 第三十三条). None while the applicant corrects the request (第三十条)."""
    if request.state == State.CORRECTION:
        return None
    paused = paused_intervals(request, calendar)
    return calendar.add(request.clock_start_on, ANSWER_WORKING_DAYS + request.extension_days, paused=paused)


def _refresh_deadline(request: InformationRequest, calendar: WorkCalendar | None = None) -> None:
    calendar = calendar or WorkCalendar()
    request.due_on = request_deadline(request, calendar)
    # A deadline counted across a year whose holiday notice is unknown is a forecast.
    request.due_on_provisional = bool(request.due_on) and calendar.provisional(request.clock_start_on, request.due_on)
    if request.due_on is None or request.due_on >= timezone.localdate():
        request.overdue_notified_on = None


def _notify_applicant(request: InformationRequest, subject: str, body: str) -> None:
    """Email the applicant when they gave an address; the office has other ways otherwise."""
    if not request.email:
        return
    recipient = request.email
    transaction.on_commit(
        lambda: send_mail(
            f"【芙蓉区政府信息公开】{subject}", body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=True
        )
    )


def _status_hint(request: InformationRequest) -> str:
    return f"请凭申请编号 {request.number} 和查询码在“依申请公开—查询办理进度”页面查看：{reverse('requests:lookup')}"


# --- Concurrent steps (optimistic locking) --------------------------------------------
#
# Every step records a RequestEvent, so the newest event is the request's version. A step
# form carries the version it was opened at; a step taken on an older version is refused,
# naming the steps taken meanwhile.


def request_version(request: InformationRequest) -> str:
    latest = RequestEvent.objects.filter(request_id=request.pk).order_by("-pk").values_list("pk", flat=True).first()
    return str(latest or 0)


def request_stale_message(request: InformationRequest, version: str) -> str | None:
    """None when `version` is still current; otherwise the refusal, listing the steps since."""
    if not version or version == request_version(request):
        return None
    since = int(version) if version.isdigit() else 0
    steps = [
        f"{event.actor_label} {event.effective_on:%Y-%m-%d} {event.get_action_display()}"
        + (f"（{event.note}）" if event.note else "")
        for event in RequestEvent.objects.filter(request_id=request.pk, pk__gt=since).order_by("pk")
    ]
    return (
        f"未办理：您打开本页之后，申请 {request.number} 已有新的办理步骤，为免与之冲突，本次操作被拒绝。"
        f"期间的步骤：{'；'.join(steps) or '（见办理记录）'}。请返回申请页面查看最新情况后再办理。"
    )

