"""The public 专栏 pages: the list of topics and one topic with its items."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView

from disclosure.filters import ColumnItemFilter
from disclosure.views import PaginatedMixin, PublicCacheMixin

from .models import Topic
from .selectors import topic_items


class TopicListView(PublicCacheMixin, ListView):
    template_name = "topics/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.online().prefetch_related("units")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        topics = list(self.object_list)
        return super().get_context_data(
            current=[t for t in topics if t.starts_on <= today and (t.ends_on is None or t.ends_on >= today)],
            past=[t for t in topics if t.ends_on is not None and t.ends_on < today],
            **kwargs,
        )


class TopicView(PublicCacheMixin, PaginatedMixin, DetailView):
    """A topic: banner, introduction, responsible units, sub-sections and its items, with the
    same metadata, year and unit filters, pagination and feeds as a column."""

    template_name = "topics/topic_detail.html"
    context_object_name = "topic"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Topic.objects.online().prefetch_related("units", "sections"), slug=self.kwargs["slug"]
        )

    def get(self, request, *args, **kwargs):
        self.object = topic = self.get_object()
        sections = list(topic.sections.all())
        section = None
        if "section" in self.kwargs:
            section = next((s for s in sections if s.slug == self.kwargs["section"]), None)
            if section is None:
                raise Http404("专栏没有这个子栏目。")
        items = topic_items(topic, section).for_listing()
        filterset = ColumnItemFilter(request.GET or None, queryset=items, request=request)
        if filterset.is_bound and filterset.is_valid():
            items = filterset.filter_queryset(items)
        context = self.get_context_data(
            object=topic,
            sections=sections,
            section=section,
            here=request.path,
            filterset=filterset,
            feed_url=reverse("topics:feed", args=(topic.slug,)),
            atom_url=reverse("topics:atom", args=(topic.slug,)),
            **self.paginate(items),
        )
        return self.render_to_response(context)
