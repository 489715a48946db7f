"""The whole 标准目录 on one public page, column by column in tree order."""

from itertools import groupby

from django.views.generic import TemplateView

from disclosure.views import PublicCacheMixin

from .models import CatalogueEntry


class CatalogueView(PublicCacheMixin, TemplateView):
    template_name = "catalogue/catalogue.html"

    def get_context_data(self, **kwargs):
        entries = CatalogueEntry.objects.in_tree_order()
        sections = [(column, list(group)) for column, group in groupby(entries, key=lambda entry: entry.column)]
        return super().get_context_data(sections=sections, entry_count=sum(len(g) for _, g in sections), **kwargs)
