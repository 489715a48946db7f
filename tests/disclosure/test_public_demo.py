"""The demo data: every leaf column filled, metadata consistent, all kinds present."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from disclosure.demo import create_demo_items, leaf_columns_with_units
from disclosure.models import Attachment, IndexSequence, Item
from disclosure.uploads import validate_attachment
from responsibility.models import Column

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """1,500 demo items, built once for the module (seconds each time) inside a transaction
    that is rolled back after its last test; each test runs in a savepoint within it. The
    tests that need an empty portal live in test_demo_command.py, out of its reach."""
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=media / "private"),
        transaction.atomic(),
    ):
        if not Column.objects.exists():  # a transactional (browser) test flushed the seed
            call_command("load_seed", verbosity=0)
        yield create_demo_items(items=1500, seed=7)
        transaction.set_rollback(True)


def test_creates_exactly_the_requested_number_in_every_leaf_column(demo):
    assert Item.objects.count() == demo.items == 1500
    leaves = set(Column.objects.leaves().values_list("pk", flat=True))
    assert set(Item.objects.values_list("column", flat=True).distinct()) == leaves
    assert not Item.objects.exclude(column__in=leaves).exists()


def test_units_come_from_the_column_duties_with_collectives_resolved(demo):
    allowed = {column.pk: {unit.pk for unit in units} for column, units in leaf_columns_with_units()}
    for column_id, unit_id in Item.objects.values_list("column", "unit").distinct():
        assert unit_id in allowed[column_id]
    # 各街道办事处 is a collective: its member subdistricts publish annual reports.
    assert Item.objects.filter(column__slug="4-2", unit__kind="subdistrict").exists()


def test_normative_documents_have_all_three_statuses_and_successors(demo):
    statuses = dict(Item.objects.normative().values_list("validity").annotate(n=Count("pk")))
    assert set(statuses) == {"valid", "expired", "repealed"}
    replaced = Item.objects.normative().exclude(validity="valid")
    assert replaced.filter(successor__isnull=False).count() == replaced.count()
    for old in replaced.select_related("successor")[:20]:
        assert old.successor.validity == "valid" and old.successor.published_at > old.published_at


def test_interpretations_point_to_normative_documents(demo):
    interpretations = Item.objects.interpretations().select_related("interprets")
    assert demo.interpretations == interpretations.count() > 0
    assert all(item.interprets.is_normative and item.genre == "interpretation" for item in interpretations)


def test_index_numbers_are_unique_per_code_and_year_and_sequences_continue(demo):
    published = Item.objects.exclude(index_number=None)
    assert published.count() == Item.objects.exclude(published_at=None).count()
    for sequence in IndexSequence.objects.all():
        assert published.filter(index_number=f"{sequence.code}/{sequence.year}-{sequence.last_serial:05d}").exists()


def test_a_second_run_continues_the_index_sequences(demo):
    create_demo_items(items=200, seed=8)
    assert Item.objects.count() == 1700
    assert Item.objects.values("index_number").distinct().count() == Item.objects.count() - Item.objects.filter(
        index_number=None
    ).count() + 1  # all drafts share NULL


def test_attachments_are_real_files_that_pass_the_upload_check(demo):
    attachments = Attachment.objects.all()
    assert demo.attachments == attachments.count() > 0
    for attachment in attachments[:10]:
        with attachment.file.open("rb") as handle:
            upload = SimpleUploadedFile(attachment.name, handle.read())
        assert upload.size == attachment.size
        assert validate_attachment(upload) == attachment.content_type


def test_demo_items_are_searchable(demo):
    assert Item.objects.published().search("扶贫").filter(column__slug="3-12-1").exists()


def test_demo_contains_withdrawn_drafts_and_scheduled_items(demo):
    assert demo.withdrawn + demo.drafts + demo.scheduled > 0
    assert Item.objects.filter(state="withdrawn").count() == demo.withdrawn


def test_every_demo_item_is_four_clicks_from_home(demo):
    """Home links every column (1 click); a column page links each year (2) and, within a
    year, every page number up to FULL_PAGE_RANGE (3); the page links the item (4)."""
    from collections import Counter

    from disclosure.views import FULL_PAGE_RANGE, PAGE_SIZE

    per_year = Counter(
        (column_id, published_at.year) for column_id, published_at in Item.objects.published().values_list("column", "published_at")
    )
    assert max(per_year.values()) <= FULL_PAGE_RANGE * PAGE_SIZE
