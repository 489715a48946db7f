"""The district office's pages for whole plans: importing a new year's 工作要点, carrying
last year's unfinished tasks over, comparing a year with the one before."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView

from responsibility.forms import DocumentUploadForm, NameChoicesForm

from . import charts
from .access import is_office_staff
from .comparison import plan_comparison
from .forms import CarryOverForm
from .models import CarryOver, WorkPoint
from .services import carry_over_candidates, previous_plan, tasks_carry_over
from .services.plan_import import plan_import, plan_preview
from .views import AdminPageMixin, OfficePageMixin


class OfficeOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_office_staff(request.user):
            raise PermissionDenied("仅区政务公开办可以操作。")
        return super().dispatch(request, *args, **kwargs)


class PlanImportView(OfficeOnlyMixin, AdminPageMixin, TemplateView):
    """Upload → preview (nothing written) → map unknown names → confirm (one transaction).

    The text travels with the preview form, so the page keeps no state between steps;
    every step parses it again and the confirmation re-checks everything."""

    template_name = "tasks/admin/plan_import.html"
    title = "导入工作要点"

    def post(self, request, *args, **kwargs):
        if "text" in request.POST and request.POST.get("step") in ("refresh", "confirm"):
            return self.preview_step(request)
        upload = DocumentUploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            return self.render_to_response(self.get_context_data(upload=upload))
        return self.render_preview(upload.cleaned_data["text"], data=None)

    def preview_step(self, request):
        return self.render_preview(request.POST.get("text", ""), data=request.POST, confirm=request.POST["step"] == "confirm")

    def render_preview(self, text: str, *, data, confirm: bool = False):
        try:
            names = plan_preview(text=text).unresolved
        except ValidationError as error:
            upload = DocumentUploadForm({"text": text})
            upload.is_valid()
            upload.add_error(None, error)
            return self.render_to_response(self.get_context_data(upload=upload))
        form = NameChoicesForm(data, names=names, initial={"text": text})
        choices = form.cleaned_data["choices"] if form.is_valid() else {}
        if confirm and form.is_valid():
            try:
                result = plan_import(
                    text=form.cleaned_data["text"], choices=choices, source=self.request.user.get_username(),
                    actor=self.request.user, request=self.request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    self.request,
                    f"已导入{result.plan}：工作要点 {result.plan.sections.count()} 个板块，"
                    f"分解任务 {result.tasks.created} 个" + (f"；已登记名称：{'、'.join(result.registered)}" if result.registered else "") + "。",
                )
                return HttpResponseRedirect(reverse("admin:tasks_office") + f"?year={result.plan.year}")
        preview = plan_preview(text=text, choices=choices)
        return self.render_to_response(self.get_context_data(preview=preview, form=form))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("upload", DocumentUploadForm())
        return super().get_context_data(**kwargs)


class PreviousPlanMixin(OfficePageMixin):
    """A page about the chosen plan (?year=) and the plan of the year before it."""

    def previous(self):
        if not hasattr(self, "_previous"):
            self._previous = previous_plan(self.get_plan())
        return self._previous


class CarryOverView(PreviousPlanMixin, TemplateView):
    template_name = "tasks/admin/office_carry_over.html"
    title = "结转上年未完成任务"

    def form(self, data=None):
        previous = self.previous()
        candidates = carry_over_candidates(from_plan=previous, to_plan=self.get_plan()) if previous else []
        points = WorkPoint.objects.filter(section__document=self.get_plan()).order_by("number")
        return CarryOverForm(data, candidates=candidates, points=points)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                carried = tasks_carry_over(decisions=form.cleaned_data["decisions"], actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"已结转 {len(carried)} 项任务。")
                return HttpResponseRedirect(request.path + f"?year={self.get_plan().year}")
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        carried = (
            CarryOver.objects.filter(to_task__work_point__section__document=self.get_plan())
            .select_related("from_task__work_point__section__document", "to_task__work_point", "to_task__unit", "decided_by")
        )
        by_unit: dict = {}
        for carry in carried:
            by_unit.setdefault(carry.to_task.unit, []).append(carry)
        kwargs.setdefault("form", self.form())
        return super().get_context_data(previous=self.previous(), carried_by_unit=list(by_unit.items()), **kwargs)


class ComparisonView(PreviousPlanMixin, TemplateView):
    template_name = "tasks/admin/office_comparison.html"
    title = "年度对比"

    def get_context_data(self, **kwargs):
        previous = self.previous()
        context = {"previous": previous}
        if previous:
            comparison = plan_comparison(plan=self.get_plan(), previous=previous)
            series = (f"{comparison.plan.year}年", f"{previous.year}年")
            context.update(
                comparison=comparison,
                section_chart=charts.paired_bars(
                    [(row.label[:16], _completion(row.current), _completion(row.previous)) for row in comparison.sections],
                    title="各板块完成率：本年与上年", series=series,
                ),
                timeliness_chart=charts.paired_bars(
                    [(row.label[:16], _timeliness(row.current), _timeliness(row.previous)) for row in comparison.sections],
                    title="各板块按期完成率：本年与上年", series=series,
                ),
                unit_chart=charts.paired_bars(
                    [(row.label, _completion(row.current), _completion(row.previous)) for row in comparison.units],
                    title="各单位完成率：本年与上年", series=series,
                ),
            )
        return super().get_context_data(**context, **kwargs)


def _completion(figures):
    return figures.completion if figures else None


def _timeliness(figures):
    return figures.timeliness if figures else None
