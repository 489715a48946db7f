"""信息处理费 (条例 第四十二条; 国办函〔2020〕109号《政府信息公开信息处理费管理办法》).

Free by default. An agency may charge only for requests that exceed what a person ordinarily
needs, by one of two methods, each in marginal tiers:

- 按件计收 — by the number of requests one applicant files in a calendar month: the 1st–10th
  are free, the 11th–30th cost ¥100 each, and from the 31st every further block of 10 costs
  ¥100 more per request (31st–40th ¥200, 41st–50th ¥300, …);
- 按量计收 — by the pages of one request: pages 1–30 free, 31–100 ¥10 a page, 101–200 ¥20 a page,
  over 200 ¥40 a page."""

from decimal import Decimal

FREE_REQUESTS_PER_MONTH = 10
FIRST_PAID_BLOCK_END = 30
PER_REQUEST_STEP = Decimal(100)
PAGE_TIERS = ((30, Decimal(0)), (100, Decimal(10)), (200, Decimal(20)), (None, Decimal(40)))
# 109号: the applicant pays within 20 working days of receiving the notice.
PAYMENT_WORKING_DAYS = 20


def fee_for_request_number(position: int) -> Decimal:
    """The fee of an applicant's `position`-th request in a calendar month (按件计收)."""
    if position <= FREE_REQUESTS_PER_MONTH:
        return Decimal(0)
    if position <= FIRST_PAID_BLOCK_END:
        return PER_REQUEST_STEP
    return PER_REQUEST_STEP * (2 + (position - FIRST_PAID_BLOCK_END - 1) // 10)


def fee_for_pages(pages: int) -> Decimal:
    """The fee of one request of `pages` pages (按量计收), tier by tier."""
    total, lower = Decimal(0), 0
    for upper, rate in PAGE_TIERS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            total += (top - lower) * rate
        if upper is None or pages <= upper:
            break
        lower = upper
    return total
