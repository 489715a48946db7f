import pytest

from responsibility.models import Column
from responsibility.roles import ROLE_DISTRICT_OFFICE, ROLE_EDITOR, ROLE_REVIEWER
from tests.requests.conftest import (  # noqa: F401 (fixtures)
    UNIT_A, UNIT_B, file_request, holiday_table, make_staff, office, unit_a, unit_b,
)  # fmt: skip


@pytest.fixture
def editor_a(unit_a):
    return make_staff("editor-a", unit=unit_a, role=ROLE_EDITOR)


@pytest.fixture
def reviewer_a(unit_a):
    return make_staff("reviewer-a", unit=unit_a, role=ROLE_REVIEWER)


@pytest.fixture
def editor_b(unit_b):
    return make_staff("editor-b", unit=unit_b, role=ROLE_EDITOR)


@pytest.fixture
def office_2(seed):
    return make_staff("office-2", unit=None, role=ROLE_DISTRICT_OFFICE)


@pytest.fixture
def departments_column(seed):
    """部门政府信息公开年报 (4-3), whose duty is 区直各部门."""
    return Column.objects.get(slug="4-3")


@pytest.fixture
def district_column(seed):
    return Column.objects.get(slug="4-1")
