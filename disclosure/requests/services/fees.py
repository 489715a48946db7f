"""信息处理费: the fee notice and its payment (条例 第四十二条, 国办函〔2020〕109号)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from ..fees import PAYMENT_WORKING_DAYS, fee_for_pages, fee_for_request_number
from ..models import FeeNotice, InformationRequest, Step
from ..workdays import WorkCalendar
from .common import (
    Action,
    RequestError,
    _locked,
    _log,
    _notify_applicant,
    _refresh_deadline,
    _require_step,
    _status_hint,
    _today,
)


def applicant_request_number(request: InformationRequest) -> int:
    """Which request of its applicant (same identity document) in its calendar month this is.
    The identity number is stored encrypted; it is matched by its keyed SM3 digest."""
    month_start = request.received_on.replace(day=1)
    return (
        InformationRequest.objects.filter(
            id_type=request.id_type, id_number_digest=request.id_number_digest,
            received_on__gte=month_start, received_on__lte=request.received_on,
        )
        .exclude(received_on=request.received_on, pk__gt=request.pk)
        .count()
    )


def fee_quote(request: InformationRequest, *, basis: str, pages: int | None = None) -> tuple[int, Decimal]:
    """(quantity, amount in yuan) under the 109号 tiers."""
    if basis == FeeNotice.Basis.REQUESTS:
        position = applicant_request_number(request)
        return position, fee_for_request_number(position)
    if basis == FeeNotice.Basis.PAGES:
        if not pages or pages < 1:
            raise RequestError("按量计收须填写页数。")
        return pages, fee_for_pages(pages)
    raise RequestError("请选择计收方式。")


@transaction.atomic
def request_fee_notice(
    *, request: InformationRequest, actor, basis: str, pages: int | None = None, issued_on: dt.date | None = None,
    note: str = "",
) -> FeeNotice:
    """Send a fee notice with the amount of the 109号 tiers and a payment deadline of 20 working
    days; the answer clock stops until payment (at most until that deadline)."""
    issued_on = _today(issued_on)
    request = _locked(request, actor)
    _require_step(request, Step.FEE_NOTICE)
    if request.paused_since is not None:
        raise RequestError("申请正在暂停计时（征求意见或待缴费），请先结束后再发收费通知。")
    if issued_on < request.clock_start_on:
        raise RequestError("收费通知日期不能早于计时起算日期。")
    quantity, amount = fee_quote(request, basis=basis, pages=pages)
    if amount <= 0:
        raise RequestError(
            "未达到收费标准，不收取信息处理费（国办函〔2020〕109号：每月10件以内、每件30页以内不收费）。"
        )
    calendar = WorkCalendar()
    notice = FeeNotice(
        request=request, basis=basis, quantity=quantity, amount=amount, issued_on=issued_on,
        pay_by=calendar.add(issued_on, PAYMENT_WORKING_DAYS), note=(note or "").strip(),
    )  # fmt: skip
    notice.full_clean()
    notice.save()
    request.paused_since = issued_on
    _refresh_deadline(request, calendar)
    request.save(update_fields=["due_on", "due_on_provisional", "paused_since", "overdue_notified_on", "updated_at"])
    _log(
        request, Action.FEE_NOTICE, on=issued_on, actor=actor,
        note=f"{notice.get_basis_display()}（{quantity}），{amount} 元，缴费期限 {notice.pay_by:%Y-%m-%d}。",
    )  # fmt: skip
    _notify_applicant(
        request,
        f"政府信息公开申请（{request.number}）收费通知",
        f"根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），您的申请需缴纳信息处理费 {amount} 元"
        f"（{notice.get_basis_display()}），请于 {notice.pay_by:%Y年%m月%d日} 前缴纳；逾期未缴纳的，视为放弃申请。"
        f"\n{_status_hint(request)}",
    )
    return notice


@transaction.atomic
def request_fee_paid(*, notice: FeeNotice, actor, paid_on: dt.date | None = None) -> FeeNotice:
    """The applicant paid: the clock runs again from the next day."""
    paid_on = _today(paid_on)
    request = _locked(notice.request, actor)
    _require_step(request, Step.FEE_PAID)
    notice = FeeNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.paid_on is not None:
        raise RequestError("该收费通知已登记缴费。")
    if not notice.issued_on <= paid_on <= notice.pay_by:
        raise RequestError(f"缴费日期应在通知日期和缴费期限（{notice.pay_by:%Y-%m-%d}）之间；逾期未缴纳的，视为放弃申请。")
    notice.paid_on = paid_on
    notice.save(update_fields=["paid_on"])
    request.paused_since = None
    _refresh_deadline(request)
    request.save(update_fields=["due_on", "due_on_provisional", "paused_since", "overdue_notified_on", "updated_at"])
    _log(request, Action.FEE_PAID, on=paid_on, actor=actor, note=f"已缴纳 {notice.amount} 元。")
    return notice


def unpaid_notice_lapsed(request: InformationRequest, on: dt.date) -> bool:
    """Whether an unpaid fee notice's deadline passed before `on` — the one ground for (六)2."""
    return request.fee_notices.filter(paid_on__isnull=True, pay_by__lt=on).exists()
