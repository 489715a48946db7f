import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from disclosure.models import Item
from responsibility.models import Column, Unit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Unit.Kind.DEPARTMENT
    order = factory.Sequence(lambda n: 1000 + n)


class ColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Column

    number = factory.Sequence(lambda n: f"{n}.")
    title = factory.Sequence(lambda n: f"测试栏目{n}")
    slug = factory.Sequence(lambda n: f"test-{n}")
    order = factory.Sequence(lambda n: 1000 + n)
    level = factory.LazyAttribute(lambda o: o.parent.level + 1 if o.parent else 1)
    parent = None


class ItemFactory(factory.django.DjangoModelFactory):
    """A published item; pass `state` and `published_at=None` for drafts."""

    class Meta:
        model = Item

    column = factory.SubFactory(ColumnFactory)
    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"关于测试事项的通知（第{n}号）")
    state = Item.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    index_number = factory.Sequence(lambda n: f"TEST/2020-{n:05d}")
