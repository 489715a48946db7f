"""Each step of the procedure after registration (条例 第二十九–三十六条): routing, acceptance,
correction, extension, answer, withdrawal."""

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from responsibility import access
from responsibility.models import Unit

from ..models import (
    CORRECTION_ASK_WORKING_DAYS,
    MAX_EXTENSION_WORKING_DAYS,
    InformationRequest,
    Outcome,
    OutcomeReason,
    State,
    Step,
)
from ..selectors import addressable_units
from ..workdays import WorkCalendar
from .common import (
    SYSTEM_LABEL,
    Action,
    RequestError,
    _check,
    _locked,
    _log,
    _new_query_code,
    _notify_applicant,
    _refresh_deadline,
    _require_step,
    _status_hint,
    _today,
    normalise_query_code,
)
from .fees import unpaid_notice_lapsed


@transaction.atomic
def request_reassign(*, request: InformationRequest, actor, unit: Unit, note: str = "") -> InformationRequest:
    """The district office routes a request to the unit that holds the information."""
    if not access.is_district_office(actor):
        raise PermissionDenied("只有区政务公开办可以转办申请。")
    request = _locked(request, actor)
    _require_step(request, Step.REASSIGN)
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
    _require_step(request, Step.ACCEPT)
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
    _require_step(request, Step.ASK_CORRECTION)
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
    _require_step(request, Step.RECEIVE_CORRECTION)
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
    _require_step(request, Step.LAPSE_CORRECTION)
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
    _require_step(request, Step.EXTEND)
    if request.extension_days:
        raise RequestError("每件申请只能延期一次（条例第三十三条）。")
    if not 1 <= days <= MAX_EXTENSION_WORKING_DAYS:
        raise RequestError(f"延长期限最长不超过{MAX_EXTENSION_WORKING_DAYS}个工作日（条例第三十三条）。")
    if not (reason or "").strip() or not (approver or "").strip():
        raise RequestError("延期须写明理由和批准人（政府信息公开工作机构负责人）。")
    if request.paused_since is not None:
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
    _require_step(request, Step.ANSWER)
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
    if outcome_reason == OutcomeReason.OTHER_UNPAID_FEE and not unpaid_notice_lapsed(request, sent_on):
        raise RequestError("“逾期未按收费通知要求缴纳费用”只适用于已发出收费通知、缴费期限已过仍未缴费的申请。")
    if outcome_reason == OutcomeReason.UNAVAILABLE_UNCLEAR and request.correction_received_on is None:
        # 条例 第三十条: "still unclear after correction" presupposes a correction asked and received.
        raise RequestError("“补正后申请内容仍不明确”只适用于已告知补正并收到补正的申请；本申请未经补正。")
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
    _require_step(request, Step.WITHDRAW)
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
