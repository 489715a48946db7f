"""sitemap.xml: the home page, the 政府文件库, every column and every published item."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from responsibility.models import Column

from .models import Item


class PagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ("disclosure:home", "disclosure:documents")

    def location(self, name):
        return reverse(name)


class ColumnSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Column.objects.only("slug").order_by("pk")


class ItemSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    limit = 10000

    def items(self):
        return Item.objects.published().only("pk", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"pages": PagesSitemap, "columns": ColumnSitemap, "items": ItemSitemap}
