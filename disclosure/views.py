from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from responsibility.models import Column

from .models import Item


class HomeView(TemplateView):
    template_name = "disclosure/home.html"

    def get_context_data(self, **kwargs):
        columns = Column.objects.roots().with_duties().prefetch_related(
            "children__duties__unit",
            "children__duties__collective",
            "children__children__duties__unit",
            "children__children__duties__collective",
        )
        return super().get_context_data(columns=columns, **kwargs)


class ColumnView(DetailView):
    template_name = "disclosure/column_detail.html"
    context_object_name = "column"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Column.objects.with_duties().select_related("parent__parent"), slug=self.kwargs["slug"]
        )


class ItemView(DetailView):
    template_name = "disclosure/item_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return Item.objects.publicly_addressable().select_related("column", "unit")
