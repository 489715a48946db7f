"""Published items on the seed's column tree for the public-site tests.

Items are written the way the publish service leaves them: search text computed
and the SQLite FTS row written (`search_index_update`)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from disclosure.demo import demo_files
from disclosure.models import Attachment, Item
from disclosure.search import search_index_update
from responsibility.models import Column, Unit
from tests.factories import ItemFactory


def column(slug: str) -> Column:
    return Column.objects.get(slug=slug)


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def publish(column_slug: str = "3-12-1", unit_name: str = "区农业农村局", **fields) -> Item:
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=1))
    item = ItemFactory(column=column(column_slug), unit=unit(unit_name), **fields)
    search_index_update([item])
    return item


def attach(item: Item, extension: str = "pdf", name: str | None = None) -> Attachment:
    content, mime = demo_files()[extension]
    attachment = Attachment(item=item, name=name or f"附件.{extension}", size=len(content), content_type=mime)
    attachment.file.save(f"test.{extension}", ContentFile(content), save=False)
    attachment.save()
    return attachment
