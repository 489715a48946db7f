"""Fixtures of the 依申请公开 tests: staff of two units and of the district office, and a
helper that files requests through the services on chosen dates."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from disclosure.requests import services
from disclosure.requests.models import ApplicantKind, Channel, Delivery, HolidayCalendarDay, IdType, Medium
from disclosure.requests.selectors import addressable_units
from responsibility.models import StaffProfile, Unit
from responsibility.roles import ROLE_DISTRICT_OFFICE, ROLE_EDITOR, roles_sync
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
VALID_ID = "430102199003071234"
VALID_ID_2 = "11010519491231002X"
VALID_CREDIT_CODE = "91350100M000100Y43"
UNIT_A = "区教育局"
UNIT_B = "区民政局"


def make_staff(username: str, *, unit: Unit | None, role: str, email: str = ""):
    roles_sync()  # a transactional test may have flushed the groups
    user = UserFactory(username=username, is_staff=True, email=email)
    user.groups.set(Group.objects.filter(name=role))
    StaffProfile.objects.update_or_create(user=user, defaults={"unit": unit})
    return user


@pytest.fixture
def holiday_table(db):
    """The holiday table as the migration pre-filled it (a transactional test may have flushed it)."""
    if not HolidayCalendarDay.objects.filter(source=HolidayCalendarDay.Source.LIBRARY).exists():
        services.holidays_prefill()


@pytest.fixture
def unit_a(seed, holiday_table):
    return Unit.objects.get(name=UNIT_A)


@pytest.fixture
def unit_b(seed, holiday_table):
    return Unit.objects.get(name=UNIT_B)


@pytest.fixture
def office(seed):
    return make_staff("office", unit=None, role=ROLE_DISTRICT_OFFICE, email="office@furong.example")


@pytest.fixture
def staff_a(unit_a):
    return make_staff("editor-a", unit=unit_a, role=ROLE_EDITOR, email="editor-a@furong.example")


@pytest.fixture
def staff_b(unit_b):
    return make_staff("editor-b", unit=unit_b, role=ROLE_EDITOR)


def details(unit: Unit | None = None, **overrides) -> dict:
    """A valid application (自然人 unless overridden)."""
    base = {
        "applicant_kind": ApplicantKind.PERSON,
        "organisation_type": "",
        "applicant_name": "张三",
        "id_type": IdType.ID_CARD,
        "id_number": VALID_ID,
        "contact_person": "",
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "长沙市芙蓉区五一大道1号",
        "postcode": "410011",
        "description": "2020年芙蓉区某道路改造工程的立项批复文件",
        "document_title": "",
        "document_number": "",
        "medium": Medium.ELECTRONIC,
        "delivery": Delivery.EMAIL,
        "unit": unit,
    }
    return {**base, **overrides}


def organisation(kind: str, **overrides) -> dict:
    return {
        "applicant_kind": ApplicantKind.ORGANISATION,
        "organisation_type": kind,
        "applicant_name": "长沙某某有限公司",
        "id_type": IdType.CREDIT_CODE,
        "id_number": VALID_CREDIT_CODE,
        "contact_person": "李四",
        **overrides,
    }


@pytest.fixture
def file_request(office):
    """File a request as the office would register it, received on `received_on`."""

    def file(unit, received_on: dt.date, channel=Channel.POST, **overrides):
        request, _ = services.request_register(
            actor=office, details=details(unit, **overrides), channel=channel, received_on=received_on
        )
        return request

    return file


@pytest.fixture
def units(seed):
    return addressable_units()
