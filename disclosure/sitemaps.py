"""sitemap.xml: the home page, the 政府文件库, the 标准目录, open data, every column and every published item, the online
专栏 and the public 意见征集."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from responsibility.models import Column

from .consultations.models import Consultation
from .models import Item
from .topics.models import Topic


class PagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ("disclosure:home", "disclosure:documents", "catalogue:index", "opendata:index")

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


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Topic.objects.online().only("slug", "updated_at").order_by("position", "pk")

    def lastmod(self, topic):
        return topic.updated_at


class ConsultationSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Consultation.objects.public().only("pk", "updated_at").order_by("pk")

    def lastmod(self, consultation):
        return consultation.updated_at


SITEMAPS = {
    "pages": PagesSitemap, "columns": ColumnSitemap, "items": ItemSitemap,
    "topics": TopicSitemap, "consultations": ConsultationSitemap,
}  # fmt: skip
