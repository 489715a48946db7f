"""A read compiled once per process and shape returns what its QuerySet returns."""

import datetime

import pytest
from django.utils import timezone

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


def test_rows_follow_every_argument_and_each_shape_compiles_once(seed, django_assert_num_queries):
    moment = timezone.now() - datetime.timedelta(days=2)
    hours = datetime.timedelta(hours=1)
    items = [publish(title=f"第{number}号", published_at=moment - number * hours) for number in range(5)]
    listing = Precompiled(
        lambda ids, since, start: Item.objects.filter(pk__in=ids, published_at__gte=since)
        .only("title", "published_at")
        .order_by("-published_at", "-pk")
        .filter(**({"published_at__lte": start[0], "pk__lte": start[1]} if start else {}))
    )
    ids = [item.pk for item in items]
    for arguments in (
        {"ids": ids, "since": moment - datetime.timedelta(hours=2), "start": None},
        {"ids": ids[2:], "since": moment - datetime.timedelta(hours=9), "start": None},
        {"ids": ids, "since": moment - datetime.timedelta(hours=9), "start": (moment, ids[3])},
        {"ids": ids[1:4], "since": moment - datetime.timedelta(hours=1), "start": None},
    ):
        expected = list(listing.build(**arguments))
        with django_assert_num_queries(1):
            found = listing.rows(**arguments)
        assert [(item.pk, item.title) for item in found] == [(item.pk, item.title) for item in expected]
        assert found[0].get_deferred_fields() == expected[0].get_deferred_fields()
    assert len(listing._compiled) == 3  # 5 ids or 3, with a start or without


def test_an_argument_the_sql_does_not_use_is_refused(seed):
    with pytest.raises(ValueError):
        Precompiled(lambda pk, since: Item.objects.filter(pk=pk)).rows(pk=1, since=timezone.now())


def test_only_integers_and_datetimes_can_vary(seed):
    with pytest.raises(ValueError):
        Precompiled(lambda title: Item.objects.filter(title=title)).rows(title="通知")


def test_instances_are_those_djangos_iterator_builds_and_init_receivers_still_run(seed):
    from django.db.models.signals import post_init

    item = publish(title="一条信息")
    listing = Precompiled(lambda pk: Item.objects.filter(pk=pk).only("title", "column", "published_at"))
    found, expected = listing.get(item.pk), Item.objects.only("title", "column", "published_at").get(pk=item.pk)
    assert {k: v for k, v in found.__dict__.items() if k != "_state"} == {
        k: v for k, v in expected.__dict__.items() if k != "_state"
    }
    assert (found._state.adding, found._state.db) == (False, "default")
    built = []

    def receiver(sender, instance, **kwargs):
        built.append(instance)

    post_init.connect(receiver, sender=Item)
    try:
        assert listing.get(item.pk) is built[0]  # through Model.__init__, as from_db
    finally:
        post_init.disconnect(receiver, sender=Item)
