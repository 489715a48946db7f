"""Consulting a third party or another agency, which pauses the answer clock (条例 第三十三条第三款)."""

import datetime as dt

from django.db import transaction

from ..models import Consultation, InformationRequest, Step
from ..workdays import WorkCalendar
from .common import Action, RequestError, _locked, _log, _refresh_deadline, _require_step, _today, consultation_limit


@transaction.atomic
def request_consultation_start(
    *, request: InformationRequest, actor, party: str, started_on: dt.date | None = None, note: str = ""
) -> Consultation:
    """Consult a third party or another agency; the clock pauses (条例 第三十三条第三款)."""
    started_on = _today(started_on)
    request = _locked(request, actor)
    _require_step(request, Step.CONSULT)
    if request.consultations.filter(ended_on__isnull=True).exists():
        raise RequestError("上一次征求意见尚未结束。")
    if not (party or "").strip():
        raise RequestError("请写明征求意见的对象。")
    if started_on < request.clock_start_on:
        raise RequestError("征求意见开始日期不能早于计时起算日期。")
    if request.due_on is not None and started_on > request.due_on:
        raise RequestError(f"答复期限（{request.due_on:%Y-%m-%d}）已过，不能再暂停计时。")
    calendar = WorkCalendar()
    if request.consultations.filter(ended_on__gte=started_on).exists():
        raise RequestError("征求意见期间不能与之前的征求意见重叠。")
    consultation = Consultation(
        request=request, party=party.strip(), started_on=started_on, note=note,
        reply_due_on=consultation_limit(started_on, calendar),
    )  # fmt: skip
    consultation.full_clean()
    consultation.save()
    request.paused_since = started_on
    _refresh_deadline(request, calendar)
    request.save(update_fields=["due_on", "due_on_provisional", "paused_since", "overdue_notified_on", "updated_at"])
    _log(
        request, Action.CONSULTATION_STARTED, on=started_on, actor=actor,
        note=f"征求 {consultation.party} 的意见，第三方答复期限 {consultation.reply_due_on:%Y-%m-%d}（15个工作日）。{note}",
    )  # fmt: skip
    return consultation


@transaction.atomic
def request_consultation_end(
    *, consultation: Consultation, actor, ended_on: dt.date | None = None, note: str = ""
) -> Consultation:
    """The consulted party answered (or its time ran out); the clock runs again."""
    ended_on = _today(ended_on)
    request = _locked(consultation.request, actor)
    _require_step(request, Step.END_CONSULTATION)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.ended_on is not None:
        raise RequestError("该征求意见已经结束。")
    if ended_on < consultation.started_on:
        raise RequestError("征求意见结束日期不能早于开始日期。")
    consultation.ended_on = ended_on
    consultation.note = "\n".join(part for part in (consultation.note, note) if part)
    consultation.save(update_fields=["ended_on", "note"])
    request.paused_since = None
    _refresh_deadline(request)
    request.save(update_fields=["due_on", "due_on_provisional", "paused_since", "overdue_notified_on", "updated_at"])
    _log(request, Action.CONSULTATION_ENDED, on=ended_on, actor=actor, note=f"{consultation.party} 征求意见结束。{note}")
    return consultation
