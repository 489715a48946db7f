"""The unit-A staff of the disclosure tests."""

from tests.disclosure.conftest import a, editor, reviewer  # noqa: F401
