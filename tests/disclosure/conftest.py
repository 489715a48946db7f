import pytest

from tests.disclosure.staff import UNIT_A, editor_of, reviewer_of, unit


@pytest.fixture
def a(seed):
    """Unit A of the adversarial pairs in `tests.disclosure.staff`."""
    return unit(UNIT_A)


@pytest.fixture
def editor(a):
    return editor_of(a)


@pytest.fixture
def reviewer(a):
    return reviewer_of(a)
