"""信息处理费 (条例 第四十二条, 国办函〔2020〕109号): the tiers, the notice, the clock paused
until payment, (六)2 only after an unpaid notice, the notice on the status page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from disclosure.requests import services
from disclosure.requests.fees import fee_for_pages, fee_for_request_number
from disclosure.requests.models import FeeNotice, Outcome, OutcomeReason
from disclosure.requests.services import RequestError

from .conftest import details

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    "position, fee", [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)]
)
def test_fee_by_number_of_requests_in_a_month(position, fee):
    assert fee_for_request_number(position) == Decimal(fee)


@pytest.mark.parametrize(
    "pages, fee",
    [(30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],  # by hand: 70×10, +100×20, +50×40
)
def test_fee_by_pages_in_marginal_tiers(pages, fee):
    assert fee_for_pages(pages) == Decimal(fee)


def answer(request, actor, sent_on, reason):
    return services.request_answer(
        request=request, actor=actor, outcome=Outcome.OTHER, outcome_reason=reason,
        letter_number=f"费〔2020〕{request.pk}号", letter_text="答复。", sent_on=sent_on,
    )  # fmt: skip


@pytest.fixture
def processing(unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    services.request_accept(request=request, actor=staff_a)
    return request


def test_no_notice_below_the_thresholds(processing, staff_a):
    with pytest.raises(RequestError, match="未达到收费标准"):
        services.request_fee_notice(request=processing, actor=staff_a, basis="pages", pages=30, issued_on=D(2020, 10, 12))
    with pytest.raises(RequestError, match="未达到收费标准"):
        services.request_fee_notice(request=processing, actor=staff_a, basis="requests", issued_on=D(2020, 10, 12))


def test_the_eleventh_request_of_a_month_costs_100_yuan(unit_a, staff_a, file_request):
    requests = [file_request(unit_a, D(2020, 9, day)) for day in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15)]
    file_request(unit_a, D(2020, 8, 31))  # the month before does not count
    eleventh = requests[-1]
    services.request_accept(request=eleventh, actor=staff_a)
    notice = services.request_fee_notice(request=eleventh, actor=staff_a, basis="requests", issued_on=D(2020, 9, 16))
    assert (notice.quantity, notice.amount) == (11, Decimal(100))


def test_the_clock_stops_from_the_notice_until_payment(processing, staff_a):
    # Without the notice: due 2020-10-29. Notice 10-12 (Monday), paid 10-16 (Friday): 5 working days later.
    notice = services.request_fee_notice(request=processing, actor=staff_a, basis="pages", pages=120, issued_on=D(2020, 10, 12))
    assert notice.amount == Decimal(700 + 20 * 20) and notice.pay_by == D(2020, 11, 9)
    processing.refresh_from_db()
    assert processing.paused_since == D(2020, 10, 12)
    services.request_fee_paid(notice=notice, actor=staff_a, paid_on=D(2020, 10, 16))
    processing.refresh_from_db()
    assert processing.due_on == D(2020, 11, 5) and processing.paused_since is None


def test_unpaid_fee_outcome_only_after_an_unpaid_notice_has_lapsed(processing, staff_a):
    with pytest.raises(RequestError, match="收费通知"):
        answer(processing, staff_a, D(2020, 10, 12), OutcomeReason.OTHER_UNPAID_FEE)
    notice = services.request_fee_notice(request=processing, actor=staff_a, basis="pages", pages=50, issued_on=D(2020, 10, 12))
    with pytest.raises(RequestError, match="缴费期限已过"):
        answer(processing, staff_a, notice.pay_by, OutcomeReason.OTHER_UNPAID_FEE)
    answered = answer(processing, staff_a, notice.pay_by + dt.timedelta(days=1), OutcomeReason.OTHER_UNPAID_FEE)
    assert answered.outcome_reason == OutcomeReason.OTHER_UNPAID_FEE


def test_a_paid_notice_is_no_ground_for_the_unpaid_fee_outcome(processing, staff_a):
    notice = services.request_fee_notice(request=processing, actor=staff_a, basis="pages", pages=50, issued_on=D(2020, 10, 12))
    services.request_fee_paid(notice=notice, actor=staff_a, paid_on=D(2020, 10, 13))
    with pytest.raises(RequestError, match="收费通知"):
        answer(processing, staff_a, D(2020, 12, 1), OutcomeReason.OTHER_UNPAID_FEE)


def test_the_status_page_shows_the_notice(client, unit_a, staff_a):
    request, code = services.request_submit(details=details(unit_a), form_nonce="fee", today=D(2020, 9, 25))
    services.request_accept(request=request, actor=staff_a)
    services.request_fee_notice(request=request, actor=staff_a, basis="pages", pages=45, issued_on=D(2020, 9, 28))
    client.post(reverse("requests:lookup"), {"number": request.number, "code": code})
    html = client.get(reverse("requests:status", args=(request.number,))).content.decode()
    assert 'data-testid="fee-notices"' in html and "150.00 元" in html and "缴费期限" in html
    assert FeeNotice.objects.count() == 1
