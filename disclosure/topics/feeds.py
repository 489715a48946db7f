"""RSS and Atom feeds of a 专栏: its newest items (pins do not reorder a feed)."""

from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from disclosure.feeds import FEED_SIZE, SITE_NAME, LatestItemsFeed

from .models import Topic
from .selectors import topic_items


class TopicItemsFeed(LatestItemsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.online(), slug=slug)

    def title(self, topic):
        return f"{SITE_NAME} · 专栏 · {topic.title}"

    def description(self, topic):
        return topic.banner_text or f"芙蓉区政府信息公开平台“{topic.title}”专栏的最新信息。"

    def link(self, topic):
        return topic.get_absolute_url()

    def items(self, topic):
        return (
            topic_items(topic).order_by("-published_at", "-pk").select_related("unit", "column").defer("search_text")[:FEED_SIZE]
        )


class TopicItemsAtomFeed(TopicItemsFeed):
    feed_type = Atom1Feed

    def subtitle(self, topic):
        return self.description(topic)
