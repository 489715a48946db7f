"""The daily run: recount deadlines, end lapsed corrections, tell units of overdue requests."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from responsibility import access
from responsibility.models import Unit

from ..models import Consultation, InformationRequest, State
from ..workdays import WorkCalendar
from .common import SYSTEM_LABEL, Action, _log, _refresh_deadline
from .procedure import request_lapse_correction


@transaction.atomic
def requests_refresh_deadlines(*, calendar: WorkCalendar) -> list[InformationRequest]:
    """Recount the deadline of every open request (the office may have edited the calendar)."""
    changed = []
    for request in InformationRequest.objects.open().select_for_update().order_by("pk"):
        before, was_provisional = request.due_on, request.due_on_provisional
        _refresh_deadline(request, calendar)
        if (request.due_on, request.due_on_provisional) != (before, was_provisional):
            request.save(update_fields=["due_on", "due_on_provisional", "overdue_notified_on", "updated_at"])
            settled = "（按录入的放假安排确定）" if was_provisional and not request.due_on_provisional else ""
            _log(
                request, Action.DEADLINE_CHANGED, on=timezone.localdate(), actor_label=SYSTEM_LABEL,
                note=f"节假日安排变更，答复期限由 {before} 改为 {request.due_on}{settled}。",
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
        addresses += list(access.unit_staff(unit).exclude(email="").values_list("email", flat=True))
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


@transaction.atomic
def consultations_remind_overdue(*, today: dt.date, dry_run: bool = False) -> list[Consultation]:
    """Remind each handling unit, once, of consultations whose third party let its 15 working
    days pass (条例 第三十二条): the clock runs again and the unit decides without the answer."""
    due = (
        Consultation.objects.filter(ended_on__isnull=True, reply_due_on__lt=today, reminded_on__isnull=True)
        .select_related("request__unit")
        .select_for_update(of=("self",))
        .order_by("request__unit__order", "reply_due_on", "pk")
    )
    reminded = []
    for consultation in due:
        request = consultation.request
        recipients = _overdue_recipients(request.unit)
        if not recipients:
            continue
        reminded.append(consultation)
        if dry_run:
            continue
        send_mail(
            f"【芙蓉区政府信息公开】申请 {request.number} 征求意见已超过第三方答复期限",
            f"申请 {request.number} 于 {consultation.started_on:%Y-%m-%d} 征求 {consultation.party} 的意见，"
            f"第三方答复期限 {consultation.reply_due_on:%Y-%m-%d} 已过（条例第三十二条，15个工作日）。\n"
            f"答复期限已恢复计算，现为 {request.due_on:%Y-%m-%d}；请依法决定并登记征求意见结束。",
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
        consultation.reminded_on = today
        consultation.save(update_fields=["reminded_on"])
        _log(request, Action.OVERDUE_NOTIFIED, on=today, actor_label=SYSTEM_LABEL, note=f"第三方逾期未答复提醒：{'、'.join(recipients)}")
    return reminded
