"""Published items on the seed's column tree for the public-site tests.

Items are written the way the publish service leaves them: search text computed,
the SQLite FTS row written (`search_index_update`) and the page cache's generation
renewed (the service's `public_pages_changed` waits for a commit that a test's
transaction never makes)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from disclosure.demo import demo_files
from disclosure.models import Attachment, Item
from disclosure.search import search_index_update
from furong_portal.pagecache import generation_renew
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
    generation_renew()
    return item


def attach(item: Item, extension: str = "pdf", name: str | None = None) -> Attachment:
    content, mime = demo_files()[extension]
    attachment = Attachment(item=item, name=name or f"附件.{extension}", size=len(content), content_type=mime)
    attachment.file.save(f"test.{extension}", ContentFile(content), save=False)
    attachment.save()
    generation_renew()
    return attachment


def public_page_urls() -> list[str]:
    """A normative document with an attachment and an interpretation, and the address of
    every kind of public page (for the HTML checker, the phone layout and axe)."""
    from django.urls import reverse

    document = publish(
        "3-1", "区司法局", title="芙蓉区行政执法公示办法（一个相当长的标题，用来检验手机上的换行）",
        is_normative=True, validity="valid", doc_number="芙司发〔2020〕1号",
        body="<p>第一条 为了规范行政执法公示工作，制定本办法。</p><h2>第二章</h2>"
        "<table><tr><th>项</th><td>值</td></tr></table>",
    )  # fmt: skip
    attach(document, "pdf")
    interpretation = publish("3-1", "区司法局", title="《芙蓉区行政执法公示办法》政策解读", interprets=document)
    return [
        "/",
        reverse("disclosure:column", args=("3",)),
        reverse("disclosure:column", args=("3-1",)),
        reverse("disclosure:column", args=("1",)),
        document.get_absolute_url(),
        interpretation.get_absolute_url(),
        reverse("disclosure:documents"),
        reverse("disclosure:search"),
        reverse("disclosure:search") + "?q=执法",
        reverse("disclosure:site-map"),
        reverse("disclosure:contact"),
        reverse("requests:index"),
        reverse("requests:procedure"),
        reverse("requests:apply"),
        reverse("requests:paper-form"),
        reverse("requests:lookup"),
        reverse("tasks:work-points"),
        reverse("tasks:work-point", args=(1,)),
        reverse("responsibility:unit", args=(document.unit_id,)),
    ]
