"""The annual report in the back office: units' returns (table 二), 复议/诉讼 cases (table 四),
the report itself and the office's overview of who has published. Every write is a service
call; every list is scoped to the actor's unit (the district office sees all)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from disclosure.evaluations.selectors import annual_report_sections
from responsibility import access
from responsibility.models import Column, Unit

from . import services
from .exports import report_xlsx
from .models import AnnualReport, AppealCase, UnitReturn
from .selectors import TABLE2_DECISIONS, TABLE4_RESULTS, current_tables, report_findings, report_statuses

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_units(user):
    return Unit.objects.filter(is_active=True) if access.is_district_office(user) else Unit.objects.filter(
        pk=getattr(access.unit_of(user), "pk", None)
    )


class ScopedAdmin(admin.ModelAdmin):
    """Lists and choices limited to the actor's unit; the office sees every unit."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("unit")
        if access.is_district_office(request.user):
            return queryset
        return queryset.filter(unit=access.unit_of(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = _own_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def write(self, request, obj, data: dict):
        """The service call that saves the form's `data` (subclasses)."""
        raise NotImplementedError

    def get_form(self, request, obj=None, **kwargs):
        """A form whose validation runs the service (rolled back), so that every refusal shows
        on the form with its message instead of failing at save time."""
        form_class = super().get_form(request, obj, **kwargs)
        admin_self = self

        class ServiceCheckedForm(form_class):
            def clean(form_self):
                data = super().clean()
                if form_self.errors:
                    return data
                try:
                    with transaction.atomic():
                        admin_self.write(request, obj, data)
                        transaction.set_rollback(True)
                except (PermissionDenied, ValidationError) as error:
                    raise forms.ValidationError(getattr(error, "messages", [str(error)])) from error
                return data

        return ServiceCheckedForm

    def save_model(self, request, obj, form, change):
        obj.pk = self.write(request, obj if change else None, form.cleaned_data).pk

    def _run(self, request, action, success: str) -> bool:
        try:
            action()
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, "；".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return False
        self.message_user(request, success, messages.SUCCESS)
        return True


# --- Table 二: returns -----------------------------------------------------------------


@admin.register(UnitReturn)
class UnitReturnAdmin(ScopedAdmin):
    list_display = ("unit", "year", "licences", "penalties", "coercions", "fees", "state")
    list_filter = ("year", "state")
    fields = ("unit", "year", "licences", "penalties", "coercions", "fees", "note", "state", "review_comment")
    readonly_fields = ("state", "review_comment")
    actions = ("submit", "approve")
    change_form_template = "reports/admin/unitreturn_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"can_review": access.is_district_office(request.user)}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (("unit", "year") if obj else ())

    def write(self, request, obj, data):
        figures = {name: data[name] for name in services.RETURN_FIGURES if name in data}
        unit, year = (obj.unit, obj.year) if obj else (data.get("unit"), data.get("year"))
        if obj is None and UnitReturn.objects.filter(unit=unit, year=year).exists():
            raise ValidationError(f"{unit}{year}年的数据已存在，请在列表中打开修改。")
        return services.unit_return_save(actor=request.user, unit=unit, year=year, data=figures)

    @admin.action(description="报送区政务公开办审核")
    def submit(self, request, queryset):
        for entry in queryset:
            self._run(request, lambda entry=entry: services.unit_return_submit(actor=request.user, entry=entry), f"{entry}：已报送。")

    @admin.action(description="审核通过（区政务公开办）")
    def approve(self, request, queryset):
        for entry in queryset:
            self._run(request, lambda entry=entry: services.unit_return_review(actor=request.user, entry=entry, approve=True), f"{entry}：审核通过。")

    def get_urls(self):
        return [
            path("<int:pk>/return/", self.admin_site.admin_view(self.return_view), name="reports_unitreturn_return"),
            *super().get_urls(),
        ]

    def return_view(self, request, pk):
        entry = get_object_or_404(self.get_queryset(request), pk=pk)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            done = self._run(
                request,
                lambda: services.unit_return_review(actor=request.user, entry=entry, approve=False, comment=form.cleaned_data["reason"]),
                f"{entry}：已退回。",
            )
            if done:
                return HttpResponseRedirect(reverse("admin:reports_unitreturn_changelist"))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": f"退回 {entry}", "form": form}
        return TemplateResponse(request, "reports/admin/reason_form.html", context)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


# --- Table 四: cases --------------------------------------------------------------------


@admin.register(AppealCase)
class AppealCaseAdmin(ScopedAdmin):
    list_display = ("case_number", "unit", "kind", "filed_on", "decided_on", "result", "request")
    list_filter = ("kind", "result")
    search_fields = ("case_number",)
    date_hierarchy = "filed_on"
    fields = services.APPEAL_FIELDS
    raw_id_fields = ("request",)

    def write(self, request, obj, data):
        fields = {name: data.get(name) for name in services.APPEAL_FIELDS}
        fields["note"] = fields["note"] or ""
        return services.appeal_case_save(actor=request.user, case=obj, data=fields)


# --- The report -------------------------------------------------------------------------


class ReportAddForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ("unit", "year", "column", *services.NARRATIVE_FIELDS)


@admin.register(AnnualReport)
class AnnualReportAdmin(ScopedAdmin):
    list_display = ("__str__", "year", "state", "deadline", "item")
    list_filter = ("year", "state")
    change_form_template = "reports/admin/report_change_form.html"
    change_list_template = "reports/admin/change_list.html"

    def get_fields(self, request, obj=None):
        return ("unit", "year", "column", *services.NARRATIVE_FIELDS) if obj is None else services.NARRATIVE_FIELDS

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.state not in (AnnualReport.State.DRAFT, AnnualReport.State.RETURNED):
            return services.NARRATIVE_FIELDS
        return ()

    def get_queryset(self, request):
        queryset = AnnualReport.objects.select_related("unit", "column", "item")
        if access.is_district_office(request.user):
            return queryset
        return queryset.filter(unit=access.unit_of(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "column":
            root = services.report_columns()
            kwargs["queryset"] = Column.objects.filter(parent=root) if root else Column.objects.none()
        if db_field.name == "unit" and not access.is_district_office(request.user):
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        """The district office's report starts with the year's 社会评议 results in sections 五 and 六
        (芙政办发〔2020〕13号 第（二十）条: 评议结果…作为年度报告重要内容向社会公布); the text is editable."""
        initial = super().get_changeform_initial_data(request)
        if access.is_district_office(request.user):
            year = str(initial.get("year", ""))
            sections = annual_report_sections(int(year) if year.isdigit() else timezone.localdate().year - 1)
            initial.setdefault("problems", sections["five"])
            initial.setdefault("other_matters", sections["six"])
        return initial

    def write(self, request, obj, data):
        narrative = {name: data.get(name) or "" for name in services.NARRATIVE_FIELDS if name in data}
        if obj is not None:
            return services.report_update(actor=request.user, report=obj, narrative=narrative)
        return services.report_draft(
            actor=request.user, unit=data.get("unit"), year=data.get("year"), column=data.get("column"), narrative=narrative
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        extra = {}
        if report is not None:
            extra = {
                "tables": current_tables(report),
                "decisions": TABLE2_DECISIONS,
                "results": TABLE4_RESULTS,
                "findings": report_findings(report),
                "report": report,
                "can_submit": report.state in (AnnualReport.State.DRAFT, AnnualReport.State.RETURNED),
                "can_review": report.state == AnnualReport.State.PENDING and report.created_by_id != request.user.pk,
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("status/", wrap(self.status_view), name="reports_annualreport_status"),
            path("<int:pk>/submit/", wrap(self.submit_view), name="reports_annualreport_submit"),
            path("<int:pk>/review/", wrap(self.review_view), name="reports_annualreport_review"),
            path("<int:pk>/tables.xlsx", wrap(self.xlsx_view), name="reports_annualreport_xlsx"),
            *super().get_urls(),
        ]

    def _change_url(self, report):
        return reverse("admin:reports_annualreport_change", args=(report.pk,))

    def submit_view(self, request, pk):
        report = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method == "POST":
            self._run(request, lambda: services.report_submit(actor=request.user, report=report), "已提交审核，统计表已按当前数据固定。")
        return HttpResponseRedirect(self._change_url(report))

    def review_view(self, request, pk):
        report = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method == "POST":
            if request.POST.get("decision") == "publish":
                confirmed = request.POST.get("secrecy_confirmed") == "on"
                self._run(
                    request,
                    lambda: services.report_publish(actor=request.user, report=report, secrecy_confirmed=confirmed),
                    "审核通过，年报已发布。",
                )
            else:
                reason = request.POST.get("reason", "")
                self._run(request, lambda: services.report_return(actor=request.user, report=report, reason=reason), "已退回。")
        return HttpResponseRedirect(self._change_url(report))

    def xlsx_view(self, request, pk):
        report = get_object_or_404(self.get_queryset(request), pk=pk)
        response = HttpResponse(report_xlsx(report, current_tables(report)), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="annual-report-{report.year}-{report.pk}.xlsx"'
        return response

    def status_view(self, request):
        if not access.is_district_office(request.user):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year - 1))
        except ValueError:
            year = today.year - 1
        statuses = report_statuses(year=year)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{year}年度政府信息公开工作年度报告发布情况",
            "statuses": [(status, status.late(today)) for status in statuses],
            "year": year,
            "years": range(today.year - 1, 2018, -1),
            "late_count": sum(status.late(today) for status in statuses),
            "missing_count": sum(not status.published for status in statuses),
        }
        return TemplateResponse(request, "reports/admin/status.html", context)
