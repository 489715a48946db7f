from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from .models import PlanDocument, Section, WorkPoint


class CurrentPlanMixin:
    """The newest year's plan; the portal shows one plan at a time."""

    def get_plan(self) -> PlanDocument:
        plan = PlanDocument.objects.first()
        if plan is None:
            raise Http404("尚未导入工作要点。")
        return plan


class WorkPointListView(CurrentPlanMixin, TemplateView):
    template_name = "tasks/workpoint_list.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        sections = Section.objects.filter(document=plan).prefetch_related(
            Prefetch("work_points", queryset=WorkPoint.objects.with_parties())
        )
        return super().get_context_data(plan=plan, sections=sections, **kwargs)


class WorkPointDetailView(CurrentPlanMixin, DetailView):
    template_name = "tasks/workpoint_detail.html"
    context_object_name = "point"

    def get_object(self, queryset=None):
        return get_object_or_404(
            WorkPoint.objects.with_parties(), section__document=self.get_plan(), number=self.kwargs["number"]
        )
