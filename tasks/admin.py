from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from import_export.admin import ImportExportModelAdmin

from furong_portal.pagecache import PublicPagesAdminMixin
from furong_portal.imports import ConfirmedOnceImportMixin
from responsibility.admin import PrintedPartiesInline, PrintedTextAdminMixin

from .access import Action, can_use_tasks, is_office_staff, task_permitted, tasks_visible_to
from .forms import DueDateForm
from .models import PlanDocument, Reminder, Schedule, Section, Task, WorkPoint, WorkPointParty, WorkPointSetting
from .participation import EvaluationExportView, EvaluationResultsView
from .plan_views import CarryOverView, ComparisonView, PlanImportView
from .resources import WorkPointResource
from .selectors import task_history
from .services import (
    task_due_on_set,
    tasks_due_on_set,
    units_clause_parse,
    work_point_parties_replace,
    work_point_setting_update,
    work_points_tasks_sync,
)
from .views import (
    ColumnFreshnessView,
    CompletionMatrixView,
    EvidenceDownloadView,
    OfficeDashboardView,
    OfficeExportView,
    OverdueView,
    ScorecardView,
    TaskReportView,
    TaskReviewView,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ("order", "number", "title")


@admin.register(PlanDocument)
class PlanDocumentAdmin(PublicPagesAdminMixin, admin.ModelAdmin):
    list_display = ("plan_title", "doc_number", "issuer", "issued_on", "year")
    search_fields = ("title", "plan_title", "doc_number")
    date_hierarchy = "issued_on"
    inlines = (SectionInline,)
    fieldsets = (
        (None, {"fields": ("year", "title", "plan_title", "doc_number", "issuer", "issued_on", "printed_on")}),
        ("正文", {"fields": ("header", "addressees", "notice_text", "preamble", "attachment_title"), "classes": ("collapse",)}),
    )


@admin.register(Section)
class SectionAdmin(PublicPagesAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "document", "order")
    list_filter = ("document",)
    list_select_related = ("document",)
    search_fields = ("title",)


class WorkPointPartyInline(PrintedPartiesInline):
    model = WorkPointParty
    fields = readonly_fields = ("position", "role", "printed_name", "unit", "collective")
    verbose_name_plural = "责任单位（按“责任单位括注”自动生成）"


@admin.register(WorkPoint)
class WorkPointAdmin(PublicPagesAdminMixin, PrintedTextAdminMixin, ConfirmedOnceImportMixin, ImportExportModelAdmin):
    resource_classes = (WorkPointResource,)
    list_display = ("__str__", "section", "units_clause")
    list_filter = ("section__document", "section")
    list_select_related = ("section",)
    search_fields = ("title", "text", "units_clause", "parties__printed_name")
    ordering = ("section__document", "number")
    printed_field = "units_clause"
    inlines = (WorkPointPartyInline,)
    actions = ("tasks_sync",)

    def printed_names(self, clause):
        return [name for name, _role in units_clause_parse(clause)]

    def rebuild(self, work_point):
        work_point_parties_replace(work_point=work_point, units_clause=work_point.units_clause)

    @admin.action(description="按责任单位括注同步分解任务")
    def tasks_sync(self, request, queryset):
        if not is_office_staff(request.user):
            raise PermissionDenied
        result = work_points_tasks_sync(work_points=queryset.select_related("section__document"))
        self.message_user(
            request,
            f"新建任务 {result.created} 个，更新 {result.updated} 个，删除未开始的任务 {result.removed} 个。",
        )
        if result.kept:
            self.message_user(
                request,
                "以下任务的单位已不在括注中，但已有进展记录，予以保留：" + "；".join(map(str, result.kept)),
                messages.WARNING,
            )


# --- Tracking: tasks, their reports and reviews, the office's dashboards ---------
#
# Who sees what is decided by `tasks.access` alone, not by the model permissions:
# a unit's staff see their own unit's tasks, the district office sees all.


class RoleScopedAdmin(admin.ModelAdmin):
    """Admin whose permissions follow the roles of `tasks.access`."""

    def has_module_permission(self, request):
        return can_use_tasks(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TaskAdminForm(forms.ModelForm):
    # The task's version when the form was opened (optimistic locking, Task.stale_message).
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Task
        fields = ("due_on",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["seen_version"] = self.instance.version

    def clean(self):
        data = super().clean()
        stale = self.instance.pk and Task.objects.get(pk=self.instance.pk).stale_message(data.get("seen_version"))
        if stale:
            raise forms.ValidationError(stale, code="stale")
        return data


@admin.register(Task)
class TaskAdmin(RoleScopedAdmin):
    list_display = ("point_label", "unit", "role", "state", "due_on", "schedule_label")
    list_filter = ("state", "role", "work_point__section")
    list_select_related = ("work_point", "unit")
    search_fields = ("unit__name", "work_point__title", "assigned_as")
    date_hierarchy = "due_on"
    ordering = ("work_point__number", "unit__order", "unit__name")
    form = TaskAdminForm
    fields = ("work_point", "unit", "role", "assigned_as", "state", "due_on", "completed_on", "seen_version")
    actions = ("due_on_change",)
    change_form_template = "tasks/admin/task_change_form.html"
    change_list_template = "tasks/admin/task_change_list.html"

    def get_queryset(self, request):
        return tasks_visible_to(request.user).with_related()

    def get_list_filter(self, request):
        return (*self.list_filter, "work_point", "unit") if is_office_staff(request.user) else self.list_filter

    def get_readonly_fields(self, request, obj=None):
        editable = {"due_on", "seen_version"} if self.has_change_permission(request, obj) else set()
        return tuple(name for name in self.get_fields(request, obj) if name not in editable)

    def get_fields(self, request, obj=None):
        # The version the form was opened at travels only with a form that can be saved.
        if self.has_change_permission(request, obj):
            return self.fields
        return tuple(name for name in self.fields if name != "seen_version")

    def has_view_permission(self, request, obj=None):
        return can_use_tasks(request.user) and (obj is None or task_permitted(request.user, obj, Action.VIEW))

    def has_change_permission(self, request, obj=None):
        return is_office_staff(request.user)

    def get_actions(self, request):
        return super().get_actions(request) if is_office_staff(request.user) else {}

    @admin.display(description="工作要点", ordering="work_point__number")
    def point_label(self, task):
        return f"（{task.work_point.chinese_number}）{task.work_point.title}"

    @admin.display(description="进度")
    def schedule_label(self, task):
        return Schedule(task.schedule_on(timezone.localdate())).label

    def save_model(self, request, obj, form, change):
        task_due_on_set(task=obj, due_on=form.cleaned_data["due_on"], expected_version=form.cleaned_data.get("seen_version"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        task = self.get_object(request, object_id)
        if task is not None:
            extra_context = {
                **(extra_context or {}),
                "history": task_history(task),
                "can_report": task_permitted(request.user, task, Action.REPORT)
                and task.state in Task.REPORTABLE_STATES,
                "can_review": task_permitted(request.user, task, Action.REVIEW)
                and task.state == Task.State.IN_REVIEW,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "is_office": is_office_staff(request.user)}
        return super().changelist_view(request, extra_context)

    @admin.action(description="修改所选任务的截止日期")
    def due_on_change(self, request, queryset):
        if not is_office_staff(request.user):
            raise PermissionDenied
        form = DueDateForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            due_on = form.cleaned_data["due_on"]
            try:
                changed = tasks_due_on_set(tasks=queryset, due_on=due_on)
            except ValidationError as error:
                self.message_user(request, "；".join(error.messages), messages.ERROR)
                return None
            self.message_user(request, f"已将 {changed} 个任务的截止日期改为 {due_on:%Y-%m-%d}。")
            return None
        return TemplateResponse(
            request,
            "tasks/admin/task_due_on_change.html",
            {
                **self.admin_site.each_context(request),
                "title": "修改截止日期",
                "opts": self.model._meta,
                "tasks": queryset.select_related("work_point", "unit"),
                "form": form,
                "media": self.media + form.media,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def get_urls(self):
        def page(view_class, **initkwargs):
            return self.admin_site.admin_view(
                view_class.as_view(admin_site=self.admin_site, model_admin=self, **initkwargs)
            )

        return [
            path("office/", page(OfficeDashboardView), name="tasks_office"),
            path("office/matrix/", page(CompletionMatrixView), name="tasks_office_matrix"),
            path("office/scorecards/", page(ScorecardView), name="tasks_office_scorecards"),
            path("office/overdue/", page(OverdueView), name="tasks_office_overdue"),
            path("office/columns/", page(ColumnFreshnessView), name="tasks_office_columns"),
            path("office/export.xlsx", page(OfficeExportView), name="tasks_office_export"),
            path("office/import/", page(PlanImportView), name="tasks_office_plan_import"),
            path("office/evaluations/", page(EvaluationResultsView), name="tasks_office_evaluations"),
            path("office/evaluations.xlsx", page(EvaluationExportView), name="tasks_office_evaluations_export"),
            path("office/carry-over/", page(CarryOverView), name="tasks_office_carry_over"),
            path("office/comparison/", page(ComparisonView), name="tasks_office_comparison"),
            path("<int:pk>/report/", page(TaskReportView), name="tasks_task_report"),
            path("<int:pk>/review/", page(TaskReviewView), name="tasks_task_review"),
            path(
                "<int:pk>/evidence/<int:file_pk>/",
                self.admin_site.admin_view(EvidenceDownloadView.as_view()),
                name="tasks_task_evidence",
            ),
            *super().get_urls(),
        ]


@admin.register(WorkPointSetting)
class WorkPointSettingAdmin(RoleScopedAdmin):
    list_display = ("work_point", "lead_weight")
    list_editable = ("lead_weight",)
    list_select_related = ("work_point",)
    fields = ("work_point", "lead_weight")
    readonly_fields = ("work_point",)
    ordering = ("work_point__number",)

    def has_module_permission(self, request):
        return is_office_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_office_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return is_office_staff(request.user)

    def save_model(self, request, obj, form, change):
        work_point_setting_update(setting=obj, lead_weight=form.cleaned_data["lead_weight"])


@admin.register(Reminder)
class ReminderAdmin(RoleScopedAdmin):
    list_display = ("sent_on", "unit", "recipient", "subject")
    list_filter = ("sent_on",)
    list_select_related = ("unit",)
    search_fields = ("unit__name", "recipient", "subject")
    date_hierarchy = "sent_on"
    fields = ("sent_on", "unit", "recipient", "subject", "body", "created_at")
    readonly_fields = fields

    def has_module_permission(self, request):
        return is_office_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_office_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return False
