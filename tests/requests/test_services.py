"""The state machine of a request (条例 第三十–三十六条): every step through its service, every
refusal with a reason, every step kept."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from disclosure.requests import services
from disclosure.requests.models import (
    Channel,
    InformationRequest,
    Outcome,
    OutcomeReason,
    RequestEvent,
    State,
)
from disclosure.requests.services import RequestError

from .conftest import details

pytestmark = pytest.mark.django_db

D = dt.date
A = RequestEvent.Action


def answer(request, actor, *, sent_on, outcome=Outcome.DISCLOSED, reason="", number=None):
    return services.request_answer(
        request=request, actor=actor, outcome=outcome, outcome_reason=reason,
        letter_number=number or f"芙教信复〔2020〕{request.pk}号", letter_text="经审查，现答复如下……", sent_on=sent_on,
    )


def test_online_submission_gets_number_code_and_20_working_day_deadline(unit_a, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        request, code = services.request_submit(details=details(unit_a), form_nonce="n1", today=D(2020, 9, 25))
    assert request.number == "YSQ-2020-00001"
    assert request.channel == Channel.ONLINE and request.state == State.REGISTERED
    assert request.received_on == request.clock_start_on == D(2020, 9, 25)
    assert request.due_on == D(2020, 10, 29)
    assert services.query_code_matches(request, code)
    assert services.query_code_matches(request, code.lower().replace("-", ""))
    assert code not in request.query_code_hash
    assert not services.query_code_matches(request, "AAAA-AAAA")
    assert [e.action for e in request.events.all()] == [A.SUBMITTED]
    assert len(mailoutbox) == 1 and code in mailoutbox[0].body and request.number in mailoutbox[0].subject


def test_numbers_run_per_year(unit_a, file_request):
    first = file_request(unit_a, D(2020, 12, 31))
    second = file_request(unit_a, D(2020, 12, 30))
    third = file_request(unit_a, D(2021, 1, 4))
    assert (first.number, second.number, third.number) == ("YSQ-2020-00001", "YSQ-2020-00002", "YSQ-2021-00001")


def test_replayed_form_token_is_refused(unit_a):
    services.request_submit(details=details(unit_a), form_nonce="same", today=D(2020, 9, 25))
    with pytest.raises(RequestError, match="已经提交过"):
        services.request_submit(details=details(unit_a), form_nonce="same", today=D(2020, 9, 25))
    assert InformationRequest.objects.count() == 1


def test_unit_without_duty_on_column_five_is_refused(seed):
    from responsibility.models import Unit

    outsider = Unit.objects.get(name="长沙供电公司")
    with pytest.raises(RequestError, match="不受理"):
        services.request_submit(details=details(outsider), form_nonce="x", today=D(2020, 9, 25))
    assert not InformationRequest.objects.exists()


def test_invalid_identity_number_is_refused_by_the_service_too(unit_a):
    with pytest.raises(RequestError, match="校验位"):
        services.request_submit(details=details(unit_a, id_number="430102199003071235"), form_nonce="x")
    assert not InformationRequest.objects.exists()


def test_correction_stops_the_clock_and_restarts_it_on_the_corrected_request(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    # The 7 working days after 9-25 run to 10-12, so 10-09 is in time.
    request = services.request_ask_correction(
        request=request, actor=staff_a, instructions="请写明项目名称", due_on=D(2020, 10, 23), asked_on=D(2020, 10, 9)
    )
    assert request.state == State.CORRECTION and request.due_on is None
    request = services.request_receive_correction(request=request, text="某道路改造工程", received_on=D(2020, 10, 16))
    assert request.state == State.PROCESSING
    assert request.clock_start_on == D(2020, 10, 16)
    assert request.due_on == D(2020, 11, 13)  # 20 working days after 10-16
    assert [e.action for e in request.events.all()] == [A.REGISTERED, A.CORRECTION_ASKED, A.CORRECTION_RECEIVED]


def test_correction_is_asked_once_only(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    services.request_ask_correction(request=request, actor=staff_a, instructions="a", due_on=D(2020, 10, 23), asked_on=D(2020, 9, 28))
    services.request_receive_correction(request=request, text="b", received_on=D(2020, 9, 30))
    with pytest.raises(RequestError, match="只能告知一次"):
        services.request_ask_correction(request=request, actor=staff_a, instructions="c", due_on=D(2020, 10, 23), asked_on=D(2020, 10, 9))


def test_correction_must_be_asked_within_7_working_days(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    # Day 7 after 9-25 is 10-12 (9-27 and 10-10 count, the National Day week does not).
    with pytest.raises(RequestError, match="2020-10-12"):
        services.request_ask_correction(request=request, actor=staff_a, instructions="a", due_on=D(2020, 10, 30), asked_on=D(2020, 10, 13))
    request.refresh_from_db()
    assert request.state == State.REGISTERED and request.correction_asked_on is None


def test_no_correction_by_the_set_date_ends_the_request_as_lapsed(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    services.request_ask_correction(request=request, actor=staff_a, instructions="a", due_on=D(2020, 10, 16), asked_on=D(2020, 9, 28))
    with pytest.raises(RequestError, match="尚未届满"):
        services.request_lapse_correction(request=request, today=D(2020, 10, 16))
    with pytest.raises(RequestError, match="已过"):
        services.request_receive_correction(request=request, text="late", received_on=D(2020, 10, 17))
    request = services.request_lapse_correction(request=request, today=D(2020, 10, 19))
    assert request.state == State.CORRECTION_LAPSED
    assert (request.outcome, request.outcome_reason) == (Outcome.OTHER, OutcomeReason.OTHER_NO_CORRECTION)
    assert request.closed_on == D(2020, 10, 17)
    assert request.events.last().actor_label == "系统"


def test_extension_adds_at_most_20_working_days_once(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    services.request_accept(request=request, actor=staff_a, on=D(2020, 9, 28))
    with pytest.raises(RequestError, match="最长不超过20"):
        services.request_extend(request=request, actor=staff_a, days=21, reason="r", approver="王主任", extended_on=D(2020, 10, 20))
    with pytest.raises(RequestError, match="理由和批准人"):
        services.request_extend(request=request, actor=staff_a, days=20, reason="", approver="", extended_on=D(2020, 10, 20))
    request = services.request_extend(
        request=request, actor=staff_a, days=20, reason="涉及档案调取", approver="王主任", extended_on=D(2020, 10, 20)
    )
    assert request.state == State.EXTENDED
    assert request.due_on == D(2020, 11, 26)  # 40 working days after 9-25
    with pytest.raises(RequestError):
        services.request_extend(request=request, actor=staff_a, days=1, reason="r", approver="a", extended_on=D(2020, 10, 21))


def test_extension_after_the_deadline_is_refused(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    services.request_accept(request=request, actor=staff_a)
    with pytest.raises(RequestError, match="已过"):
        services.request_extend(request=request, actor=staff_a, days=5, reason="r", approver="a", extended_on=D(2020, 10, 30))


def test_database_refuses_an_extension_over_20_days(unit_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationRequest.objects.filter(pk=request.pk).update(
            extension_days=21, extension_reason="r", extension_approver="a", extended_on=D(2020, 10, 1)
        )


def test_consultation_pauses_the_clock(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    services.request_accept(request=request, actor=staff_a)
    consultation = services.request_consultation_start(request=request, actor=staff_a, party="某公司", started_on=D(2020, 10, 12))
    request.refresh_from_db()
    # Paused at most until the third party's 15 working days end (11-02): 6 days counted before,
    # 14 after, so 11-20 while the consultation is open (条例 第三十二、三十三条).
    assert (consultation.reply_due_on, request.due_on, request.paused_since) == (D(2020, 11, 2), D(2020, 11, 20), D(2020, 10, 12))
    with pytest.raises(RequestError, match="征求意见结束"):
        answer(request, staff_a, sent_on=D(2020, 10, 13))
    services.request_consultation_end(consultation=consultation, actor=staff_a, ended_on=D(2020, 10, 16))
    request.refresh_from_db()
    assert request.due_on == D(2020, 11, 5) and request.paused_since is None
    assert [e.action for e in request.events.all()][-2:] == [A.CONSULTATION_STARTED, A.CONSULTATION_ENDED]


def test_a_consultation_nobody_closes_cannot_hide_a_request(unit_a, staff_a, file_request, mailoutbox):
    from disclosure.requests.models import InformationRequest
    from disclosure.requests.selectors import deadline_status
    from disclosure.requests.workdays import WorkCalendar

    request = file_request(unit_a, D(2020, 9, 25))
    services.request_accept(request=request, actor=staff_a)
    consultation = services.request_consultation_start(request=request, actor=staff_a, party="某公司", started_on=D(2020, 10, 12))
    assert not InformationRequest.objects.overdue(D(2020, 11, 20)).exists()
    assert list(InformationRequest.objects.overdue(D(2020, 11, 23))) == [request]
    request.refresh_from_db()
    status = deadline_status(request, today=D(2020, 11, 23), calendar=WorkCalendar())
    assert status.overdue and status.paused and status.days_paused == 42
    assert "暂停计时中（已 42 天）" in status.label and "已逾期 1 个工作日" in status.label
    # The unit is reminded once when the third party's 15 working days have passed.
    assert services.consultations_remind_overdue(today=D(2020, 11, 2)) == []
    assert services.consultations_remind_overdue(today=D(2020, 11, 3)) == [consultation]
    assert services.consultations_remind_overdue(today=D(2020, 11, 4)) == []
    assert len(mailoutbox) == 1 and "第三方答复期限" in mailoutbox[0].subject


def test_answer_records_outcome_reason_letter_and_date(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    with pytest.raises(RequestError, match="具体情形"):
        answer(request, staff_a, sent_on=D(2020, 10, 9), outcome=Outcome.WITHHELD)
    with pytest.raises(RequestError, match="没有具体情形"):
        answer(request, staff_a, sent_on=D(2020, 10, 9), outcome=Outcome.PARTLY, reason=OutcomeReason.WITHHELD_STATE_SECRET)
    request = answer(request, staff_a, sent_on=D(2020, 10, 9), outcome=Outcome.WITHHELD, reason=OutcomeReason.WITHHELD_THIRD_PARTY)
    assert request.state == State.ANSWERED and request.closed_on == D(2020, 10, 9)
    assert request.outcome_display == "不予公开：保护第三方合法权益"
    assert request.events.last().actor == staff_a


def test_answer_letter_number_is_unique(unit_a, staff_a, file_request):
    first = file_request(unit_a, D(2020, 9, 25))
    second = file_request(unit_a, D(2020, 9, 25))
    answer(first, staff_a, sent_on=D(2020, 10, 9), number="芙教信复〔2020〕1号")
    with pytest.raises(RequestError, match="已被其他申请使用"):
        answer(second, staff_a, sent_on=D(2020, 10, 9), number="芙教信复〔2020〕1号")


def test_answer_needs_letter_text_or_file(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    with pytest.raises(RequestError, match="正文或上传"):
        services.request_answer(request=request, actor=staff_a, outcome=Outcome.DISCLOSED, letter_number="x", sent_on=D(2020, 10, 9))


def test_closed_request_takes_no_further_step(unit_a, staff_a, file_request):
    request = answer(file_request(unit_a, D(2020, 9, 25)), staff_a, sent_on=D(2020, 10, 9))
    with pytest.raises(RequestError, match="已答复"):
        services.request_withdraw(request=request, actor=staff_a, note="n", withdrawn_on=D(2020, 10, 10))
    with pytest.raises(RequestError):
        services.request_ask_correction(request=request, actor=staff_a, instructions="a", due_on=D(2020, 10, 20), asked_on=D(2020, 9, 28))


def test_withdrawal_is_counted_as_other(unit_a, staff_a, file_request):
    request = services.request_withdraw(
        request=file_request(unit_a, D(2020, 9, 25)), actor=staff_a, note="申请人书面撤回", withdrawn_on=D(2020, 9, 30)
    )
    assert (request.state, request.outcome, request.outcome_reason) == (State.WITHDRAWN, Outcome.OTHER, OutcomeReason.OTHER)


def test_other_units_staff_cannot_act_on_a_request(unit_a, staff_b, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    for step in (
        lambda: services.request_accept(request=request, actor=staff_b),
        lambda: answer(request, staff_b, sent_on=D(2020, 10, 9)),
        lambda: services.request_withdraw(request=request, actor=staff_b, note="n"),
        lambda: services.request_reset_query_code(request=request, actor=staff_b),
    ):
        with pytest.raises(PermissionDenied):
            step()
    request.refresh_from_db()
    assert request.state == State.REGISTERED and request.events.count() == 1


def test_only_the_district_office_reassigns(unit_a, unit_b, staff_a, office, file_request):
    request = file_request(None, D(2020, 9, 25))
    with pytest.raises(PermissionDenied):
        services.request_reassign(request=request, actor=staff_a, unit=unit_a)
    with pytest.raises(RequestError, match="先转办"):
        services.request_accept(request=request, actor=office)
    request = services.request_reassign(request=request, actor=office, unit=unit_b, note="属民政职责")
    assert request.unit == unit_b
    assert "不清楚" in request.events.last().note


def test_unit_staff_register_only_for_their_own_unit(unit_a, unit_b, staff_a):
    with pytest.raises(PermissionDenied):
        services.request_register(actor=staff_a, details=details(unit_b), channel=Channel.POST, received_on=D(2020, 9, 25))
    request, code = services.request_register(
        actor=staff_a, details=details(None), channel=Channel.IN_PERSON, received_on=D(2020, 9, 25)
    )
    assert request.unit == unit_a and request.created_by == staff_a and services.query_code_matches(request, code)


def test_reset_query_code_invalidates_the_old_one(unit_a, staff_a, file_request, office):
    request, old = services.request_register(actor=office, details=details(unit_a), channel=Channel.POST, received_on=D(2020, 9, 25))
    new = services.request_reset_query_code(request=request, actor=staff_a)
    request.refresh_from_db()
    assert services.query_code_matches(request, new) and not services.query_code_matches(request, old)


def test_still_unclear_after_correction_needs_a_correction(unit_a, staff_a):
    request, _ = services.request_submit(details=details(unit_a), form_nonce="unclear", today=dt.date(2020, 9, 25))
    with pytest.raises(RequestError, match="未经补正"):
        answer(request, staff_a, sent_on=dt.date(2020, 9, 28), outcome=Outcome.UNAVAILABLE, reason=OutcomeReason.UNAVAILABLE_UNCLEAR)
    services.request_ask_correction(request=request, actor=staff_a, instructions="请写明道路名称", due_on=dt.date(2020, 10, 20), asked_on=dt.date(2020, 9, 28))
    services.request_receive_correction(request=request, text="仍是某条路", received_on=dt.date(2020, 9, 29))
    request = answer(request, staff_a, sent_on=dt.date(2020, 9, 30), outcome=Outcome.UNAVAILABLE, reason=OutcomeReason.UNAVAILABLE_UNCLEAR)
    assert request.outcome_reason == OutcomeReason.UNAVAILABLE_UNCLEAR


def test_ending_a_consultation_of_a_withdrawn_request_is_refused(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    services.request_accept(request=request, actor=staff_a)
    consultation = services.request_consultation_start(request=request, actor=staff_a, party="某公司", started_on=D(2020, 10, 12))
    services.request_withdraw(request=request, actor=staff_a, note="申请人书面撤回", withdrawn_on=D(2020, 10, 13))
    request.refresh_from_db()
    due_before = request.due_on
    with pytest.raises(RequestError, match="只有办理中、延期办理中的申请才能结束征求意见"):
        services.request_consultation_end(consultation=consultation, actor=staff_a, ended_on=D(2020, 10, 16))
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN and request.due_on == due_before
    assert A.CONSULTATION_ENDED not in [e.action for e in request.events.all()]


def test_the_admins_buttons_and_the_services_read_one_transition_table(unit_a, staff_a, office, file_request):
    from disclosure.requests.admin import STEPS, available_steps
    from disclosure.requests.models import STEP_FROM_STATES, Step

    assert set(STEPS) == {step.value for step in Step} - {Step.LAPSE_CORRECTION.value}
    request = file_request(unit_a, D(2020, 9, 25))
    for state in State:
        request.state = state
        offered = {name for name, _ in available_steps(request, office)}
        assert all(state in STEP_FROM_STATES[Step(name)] for name in offered), state
    request.refresh_from_db()
    with pytest.raises(RequestError, match="只有办理中的申请才能延期"):
        services.request_extend(request=request, actor=staff_a, days=5, reason="需要调取档案", approver="张主任")
