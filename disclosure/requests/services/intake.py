"""Creating a request: the public form and the office's registration of a paper request."""

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from furong_portal.personal_data import sm3_keyed_digest
from responsibility import access

from .. import identity
from ..models import ANSWER_WORKING_DAYS, Channel, InformationRequest, RequestSequence
from ..selectors import addressable_units, assignable_units, can_handle_requests
from ..workdays import PROVISIONAL_NOTE, WorkCalendar
from .common import (
    APPLICANT_LABEL,
    Action,
    RequestError,
    _check,
    _log,
    _new_query_code,
    _notify_applicant,
    _status_hint,
    _today,
    normalise_query_code,
)

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


def _issue_number(year: int) -> str:
    sequence, _ = RequestSequence.objects.get_or_create(year=year)
    sequence = RequestSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    return f"YSQ-{year}-{sequence.last_serial:05d}"


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
    request.id_number_digest = sm3_keyed_digest(request.id_number)
    request.number = _issue_number(received_on.year)
    _check(request, exclude=["due_on"])
    calendar = WorkCalendar()
    request.due_on = calendar.add(received_on, ANSWER_WORKING_DAYS)
    request.due_on_provisional = calendar.provisional(received_on, request.due_on)
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
        f"答复期限为 {request.due_on:%Y年%m月%d日}（条例第三十三条，20个工作日）"
        f"{PROVISIONAL_NOTE if request.due_on_provisional else ''}。\n{_status_hint(request)}",
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
