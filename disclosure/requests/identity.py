"""Checking and masking the identity data a request carries (条例 第二十九条).

The checks are the published check-digit rules, so a typo is caught at the form:
居民身份证 GB 11643-1999, 统一社会信用代码 GB 32100-2015, 组织机构代码 GB 11714-1997."""

import datetime as dt
import re

from responsibility.codes import credit_code_error, organisation_code_error  # noqa: F401 (checked here too)

# GB/T 2260 province-level prefixes (83: 台湾居民居住证 issued on the mainland).
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
ID_CARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CARD_CHECK = "10X98765432"


def normalise(number: str) -> str:
    return re.sub(r"\s+", "", number or "").upper()


def id_card_error(number: str, today: dt.date | None = None) -> str | None:
    """Why `number` is not a valid 18-digit 居民身份证号码, or None if it is."""
    number = normalise(number)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "居民身份证号码应为18位，前17位为数字，最后一位为数字或X。"
    if number[:2] not in PROVINCES:
        return "居民身份证号码的前两位不是有效的省级行政区划代码。"
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期无效。"
    if not dt.date(1900, 1, 1) <= birth <= (today or dt.date.today()):
        return "居民身份证号码中的出生日期无效。"
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_CARD_WEIGHTS))
    if ID_CARD_CHECK[total % 11] != number[17]:
        return "居民身份证号码校验位不正确，请核对后重新输入。"
    return None


def mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    """`430***********1234`: keep the ends, star the rest; short values keep less."""
    value = value or ""
    if len(value) <= keep_start + keep_end:
        keep_start, keep_end = min(1, len(value)), 0
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + (value[-keep_end:] if keep_end else "")


def mask_id_number(number: str) -> str:
    return mask_middle(number, 3, 4)


def mask_phone(phone: str) -> str:
    return mask_middle(phone, 3, 4)


def mask_person_name(name: str) -> str:
    return mask_middle(name, 1, 0)


def mask_address(address: str) -> str:
    """The district and street stay readable, the house number does not."""
    address = address or ""
    return address[:6] + "*" * min(len(address) - 6, 8) if len(address) > 6 else mask_middle(address, 1, 0)


def mask_email(email: str) -> str:
    local, at, domain = (email or "").partition("@")
    return f"{mask_middle(local, 1, 0)}{at}{domain}" if at else mask_middle(local, 1, 0)
