from django.db.models import Prefetch
from django.views.generic import DetailView

from furong_portal.pagecache import PublicCacheMixin

from .models import Column, Duty, Unit


class UnitDetailView(PublicCacheMixin, DetailView):
    """A unit's public page: the columns it answers for, directly or through a collective."""

    template_name = "responsibility/unit_detail.html"
    context_object_name = "unit"

    def get_queryset(self):
        return Unit.objects.filter(is_active=True).prefetch_related("aliases", "collectives")

    def get_context_data(self, **kwargs):
        columns = (
            Column.objects.responsible_unit(self.object)
            .select_related("parent__parent")
            .prefetch_related(Prefetch("duties", queryset=Duty.objects.select_related("unit", "collective")))
        )
        return super().get_context_data(columns=columns, **kwargs)
