"""RSS 2.0 and Atom feeds: the whole site and each column (with its sub-columns)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from responsibility.models import Column

from .models import Item
from .search import strip_tags
from .views import public_cache

FEED_SIZE = 20
SITE_NAME = "芙蓉区政府信息公开平台"


class CachedFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        return public_cache(request, super().__call__(request, *args, **kwargs))


class LatestItemsFeed(CachedFeed):
    title = f"{SITE_NAME} · 最新信息"
    description = "长沙市芙蓉区人民政府最新主动公开的政府信息。"
    language = "zh-cn"

    def link(self):
        return reverse("disclosure:home")

    def items(self):
        return Item.objects.published().select_related("unit", "column").defer("search_text")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        summary = Truncator(" ".join(strip_tags(item.body).split())).chars(160)
        meta = "；".join(part for part in (item.unit.name, item.doc_number, item.index_number) if part)
        return f"{meta}。{summary}" if summary else meta

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.unit.name

    def item_categories(self, item):
        return (item.column.title, item.get_theme_display())

    def item_guid(self, item):
        return item.index_number

    item_guid_is_permalink = False


class LatestItemsAtomFeed(LatestItemsFeed):
    feed_type = Atom1Feed
    subtitle = LatestItemsFeed.description


class ColumnItemsFeed(LatestItemsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Column, slug=slug)

    def title(self, column):
        return f"{SITE_NAME} · {column.title}"

    def description(self, column):
        return f"芙蓉区政府信息公开平台“{column.title}”栏目（含下级栏目）的最新信息。"

    def link(self, column):
        return column.get_absolute_url()

    def items(self, column):
        return (
            Item.objects.published()
            .in_column_tree(column)
            .select_related("unit", "column")
            .defer("search_text")[:FEED_SIZE]
        )


class ColumnItemsAtomFeed(ColumnItemsFeed):
    feed_type = Atom1Feed

    def subtitle(self, column):
        return self.description(column)
