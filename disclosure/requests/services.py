"""Writes to requests. Every change of a request goes through here: the public form, the
office's registration and each step of the procedure (条例 第二十九–三十六条), the daily
deadline run. Each function checks who may act, validates, runs in one transaction, and
records the step in `RequestEvent`."""

import datetime as dt
import secrets
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from responsibility import access
from responsibility.models import Unit

from . import identity
from .models import (
    ANSWER_WORKING_DAYS,
    CORRECTION_ASK_WORKING_DAYS,
    MAX_EXTENSION_WORKING_DAYS,
    OPEN_STATES,
    Channel,
    Consultation,
    HolidayCalendarDay,
    InformationRequest,
    Outcome,
    OutcomeReason,
    RequestEvent,
    RequestSequence,
    State,
)
from .selectors import addressable_units, assignable_units, can_handle_requests, requests_visible_to
from .workdays import LIBRARY_FIRST_YEAR, LIBRARY_LAST_YEAR, WorkCalendar, library_days

Action = RequestEvent.Action

# What an applicant (or the office, for a paper request) fills in; nothing else is taken
# from outside when a request is created.
APPLICATION_FIELDS = (
    "applicant_kind",
    "organisation_type",
    "applicant_name",
    "id_type",
    "id_number",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
    "description",
    "document_title",
    "document_number",
    "medium",
    "delivery",
    "unit",
)

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


def _require_state(request: InformationRequest, *states: State, doing: str) -> None:
    if request.state not in states:
        allowed = "、".join(State(state).label for state in states)
        raise RequestError(f"申请 {request.number} 当前状态为“{request.get_state_display()}”，只有{allowed}的申请才能{doing}。")


def _check(request: InformationRequest, **exclude) -> None:
    try:
        request.full_clean(**exclude)
    except ValidationError as error:
        raise RequestError("；".join(error.messages)) from error


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _issue_number(year: int) -> str:
    sequence, _ = RequestSequence.objects.get_or_create(year=year)
    sequence = RequestSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    return f"YSQ-{year}-{sequence.last_serial:05d}"


def _new_query_code() -> str:
    code = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def normalise_query_code(code: str) -> str:
    return "".join(char for char in (code or "").upper() if char.isalnum())


def query_code_matches(request: InformationRequest, code: str) -> bool:
    return check_password(normalise_query_code(code), request.query_code_hash)


def request_deadline(request: InformationRequest, calendar: WorkCalendar) -> dt.date | None:
    """20 working days (plus an extension) after the clock start, not counting consultations
    (条例 第三十三条). None while the clock is stopped: during a correction or an open consultation."""
    if request.state == State.CORRECTION:
        return None
    paused = list(request.consultations.values_list("started_on", "ended_on"))
    if any(ended is None for _, ended in paused):
        return None
    return calendar.add(request.clock_start_on, ANSWER_WORKING_DAYS + request.extension_days, paused=paused)


def _refresh_deadline(request: InformationRequest, calendar: WorkCalendar | None = None) -> None:
    request.due_on = request_deadline(request, calendar or WorkCalendar())
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


# --- Creating a request --------------------------------------------------------


def _create(*, details: dict[str, Any], channel: Channel, received_on: dt.date, actor, form_nonce: str | None):
    unknown = set(details) - set(APPLICATION_FIELDS)
    if unknown:
        raise RequestError(f"不接受的字段：{'、'.join(sorted(unknown))}")
    unit = details.get("unit")
    if unit is not None and not addressable_units().filter(pk=unit.pk).exists():
        raise RequestError("所选单位不受理政府信息公开申请，请从列表中选择或选“不清楚”。")
    code = _new_query_code()
    request = InformationRequest(
        **details,
        channel=channel,
        received_on=received_on,
        clock_start_on=received_on,
        form_nonce=form_nonce,
        query_code_hash=make_password(normalise_query_code(code)),
        created_by=actor,
    )
    request.id_number = identity.normalise(request.id_number)
    request.number = _issue_number(received_on.year)
    _check(request, exclude=["due_on"])
    request.due_on = WorkCalendar().add(received_on, ANSWER_WORKING_DAYS)
    request.save()
    return request, code


@transaction.atomic
def request_submit(*, details: dict[str, Any], form_nonce: str, today: dt.date | None = None):
    """An online request from the public form. The clock starts the day the system receives it
    (条例 第三十一条). Returns the request and its query code, which is stored only as a hash.

    Raises `RequestError` for a replayed form (the same one-time token twice)."""
    today = _today(today)
    if InformationRequest.objects.filter(form_nonce=form_nonce).exists():
        raise RequestError("该申请表已经提交过，请勿重复提交。如需再次申请，请重新打开申请页面填写。")
    try:
        with transaction.atomic():
            request, code = _create(
                details=details, channel=Channel.ONLINE, received_on=today, actor=None, form_nonce=form_nonce
            )
    except IntegrityError as error:  # two copies of one form racing each other
        raise RequestError("该申请表已经提交过，请勿重复提交。") from error
    _log(request, Action.SUBMITTED, on=today, actor_label=APPLICANT_LABEL, note="网上提交，系统自动登记。")
    _notify_applicant(
        request,
        f"已收到您的政府信息公开申请（{request.number}）",
        f"您的申请已于 {today:%Y年%m月%d日} 收到，申请编号 {request.number}，查询码 {code}。\n"
        f"答复期限为 {request.due_on:%Y年%m月%d日}（条例第三十三条，20个工作日）。\n{_status_hint(request)}",
    )
    return request, code


@transaction.atomic
def request_register(*, actor, details: dict[str, Any], channel: Channel, received_on: dt.date, note: str = ""):
    """A request the office received on paper, by post, fax, email or in person. `received_on`
    is the day the clock starts (条例 第三十一条: handed in / signed for / confirmed)."""
    if not can_handle_requests(actor):
        raise PermissionDenied("您无权登记政府信息公开申请。")
    if details.get("unit") is not None and not assignable_units(actor).filter(pk=details["unit"].pk).exists():
        raise PermissionDenied("只能登记本单位收到的申请；其他单位的申请请交区政务公开办转办。")
    if details.get("unit") is None and not access.is_district_office(actor):
        details = {**details, "unit": access.unit_of(actor)}
    if received_on > timezone.localdate():
        raise RequestError("收到申请日期不能晚于今天。")
    request, code = _create(details=details, channel=channel, received_on=received_on, actor=actor, form_nonce=None)
    _log(request, Action.REGISTERED, on=received_on, actor=actor, note=note or f"{Channel(channel).label}，工作人员登记。")
    _notify_applicant(
        request,
        f"已登记您的政府信息公开申请（{request.number}）",
        f"您的申请已登记，申请编号 {request.number}，查询码 {code}。{_status_hint(request)}",
    )
    return request, code


# --- The procedure -------------------------------------------------------------


@transaction.atomic
def request_reassign(*, request: InformationRequest, actor, unit: Unit, note: str = "") -> InformationRequest:
    """The district office routes a request to the unit that holds the information."""
    if not access.is_district_office(actor):
        raise PermissionDenied("只有区政务公开办可以转办申请。")
    request = _locked(request, actor)
    _require_state(request, *OPEN_STATES, doing="转办")
    if not addressable_units().filter(pk=unit.pk).exists():
        raise RequestError(f"{unit} 不受理政府信息公开申请（分解表“五、依申请公开”未列该单位）。")
    if unit.pk == request.unit_id:
        raise RequestError(f"申请已由 {unit} 办理。")
    previous = request.unit_display
    request.unit = unit
    request.overdue_notified_on = None
    request.save(update_fields=["unit", "overdue_notified_on", "updated_at"])
    _log(request, Action.REASSIGNED, on=timezone.localdate(), actor=actor, note=f"{previous} → {unit}。{note}".strip())
    return request


@transaction.atomic
def request_accept(*, request: InformationRequest, actor, on: dt.date | None = None) -> InformationRequest:
    """The handling unit starts work on a registered request (已登记 → 办理中)."""
    request = _locked(request, actor)
    _require_state(request, State.REGISTERED, doing="受理办理")
    if request.unit_id is None:
        raise RequestError("申请尚未确定办理单位，请区政务公开办先转办。")
    request.state = State.PROCESSING
    request.save(update_fields=["state", "updated_at"])
    _log(request, Action.ACCEPTED, on=_today(on), actor=actor)
    return request


@transaction.atomic
def request_ask_correction(
    *, request: InformationRequest, actor, instructions: str, due_on: dt.date, asked_on: dt.date | None = None
) -> InformationRequest:
    """Ask the applicant, once, to correct an unclear request (条例 第三十条): within 7 working
    days of receipt, saying what to correct and by when. The answer clock stops."""
    asked_on = _today(asked_on)
    request = _locked(request, actor)
    _require_state(request, State.REGISTERED, State.PROCESSING, doing="告知补正")
    if request.correction_asked_on is not None:
        raise RequestError("补正只能告知一次（条例第三十条），该申请已告知过补正。")
    instructions = (instructions or "").strip()
    if not instructions:
        raise RequestError("请写明需要补正的事项。")
    if asked_on < request.received_on:
        raise RequestError("告知补正日期不能早于收到申请日期。")
    latest = WorkCalendar().add(request.received_on, CORRECTION_ASK_WORKING_DAYS)
    if asked_on > latest:
        raise RequestError(
            f"告知补正须在收到申请之日起7个工作日内（条例第三十条），本申请最迟应于 {latest:%Y-%m-%d} 告知。"
        )
    if due_on <= asked_on:
        raise RequestError("补正期限须晚于告知补正日期。")
    request.state = State.CORRECTION
    request.correction_asked_on = asked_on
    request.correction_instructions = instructions
    request.correction_due_on = due_on
    request.due_on = None
    _check(request)
    request.save()
    _log(request, Action.CORRECTION_ASKED, on=asked_on, actor=actor, note=f"{instructions}（补正期限 {due_on:%Y-%m-%d}）")
    _notify_applicant(
        request,
        f"请补正您的政府信息公开申请（{request.number}）",
        f"您的申请需要补正：{instructions}\n请于 {due_on:%Y年%m月%d日} 前补正；逾期无正当理由不补正的，"
        f"视为放弃申请（条例第三十条）。{_status_hint(request)}",
    )
    return request


@transaction.atomic
def request_receive_correction(
    *, request: InformationRequest, text: str, actor=None, received_on: dt.date | None = None
) -> InformationRequest:
    """The corrected request arrives (online from the status page, or registered by the office);
    the 20 working days start again from that day (条例 第三十条)."""
    received_on = _today(received_on)
    request = _locked(request, actor)
    _require_state(request, State.CORRECTION, doing="补正")
    text = (text or "").strip()
    if not text:
        raise RequestError("请填写补正内容。")
    if received_on < request.correction_asked_on:
        raise RequestError("收到补正日期不能早于告知补正日期。")
    if received_on > request.correction_due_on:
        raise RequestError(f"补正期限（{request.correction_due_on:%Y-%m-%d}）已过，无法再提交补正。")
    request.state = State.PROCESSING
    request.correction_received_on = received_on
    request.correction_text = text
    request.clock_start_on = received_on
    _refresh_deadline(request)
    _check(request)
    request.save()
    _log(request, Action.CORRECTION_RECEIVED, on=received_on, actor=actor, note=text)
    return request


@transaction.atomic
def request_lapse_correction(*, request: InformationRequest, today: dt.date | None = None, actor=None):
    """No correction by the set date: the request ends as 逾期不补正 (条例 第三十条, counted in
    table 三 as 其他处理 1). It ends the day after the correction deadline."""
    today = _today(today)
    request = _locked(request, actor)
    _require_state(request, State.CORRECTION, doing="按逾期不补正办结")
    if today <= request.correction_due_on:
        raise RequestError(f"补正期限（{request.correction_due_on:%Y-%m-%d}）尚未届满。")
    request.state = State.CORRECTION_LAPSED
    request.outcome = Outcome.OTHER
    request.outcome_reason = OutcomeReason.OTHER_NO_CORRECTION
    request.closed_on = request.correction_due_on + dt.timedelta(days=1)
    _check(request)
    request.save()
    _log(
        request,
        Action.CORRECTION_LAPSED,
        on=request.closed_on,
        actor=actor,
        actor_label="" if actor else SYSTEM_LABEL,
        note="申请人未在补正期限内补正，视为放弃申请。",
    )
    return request


@transaction.atomic
def request_extend(
    *, request: InformationRequest, actor, days: int, reason: str, approver: str, extended_on: dt.date | None = None
) -> InformationRequest:
    """One extension of at most 20 working days, approved by the head of the disclosure office,
    the applicant told (条例 第三十三条第二款)."""
    extended_on = _today(extended_on)
    request = _locked(request, actor)
    _require_state(request, State.PROCESSING, doing="延期")
    if request.extension_days:
        raise RequestError("每件申请只能延期一次（条例第三十三条）。")
    if not 1 <= days <= MAX_EXTENSION_WORKING_DAYS:
        raise RequestError(f"延长期限最长不超过{MAX_EXTENSION_WORKING_DAYS}个工作日（条例第三十三条）。")
    if not (reason or "").strip() or not (approver or "").strip():
        raise RequestError("延期须写明理由和批准人（政府信息公开工作机构负责人）。")
    if request.due_on is None:
        raise RequestError("征求意见期间暂停计时，请在征求意见结束后再延期。")
    if extended_on > request.due_on:
        raise RequestError(f"答复期限（{request.due_on:%Y-%m-%d}）已过，不能再延期。")
    request.state = State.EXTENDED
    request.extension_days = days
    request.extension_reason = reason.strip()
    request.extension_approver = approver.strip()
    request.extended_on = extended_on
    _refresh_deadline(request)
    _check(request)
    request.save()
    _log(
        request,
        Action.EXTENDED,
        on=extended_on,
        actor=actor,
        note=f"延长{days}个工作日，批准人：{request.extension_approver}。理由：{request.extension_reason}",
    )
    _notify_applicant(
        request,
        f"您的政府信息公开申请（{request.number}）延期答复",
        f"经批准，答复期限延长{days}个工作日，至 {request.due_on:%Y年%m月%d日}。理由：{request.extension_reason}\n"
        f"{_status_hint(request)}",
    )
    return request


@transaction.atomic
def request_consultation_start(
    *, request: InformationRequest, actor, party: str, started_on: dt.date | None = None, note: str = ""
) -> Consultation:
    """Consult a third party or another agency; the clock pauses (条例 第三十三条第三款)."""
    started_on = _today(started_on)
    request = _locked(request, actor)
    _require_state(request, State.PROCESSING, State.EXTENDED, doing="征求意见")
    if request.consultations.filter(ended_on__isnull=True).exists():
        raise RequestError("上一次征求意见尚未结束。")
    if not (party or "").strip():
        raise RequestError("请写明征求意见的对象。")
    if started_on < request.clock_start_on:
        raise RequestError("征求意见开始日期不能早于计时起算日期。")
    if request.due_on is not None and started_on > request.due_on:
        raise RequestError(f"答复期限（{request.due_on:%Y-%m-%d}）已过，不能再暂停计时。")
    if request.consultations.filter(ended_on__gte=started_on).exists():
        raise RequestError("征求意见期间不能与之前的征求意见重叠。")
    consultation = Consultation(request=request, party=party.strip(), started_on=started_on, note=note)
    consultation.full_clean()
    consultation.save()
    request.due_on = None
    request.save(update_fields=["due_on", "updated_at"])
    _log(request, Action.CONSULTATION_STARTED, on=started_on, actor=actor, note=f"征求 {consultation.party} 的意见。{note}")
    return consultation


@transaction.atomic
def request_consultation_end(
    *, consultation: Consultation, actor, ended_on: dt.date | None = None, note: str = ""
) -> Consultation:
    """The consulted party answered (or its time ran out); the clock runs again."""
    ended_on = _today(ended_on)
    request = _locked(consultation.request, actor)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.ended_on is not None:
        raise RequestError("该征求意见已经结束。")
    if ended_on < consultation.started_on:
        raise RequestError("征求意见结束日期不能早于开始日期。")
    consultation.ended_on = ended_on
    consultation.note = "\n".join(part for part in (consultation.note, note) if part)
    consultation.save(update_fields=["ended_on", "note"])
    _refresh_deadline(request)
    request.save(update_fields=["due_on", "overdue_notified_on", "updated_at"])
    _log(request, Action.CONSULTATION_ENDED, on=ended_on, actor=actor, note=f"{consultation.party} 征求意见结束。{note}")
    return consultation


@transaction.atomic
def request_answer(
    *,
    request: InformationRequest,
    actor,
    outcome: Outcome,
    outcome_reason: OutcomeReason | str = "",
    letter_number: str,
    letter_text: str = "",
    letter_file: UploadedFile | None = None,
    sent_on: dt.date | None = None,
) -> InformationRequest:
    """Answer the request (条例 第三十六条): the outcome row and sub-reason of the annual report,
    the answer letter with its own 文号 (text and/or file), and the date it was sent."""
    sent_on = _today(sent_on)
    request = _locked(request, actor)
    _require_state(request, State.REGISTERED, State.PROCESSING, State.EXTENDED, doing="答复")
    if request.unit_id is None:
        raise RequestError("申请尚未确定办理单位，请区政务公开办先转办。")
    if request.consultations.filter(ended_on__isnull=True).exists():
        raise RequestError("请先登记征求意见结束，再答复。")
    if outcome not in Outcome.values:
        raise RequestError("请选择办理结果。")
    reasons = [reason.value for reason in OutcomeReason.for_outcome(outcome)]
    if reasons and outcome_reason not in reasons:
        raise RequestError(f"“{Outcome(outcome).label}”须选择具体情形。")
    if not reasons and outcome_reason:
        raise RequestError(f"“{Outcome(outcome).label}”没有具体情形，请不要选择。")
    if (outcome, outcome_reason) == (Outcome.OTHER, OutcomeReason.OTHER_NO_CORRECTION):
        raise RequestError("逾期不补正的申请由补正期限届满自动办结，无需答复。")
    letter_number = (letter_number or "").strip()
    if not letter_number:
        raise RequestError("请填写答复书文号。")
    if not (letter_text or "").strip() and not letter_file:
        raise RequestError("请填写答复书正文或上传答复书文件。")
    if sent_on < request.received_on or sent_on > timezone.localdate():
        raise RequestError("答复日期应在收到申请之日和今天之间。")
    if InformationRequest.objects.filter(letter_number=letter_number).exclude(pk=request.pk).exists():
        raise RequestError(f"答复书文号 {letter_number} 已被其他申请使用。")
    request.state = State.ANSWERED
    request.outcome = outcome
    request.outcome_reason = outcome_reason
    request.letter_number = letter_number
    request.letter_text = (letter_text or "").strip()
    if letter_file:
        request.letter_file = letter_file
    request.sent_on = sent_on
    request.closed_on = sent_on
    _check(request)
    request.save()
    late = f"（超过答复期限 {request.due_on:%Y-%m-%d}）" if request.due_on and sent_on > request.due_on else ""
    _log(request, Action.ANSWERED, on=sent_on, actor=actor, note=f"{request.outcome_display}，{letter_number}{late}")
    _notify_applicant(
        request,
        f"您的政府信息公开申请（{request.number}）已答复",
        f"您的申请已于 {sent_on:%Y年%m月%d日} 答复（{letter_number}），办理结果：{request.get_outcome_display()}。\n"
        f"{_status_hint(request)}",
    )
    return request


@transaction.atomic
def request_withdraw(
    *, request: InformationRequest, actor, note: str, withdrawn_on: dt.date | None = None
) -> InformationRequest:
    """The applicant withdraws the request; counted in table 三 as 其他处理 3 其他."""
    withdrawn_on = _today(withdrawn_on)
    request = _locked(request, actor)
    _require_state(request, *OPEN_STATES, doing="撤回")
    if not (note or "").strip():
        raise RequestError("请写明申请人撤回的方式和时间，如“申请人书面撤回”。")
    if withdrawn_on < request.received_on or withdrawn_on > timezone.localdate():
        raise RequestError("撤回日期应在收到申请之日和今天之间。")
    request.state = State.WITHDRAWN
    request.outcome = Outcome.OTHER
    request.outcome_reason = OutcomeReason.OTHER
    request.closed_on = withdrawn_on
    _check(request)
    request.save()
    _log(request, Action.WITHDRAWN, on=withdrawn_on, actor=actor, note=note.strip())
    return request


@transaction.atomic
def request_reset_query_code(*, request: InformationRequest, actor) -> str:
    """A new query code for an applicant who lost theirs; the old one stops working."""
    request = _locked(request, actor)
    code = _new_query_code()
    request.query_code_hash = make_password(normalise_query_code(code))
    request.save(update_fields=["query_code_hash", "updated_at"])
    _log(request, Action.QUERY_CODE_RESET, on=timezone.localdate(), actor=actor)
    return code


# --- The daily run -------------------------------------------------------------


@transaction.atomic
def requests_refresh_deadlines(*, calendar: WorkCalendar) -> list[InformationRequest]:
    """Recount the deadline of every open request (the office may have edited the calendar)."""
    changed = []
    for request in InformationRequest.objects.open().select_for_update().order_by("pk"):
        before = request.due_on
        _refresh_deadline(request, calendar)
        if request.due_on != before:
            request.save(update_fields=["due_on", "overdue_notified_on", "updated_at"])
            _log(
                request, Action.DEADLINE_CHANGED, on=timezone.localdate(), actor_label=SYSTEM_LABEL,
                note=f"节假日安排变更，答复期限由 {before} 改为 {request.due_on}。",
            )
            changed.append(request)
    return changed


def requests_lapse_corrections(*, today: dt.date) -> list[InformationRequest]:
    """End every request whose correction deadline passed without a correction."""
    due = InformationRequest.objects.filter(state=State.CORRECTION, correction_due_on__lt=today).order_by("pk")
    return [request_lapse_correction(request=request, today=today) for request in due]


def _overdue_recipients(unit: Unit | None) -> list[str]:
    """The unit's address and its staff's; the district office's staff for unassigned requests."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if unit is None:
        addresses = list(users.filter(groups__name=access.ROLE_DISTRICT_OFFICE).values_list("email", flat=True))
    else:
        addresses = [unit.email] if unit.email else []
        addresses += list(users.filter(staff_profile__unit=unit).values_list("email", flat=True))
    return sorted(set(addresses))


@transaction.atomic
def requests_notify_overdue(*, today: dt.date, dry_run: bool = False) -> dict[Unit | None, list[InformationRequest]]:
    """Email each handling unit the list of its overdue requests it has not been told about yet.

    Idempotent: a request is reported once (`overdue_notified_on`); a rerun on the same day
    sends nothing. A unit with no address is not marked, so it is told once it has one."""
    by_unit: dict[Unit | None, list[InformationRequest]] = defaultdict(list)
    overdue = (
        InformationRequest.objects.overdue(today)
        .filter(overdue_notified_on__isnull=True)
        .select_related("unit")
        .select_for_update(of=("self",))
        .order_by("unit__order", "due_on", "pk")
    )
    for request in overdue:
        by_unit[request.unit].append(request)
    notified = {}
    for unit, requests in by_unit.items():
        recipients = _overdue_recipients(unit)
        if not recipients:
            continue
        notified[unit] = requests
        if dry_run:
            continue
        lines = [f"{r.number}  收到 {r.received_on:%Y-%m-%d}  答复期限 {r.due_on:%Y-%m-%d}" for r in requests]
        send_mail(
            f"【芙蓉区政府信息公开】{unit or '待转办'}有 {len(requests)} 件政府信息公开申请已超过答复期限",
            "以下申请已超过条例第三十三条规定的答复期限，请尽快办理：\n\n" + "\n".join(lines),
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
        for request in requests:
            request.overdue_notified_on = today
            request.save(update_fields=["overdue_notified_on", "updated_at"])
            _log(request, Action.OVERDUE_NOTIFIED, on=today, actor_label=SYSTEM_LABEL, note="、".join(recipients))
    return notified



# --- The holiday calendar ------------------------------------------------------


def _require_office(actor) -> None:
    if not access.is_district_office(actor):
        raise PermissionDenied("节假日安排只能由区政务公开办维护。")


@transaction.atomic
def holiday_day_save(*, day: HolidayCalendarDay, actor) -> list[InformationRequest]:
    """The office enters or corrects a day of the State Council's notice; open requests'
    deadlines are recounted at once. Returns the requests whose deadline moved."""
    _require_office(actor)
    day.source = HolidayCalendarDay.Source.OFFICE
    day.full_clean()
    day.save()
    return requests_refresh_deadlines(calendar=WorkCalendar())


@transaction.atomic
def holiday_day_delete(*, day: HolidayCalendarDay, actor) -> list[InformationRequest]:
    _require_office(actor)
    day.delete()
    return requests_refresh_deadlines(calendar=WorkCalendar())


@transaction.atomic
def holidays_prefill(*, years: range | None = None) -> int:
    """Copy `chinese-calendar`'s days into the table for the years it knows, keeping every day
    the table already has (the office's word wins). Returns how many days were added."""
    years = years or range(LIBRARY_FIRST_YEAR, LIBRARY_LAST_YEAR + 1)
    existing = set(HolidayCalendarDay.objects.filter(date__year__in=list(years)).values_list("date", flat=True))
    new = [
        HolidayCalendarDay(date=day, is_workday=is_workday, name=name, source=HolidayCalendarDay.Source.LIBRARY)
        for year in years
        for day, is_workday, name in library_days(year)
        if day not in existing
    ]
    HolidayCalendarDay.objects.bulk_create(new)
    return len(new)
