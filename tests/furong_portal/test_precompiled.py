"""A one-row read compiled once per process returns what its QuerySet returns."""

import pytest

from disclosure.models import Item
from furong_portal.precompiled import Precompiled
from tests.disclosure.public_data import attach, publish

pytestmark = pytest.mark.django_db


def test_the_row_is_the_querysets_with_its_annotations_and_deferred_fields(seed, django_assert_num_queries):
    item = publish(title="带附件的通知")
    attach(item)
    row = Precompiled(lambda pk: Item.objects.filter(pk=pk).defer("body").with_page_flags())
    for _ in range(2):  # compiled once, then only run
        with django_assert_num_queries(1):
            found = row.get(item.pk)
        assert found == item and found.title == "带附件的通知" and found.has_attachments and not found.is_linked
        assert found.get_deferred_fields() == {"body"}


def test_a_missing_row_is_none(seed):
    assert Precompiled(lambda pk: Item.objects.filter(pk=pk)).get(123456789) is None


def test_a_queryset_that_ignores_the_key_is_refused(seed):
    with pytest.raises(ValueError):
        Precompiled(lambda pk: Item.objects.all()).get(1)


def test_a_queryset_joining_another_model_is_refused(seed):
    with pytest.raises(ValueError):
        Precompiled(lambda pk: Item.objects.filter(pk=pk).select_related("unit")).get(1)
