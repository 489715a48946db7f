from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, FormView, TemplateView, View

from disclosure.checks.linkcheck import link_summary
from disclosure.consultations.selectors import overdue_feedback
from disclosure.reports.selectors import report_overview
from furong_portal.pagecache import PublicCacheMixin
from furong_portal.storage import file_response
from responsibility.audit import Action as AuditAction
from responsibility.audit import audit_record

from . import charts
from .access import Action, is_office_staff, task_get_for
from .exports import office_workbook
from .forms import ProgressReportForm, TaskReviewForm
from .freshness import column_freshness
from .models import EvidenceFile, PlanDocument, Section, Task, WorkPoint
from .selectors import (
    completion_matrix,
    items_per_month,
    overdue_tasks,
    plan_progress,
    plan_totals,
    point_progress,
    public_unit_progress,
    section_progress,
    task_history,
    tasks_with_public_summary,
    unit_scorecards,
)
from .services import progress_report_submit, task_review


class CurrentPlanMixin:
    """The plan a page shows: the year in the URL (or ?year= on the office's pages),
    else the newest. All plans are read in one query: the page's year switch lists them."""

    def get_plans(self) -> list[PlanDocument]:
        if not hasattr(self, "_plans"):
            self._plans = list(PlanDocument.objects.all())
        return self._plans

    def get_plan(self) -> PlanDocument:
        if not hasattr(self, "_plan"):
            self._plan = self._find_plan()
        return self._plan

    def _find_plan(self) -> PlanDocument:
        plans = self.get_plans()
        if not plans:
            raise Http404("尚未导入工作要点。")
        year = self.kwargs.get("year") or self.request.GET.get("year")
        if not year:
            return plans[0]
        plan = next((plan for plan in plans if str(plan.year) == str(year)), None)
        if plan is None:
            raise Http404("没有该年度的工作要点。")
        return plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(plans=self.get_plans(), **kwargs)


# --- Public pages -----------------------------------------------------------------


class WorkPointListView(PublicCacheMixin, CurrentPlanMixin, TemplateView):
    template_name = "tasks/workpoint_list.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        sections = list(
            Section.objects.filter(document=plan).prefetch_related(
                Prefetch("work_points", queryset=WorkPoint.objects.with_parties().select_related("setting"))
            )
        )
        points = [point for section in sections for point in section.work_points.all()]
        progress = plan_progress(plan=plan, today=timezone.localdate(), points=points)
        return super().get_context_data(
            plan=plan,
            sections=section_progress(progress),
            totals=plan_totals(progress),
            unit_progress=public_unit_progress(progress),
            points_without_tasks=[entry.point for entry in progress if not entry.tasks],
            **kwargs,
        )


class WorkPointDetailView(PublicCacheMixin, CurrentPlanMixin, DetailView):
    template_name = "tasks/workpoint_detail.html"
    context_object_name = "point"

    def get_object(self, queryset=None):
        return get_object_or_404(
            WorkPoint.objects.with_parties().select_related("setting"),
            section__document=self.get_plan(),
            number=self.kwargs["number"],
        )

    def get_context_data(self, **kwargs):
        tasks = tasks_with_public_summary(self.object.tasks.order_by("unit__order", "unit__name"))
        progress = point_progress(point=self.object, today=timezone.localdate(), tasks=tasks)
        return super().get_context_data(progress=progress, **kwargs)


# --- Back office: pages served inside the admin (see TaskAdmin.get_urls) ----------


class AdminPageMixin:
    """A page in the admin's frame. `admin_site` and `model_admin` are set by the admin."""

    admin_site = None
    model_admin = None
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.admin_site.each_context(self.request),
            title=self.title,
            opts=Task._meta,
            today=timezone.localdate(),
            **kwargs,
        )


class OfficePageMixin(CurrentPlanMixin, AdminPageMixin):
    """District-office dashboards: nobody else may open them."""

    def dispatch(self, request, *args, **kwargs):
        if not is_office_staff(request.user):
            raise PermissionDenied("仅区政务公开办可以查看。")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("plan", self.get_plan())
        return super().get_context_data(**kwargs)

    def progress(self):
        return plan_progress(plan=self.get_plan(), today=timezone.localdate())


class OfficeDashboardView(OfficePageMixin, TemplateView):
    template_name = "tasks/admin/office_dashboard.html"
    title = "政务公开工作台"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        progress = self.progress()
        sections = section_progress(progress)
        months = items_per_month(today=today)
        return super().get_context_data(
            plan=self.get_plan(),
            progress=progress,
            sections=sections,
            months=months,
            risk=column_freshness(today=today).risk(),
            links=link_summary(),
            totals=plan_totals(progress),
            overdue_consultations=overdue_feedback(today),
            annual_reports=report_overview(today),
            section_chart=charts.horizontal_bars(
                [(f"{s.section.number}、{s.section.title}", s.percent) for s in sections], title="各板块完成度"
            ),
            month_chart=charts.columns(
                [(f"{month.month}月", count) for month, count in months], title="近12个月每月发布信息数"
            ),
            **kwargs,
        )


class CompletionMatrixView(OfficePageMixin, TemplateView):
    template_name = "tasks/admin/office_matrix.html"
    title = "工作要点完成情况矩阵"

    def get_context_data(self, **kwargs):
        return super().get_context_data(matrix=completion_matrix(self.progress()), **kwargs)


class ScorecardView(OfficePageMixin, TemplateView):
    template_name = "tasks/admin/office_scorecards.html"
    title = "单位记分卡"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        cards = unit_scorecards(progress=self.progress(), freshness=column_freshness(today=today), today=today)
        return super().get_context_data(scorecards=cards, **kwargs)


class OverdueView(OfficePageMixin, TemplateView):
    template_name = "tasks/admin/office_overdue.html"
    title = "逾期任务"
    paginate_by = 100
    orderings = (("-days", "逾期天数（多→少）"), ("days", "逾期天数（少→多）"), ("unit", "单位"), ("-unit", "单位（倒序）"))

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        order = self.request.GET.get("o", "-days")
        if order not in dict(self.orderings):
            order = "-days"
        tasks = overdue_tasks(plan=self.get_plan(), today=today, order=order)
        page = Paginator(tasks, self.paginate_by).get_page(self.request.GET.get("page"))
        rows = [(task, task.days_overdue(today)) for task in page.object_list]
        return super().get_context_data(
            page=page, rows=rows, order=order, orderings=self.orderings, total=len(tasks), **kwargs
        )


class ColumnFreshnessView(OfficePageMixin, TemplateView):
    template_name = "tasks/admin/office_columns.html"
    title = "栏目更新与检查风险"

    def get_context_data(self, **kwargs):
        freshness = column_freshness(today=timezone.localdate())
        return super().get_context_data(freshness=freshness, risk=freshness.risk(), **kwargs)


class OfficeExportView(OfficePageMixin, View):
    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        progress = self.progress()
        content = office_workbook(
            matrix=completion_matrix(progress),
            scorecards=unit_scorecards(progress=progress, freshness=column_freshness(today=today), today=today),
            today=today,
        )
        audit_record(
            action=AuditAction.DATA_EXPORTED, actor=request.user, request=request,
            target="工作要点完成情况矩阵与单位记分卡", detail={"format": "xlsx"},
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"work-points-{self.get_plan().year}-{today:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class TaskFormMixin(AdminPageMixin):
    """A form acting on one task; `action` decides who may open it (tasks.access), and
    the form is only shown while the task is in one of `open_states`."""

    action = Action.VIEW
    open_states: tuple[str, ...] = ()
    closed_message = ""

    def dispatch(self, request, *args, **kwargs):
        self.task = task_get_for(request.user, kwargs["pk"], self.action)
        return super().dispatch(request, *args, **kwargs)

    def task_url(self) -> str:
        return reverse("admin:tasks_task_change", args=(self.task.pk,))

    def get(self, request, *args, **kwargs):
        if self.task.state not in self.open_states:
            messages.warning(request, self.closed_message.format(state=self.task.get_state_display()))
            return HttpResponseRedirect(self.task_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            task=self.task, history=task_history(self.task), original=self.task, **kwargs
        )

    def get_initial(self):
        return {**super().get_initial(), "version": self.task.version}

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field_name, messages_ in error.message_dict.items():
                    form.add_error(field_name if field_name in form.fields else None, messages_)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.task_url())


class TaskReportView(TaskFormMixin, FormView):
    template_name = "tasks/admin/task_report.html"
    form_class = ProgressReportForm
    action = Action.REPORT
    open_states = Task.REPORTABLE_STATES
    closed_message = "该任务当前为“{state}”，不能填报进展。"
    title = "填报任务进展"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task": self.task}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["media"] = self.model_admin.media + context["form"].media
        return context

    def perform(self, form):
        data = form.cleaned_data
        report = progress_report_submit(
            task=self.task, author=self.request.user, reported_on=data["reported_on"], text=data["text"],
            public_summary=data["public_summary"], is_final=data["is_final"],
            evidence_items=data["evidence_items"], files=data["files"], expected_version=data.get("version"),
        )
        messages.success(
            self.request, "最终报告已提交，等待区政务公开办审核。" if report.is_final else "进展报告已保存。"
        )


class TaskReviewView(TaskFormMixin, FormView):
    template_name = "tasks/admin/task_review.html"
    form_class = TaskReviewForm
    action = Action.REVIEW
    open_states = (Task.State.IN_REVIEW,)
    closed_message = "该任务当前为“{state}”，没有待审核的报告。"
    title = "审核任务进展"

    def perform(self, form):
        review = task_review(
            task=self.task, reviewer=self.request.user, decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"], expected_version=form.cleaned_data.get("version"),
        )
        messages.success(self.request, f"已{review.get_decision_display()}。")


class EvidenceDownloadView(View):
    """Uploaded evidence, to the unit and the district office only."""

    def get(self, request, pk, file_pk):
        task = task_get_for(request.user, pk, Action.VIEW)
        evidence = get_object_or_404(EvidenceFile, pk=file_pk, report__task=task)
        return file_response(evidence.file, filename=evidence.name, content_type=evidence.content_type or None)
