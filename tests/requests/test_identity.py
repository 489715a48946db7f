"""Identity numbers are checked with their published check digits and masked in lists."""

import pytest

from disclosure.requests import identity


@pytest.mark.parametrize("number", ["430102199003071234", "11010519491231002X", "11010519491231002x"])
def test_valid_id_card_numbers_pass(number):
    assert identity.id_card_error(number) is None


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("430102199003071235", "校验位"),  # last digit changed
        ("43010219900307123", "18位"),
        ("4301021990030712345", "18位"),
        ("43010219900307123A", "18位"),
        ("990102199003071234", "行政区划"),
        ("430102199013071234", "出生日期"),  # month 13
        ("430102210003071234", "出生日期"),  # born in 2100
    ],
)
def test_invalid_id_card_numbers_are_refused_with_the_reason(number, message):
    assert message in identity.id_card_error(number)


def test_credit_and_organisation_codes_are_checked():
    assert identity.credit_code_error("91350100M000100Y43") is None
    assert "校验位" in identity.credit_code_error("91350100M000100Y44")
    assert "18位" in identity.credit_code_error("91350100M000100Y4")
    assert identity.organisation_code_error("D2143569-X") is None
    assert "校验位" in identity.organisation_code_error("D2143569-1")


def test_masks_keep_only_the_ends():
    assert identity.mask_id_number("430102199003071234") == "430***********1234"
    assert identity.mask_phone("13812345678") == "138****5678"
    assert identity.mask_person_name("张三丰") == "张**"
    assert identity.mask_email("zhangsan@example.com") == "z*******@example.com"
    assert identity.mask_id_number("AB1") == "A**"
