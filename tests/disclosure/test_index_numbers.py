"""索引号 in the national form `机构代码/YYYY-NNNNN` (国办秘函〔2009〕6号), for ever: the year in
Beijing time, five digits and no more, only validated codes, never an invented prefix."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from disclosure import services
from disclosure.models import IndexSequence, Item
from responsibility.models import Unit
from tests.disclosure.staff import COLUMN_A, UNIT_A, column, unit

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
CREDIT_CODE = "91350100M000100Y43"
ORGANISATION_CODE = "D2143569X"


def draft(*, published_at: dt.datetime, owner: Unit | None = None) -> Item:
    return Item(unit=owner or unit(UNIT_A), column=column(COLUMN_A), title="测试信息", published_at=published_at)


def test_an_item_published_at_3_am_on_new_years_day_beijing_time_gets_the_new_year():
    moment = dt.datetime(2021, 1, 1, 3, 0, tzinfo=BEIJING)  # 2020-12-31 19:00 UTC
    assert services.index_number_issue(item=draft(published_at=moment)).split("/")[1] == "2021-00001"


def test_a_unit_with_its_own_code_numbers_under_it():
    owner = unit(UNIT_A)
    owner.code = ORGANISATION_CODE
    owner.save()
    number = services.index_number_issue(item=draft(published_at=dt.datetime(2024, 5, 6, tzinfo=BEIJING)))
    assert number == f"{ORGANISATION_CODE}/2024-00001"


def test_units_without_a_code_share_the_district_series_without_clashing(settings):
    settings.DISTRICT_ORGANISATION_CODE = CREDIT_CODE
    moment = dt.datetime(2024, 5, 6, tzinfo=BEIJING)
    first = services.index_number_issue(item=draft(published_at=moment))
    second = services.index_number_issue(item=draft(published_at=moment, owner=unit("区财政局")))
    assert (first, second) == (f"{CREDIT_CODE}/2024-00001", f"{CREDIT_CODE}/2024-00002")


def test_no_code_anywhere_refuses_instead_of_inventing_a_prefix(settings):
    settings.DISTRICT_ORGANISATION_CODE = ""
    with pytest.raises(ValidationError, match="尚未录入机构代码"):
        services.index_number_issue(item=draft(published_at=dt.datetime(2024, 5, 6, tzinfo=BEIJING)))
    assert not IndexSequence.objects.exists()


def test_an_invalid_district_code_is_refused(settings):
    settings.DISTRICT_ORGANISATION_CODE = "91350100M000100Y44"
    with pytest.raises(ValidationError, match="校验位"):
        services.index_number_issue(item=draft(published_at=dt.datetime(2024, 5, 6, tzinfo=BEIJING)))


def test_the_100000th_number_of_a_year_is_refused_not_given_six_digits(settings):
    IndexSequence.objects.create(code=settings.DISTRICT_ORGANISATION_CODE, year=2024, last_serial=99998)
    moment = dt.datetime(2024, 5, 6, tzinfo=BEIJING)
    assert services.index_number_issue(item=draft(published_at=moment)).endswith("/2024-99999")
    with pytest.raises(ValidationError, match="流水号已用完"):
        services.index_number_issue(item=draft(published_at=moment))
    assert IndexSequence.objects.get(year=2024).last_serial == 99999


@pytest.mark.parametrize(
    "code, stored",
    [(ORGANISATION_CODE, ORGANISATION_CODE), ("d2143569-x", ORGANISATION_CODE), (CREDIT_CODE.lower(), CREDIT_CODE)],
)
def test_unit_code_accepts_either_national_form(code, stored):
    owner = unit(UNIT_A)
    owner.code = code
    owner.full_clean()
    assert owner.code == stored


@pytest.mark.parametrize(
    "code, message",
    [
        ("D2143569-1", "校验位"),
        ("91350100M000100Y44", "校验位"),
        ("FR0000015", "校验位"),  # the placeholder earlier versions invented
        ("12345", "9位组织机构代码"),
    ],
)
def test_unit_code_with_a_wrong_check_character_or_length_is_rejected(code, message):
    owner = unit(UNIT_A)
    owner.code = code
    with pytest.raises(ValidationError, match=message):
        owner.full_clean()


def test_the_database_refuses_a_malformed_code():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Unit.objects.filter(name=UNIT_A).update(code="abc/123")
