"""The demo data command: refused in production, a dry run writes nothing; the seed itself has no items."""

import pytest
from django.core.management import CommandError, call_command

from disclosure.models import Item

pytestmark = pytest.mark.django_db


def test_command_refuses_to_run_without_debug_unless_forced(seed, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_items", items=5)
    assert not Item.objects.exists()


def test_command_dry_run_writes_nothing(seed, settings):
    settings.DEBUG = True
    call_command("demo_items", items=5, dry_run=True)
    assert not Item.objects.exists()


def test_seed_fixtures_contain_no_items(seed):
    assert not Item.objects.exists()
