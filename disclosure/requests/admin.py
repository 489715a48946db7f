"""The office side of 依申请公开 in the Django admin.

Every queryset, choice, step and export goes through `selectors.requests_visible_to`; every
step is a small form whose valid data is handed to one service function."""

from dataclasses import dataclass
from typing import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from furong_portal.personal_data import sm3_keyed_digest
from responsibility import access
from responsibility.audit import audit_record
from responsibility.models import AuditEvent

from . import forms as request_forms
from . import services
from .exports import export_queryset, requests_xlsx
from . import identity
from .identity import mask_address, mask_email, mask_id_number, mask_person_name, mask_phone
from .models import (
    AT_RISK_WORKING_DAYS,
    OPEN_STATES,
    STEP_FROM_STATES,
    ApplicantKind,
    Consultation,
    HolidayCalendarDay,
    InformationRequest,
    RequestEvent,
    Step,
)
from .selectors import (
    TABLE3_COLUMNS,
    addressable_units,
    annual_report_table3,
    can_handle_requests,
    deadline_status,
    requests_visible_to,
)
from .workdays import LIBRARY_LAST_YEAR, WorkCalendar, library_knows


@dataclass(frozen=True)
class StepForm:
    """How the office takes one step of the procedure: a form and the service it feeds.
    Which states a step may be taken from is the procedure's table (`STEP_FROM_STATES`)."""

    form: type[forms.Form]
    run: Callable
    office_only: bool = False
    needs_user: bool = False
    confirm: str = ""
    label: str = ""

    def for_step(self, step: Step) -> "StepForm":
        return StepForm(self.form, self.run, self.office_only, self.needs_user, self.confirm, self.label or step.label)


def _open_consultation(obj):
    return obj.consultations.get(ended_on__isnull=True)


def _unpaid_notice(obj):
    return obj.fee_notices.get(paid_on__isnull=True)


STEPS = {
    step.value: definition.for_step(step)
    for step, definition in {
        Step.ACCEPT: StepForm(
            request_forms.AcceptForm,
            lambda obj, user, data: services.request_accept(request=obj, actor=user, on=data["on"]),
        ),
        Step.REASSIGN: StepForm(
            request_forms.ReassignForm,
            lambda obj, user, data: services.request_reassign(request=obj, actor=user, unit=data["unit"], note=data["note"]),
            office_only=True, needs_user=True,
        ),
        Step.ASK_CORRECTION: StepForm(
            request_forms.AskCorrectionForm,
            lambda obj, user, data: services.request_ask_correction(request=obj, actor=user, **data),
            confirm="补正只能告知一次（条例第三十条），请一次性写明全部补正事项。",
        ),
        Step.RECEIVE_CORRECTION: StepForm(
            request_forms.ReceiveCorrectionForm,
            lambda obj, user, data: services.request_receive_correction(request=obj, actor=user, **data),
            label="登记补正",
        ),
        Step.EXTEND: StepForm(
            request_forms.ExtendForm,
            lambda obj, user, data: services.request_extend(request=obj, actor=user, **data),
        ),
        Step.CONSULT: StepForm(
            request_forms.ConsultationStartForm,
            lambda obj, user, data: services.request_consultation_start(request=obj, actor=user, **data),
            label="征求第三方意见",
        ),
        Step.END_CONSULTATION: StepForm(
            request_forms.ConsultationEndForm,
            lambda obj, user, data: services.request_consultation_end(consultation=_open_consultation(obj), actor=user, **data),
            label="征求意见结束",
        ),
        Step.FEE_NOTICE: StepForm(
            request_forms.FeeNoticeForm,
            lambda obj, user, data: services.request_fee_notice(request=obj, actor=user, **data),
            confirm="信息处理费按国办函〔2020〕109号的标准自动计算；未达到收费标准的不收费。",
        ),
        Step.FEE_PAID: StepForm(
            request_forms.FeePaidForm,
            lambda obj, user, data: services.request_fee_paid(notice=_unpaid_notice(obj), actor=user, **data),
        ),
        Step.ANSWER: StepForm(
            request_forms.AnswerForm,
            lambda obj, user, data: services.request_answer(request=obj, actor=user, **data),
        ),
        Step.WITHDRAW: StepForm(
            request_forms.WithdrawForm,
            lambda obj, user, data: services.request_withdraw(request=obj, actor=user, **data),
            label="申请人撤回",
        ),
    }.items()
}  # fmt: skip


def available_steps(obj: InformationRequest, user) -> list[tuple[str, Step]]:
    """The steps worth offering now; the services still decide."""
    consulting = obj.consultations.filter(ended_on__isnull=True).exists() if obj.state in OPEN_STATES else False
    steps = []
    for name, step in STEPS.items():
        if obj.state not in STEP_FROM_STATES[Step(name)] or (step.office_only and not access.is_district_office(user)):
            continue
        if name == "end-consultation" and not consulting:
            continue
        unpaid = obj.fee_notices.filter(paid_on__isnull=True).exists()
        if (name == "fee-paid") != unpaid and name in ("fee-notice", "fee-paid"):
            continue
        if name in ("consult", "extend", "answer") and consulting:
            continue
        if name == "ask-correction" and obj.correction_asked_on:
            continue
        if name == "extend" and obj.extension_days:
            continue
        if name in ("accept", "answer") and obj.unit_id is None:
            continue
        steps.append((name, step))
    return steps


class DeadlineFilter(admin.SimpleListFilter):
    title = "答复期限"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return (
            ("overdue", "已逾期"),
            ("at_risk", f"即将到期（≤{AT_RISK_WORKING_DAYS}个工作日）"),
            ("paused", "暂停计时（补正、征求意见）"),
        )

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.overdue(today)
        if self.value() == "at_risk":
            return queryset.open().filter(due_on__gte=today, due_on__lte=WorkCalendar().add(today, AT_RISK_WORKING_DAYS))
        if self.value() == "paused":
            return queryset.open().filter(Q(due_on__isnull=True) | Q(paused_since__isnull=False))
        return queryset


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    fields = ("effective_on", "action", "actor_label", "note", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "办理记录（每一步的日期和经办人，不可修改）"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConsultationInline(RequestEventInline):
    model = Consultation
    fields = ("party", "started_on", "ended_on", "note")
    readonly_fields = fields
    verbose_name_plural = "征求意见（期间不计入答复期限）"


APPLICANT_FIELDS = (
    "applicant_kind", "organisation_type", "applicant_name", "id_type", "id_number", "contact_person",
    "phone", "email", "address", "postcode",
)


# The applicant's identity and contact fields and what the change page shows instead.
MASKED_FIELDS = {
    name: f"{name}_masked" for name in ("applicant_name", "id_number", "contact_person", "phone", "email", "address")
}
PERSONAL_QUERY = "personal"
PERSONAL_REVEAL_HINT = format_html(
    '已脱敏显示。<a href="?{}=full">查看完整个人信息</a>（每次查看都记入审计日志）。', PERSONAL_QUERY
)


@admin.register(InformationRequest)
class InformationRequestAdmin(admin.ModelAdmin):
    list_display = ("number", "received_on", "channel", "applicant_masked", "unit_display", "state")
    list_display_links = ("number",)
    list_filter = ("state", DeadlineFilter, "channel", "applicant_kind", "outcome", ("unit", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number", "description", "document_title", "letter_number")
    date_hierarchy = "received_on"
    list_select_related = ("unit",)
    list_per_page = 50
    inlines = (ConsultationInline, RequestEventInline)
    change_form_template = "requests/admin/change_form.html"
    change_list_template = "requests/admin/change_list.html"
    fieldsets = (
        (None, {"fields": ("number", "state", "unit_display", "deadline_display", "channel", "received_on", "clock_start_on")}),
        ("申请人（仅承办单位和区政务公开办可见）", {"fields": APPLICANT_FIELDS}),
        ("所需信息", {"fields": ("description", "document_title", "document_number", "medium", "delivery")}),
        ("补正", {"classes": ("collapse",), "fields": (
            "correction_asked_on", "correction_instructions", "correction_due_on", "correction_received_on", "correction_text",
        )}),
        ("延期", {"classes": ("collapse",), "fields": ("extension_days", "extension_reason", "extension_approver", "extended_on")}),
        ("答复", {"fields": ("outcome_display", "letter_number", "letter_text", "letter_file", "sent_on", "closed_on")}),
        ("登记", {"classes": ("collapse",), "fields": ("created_by", "created_at", "updated_at")}),
    )

    # --- Scoping and permissions -------------------------------------------------

    def get_queryset(self, request):
        return requests_visible_to(request.user)

    def get_search_results(self, request, queryset, search_term):
        """The identity number is stored encrypted: it is found by its keyed digest, exactly."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = identity.normalise(search_term)
        if term:
            results |= queryset.filter(id_number_digest=sm3_keyed_digest(term))
        return results, may_have_duplicates

    def has_module_permission(self, request):
        return can_handle_requests(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_handle_requests(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return can_handle_requests(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return can_handle_requests(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # every request and every step is kept

    def get_readonly_fields(self, request, obj=None):
        return [field for _, options in self.get_fieldsets(request, obj) for field in options["fields"]]

    # --- Personal data: masked unless asked for, and every full view audited ----------
    # 个人信息保护法 第五十一条 / GB/T 22239-2019 8.1.4.11: shown in full only on request
    # to those who handle the request, and each full view recorded.

    def _personal_revealed(self, request) -> bool:
        return request.GET.get(PERSONAL_QUERY) == "full"

    def get_fieldsets(self, request, obj=None):
        if obj is None or self._personal_revealed(request):
            return self.fieldsets
        return tuple(
            (
                title,
                {
                    **options,
                    "fields": tuple(MASKED_FIELDS.get(name, name) for name in options["fields"]),
                    **({"description": PERSONAL_REVEAL_HINT} if options["fields"] == APPLICANT_FIELDS else {}),
                },
            )
            for title, options in self.fieldsets
        )

    @admin.display(description="姓名或名称")
    def applicant_name_masked(self, obj):
        return obj.applicant_name if obj.applicant_kind == ApplicantKind.ORGANISATION else mask_person_name(obj.applicant_name)

    @admin.display(description="证件号码")
    def id_number_masked(self, obj):
        return mask_id_number(obj.id_number)

    @admin.display(description="联系人")
    def contact_person_masked(self, obj):
        return mask_person_name(obj.contact_person)

    @admin.display(description="联系电话")
    def phone_masked(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description="电子邮箱")
    def email_masked(self, obj):
        return mask_email(obj.email)

    @admin.display(description="通信地址")
    def address_masked(self, obj):
        return mask_address(obj.address)

    # --- The list ------------------------------------------------------------

    @admin.display(description="申请人")
    def applicant_masked(self, obj):
        name = obj.applicant_name if obj.applicant_kind == ApplicantKind.ORGANISATION else mask_person_name(obj.applicant_name)
        return f"{name} · {mask_id_number(obj.id_number)}"

    @admin.display(description="办理单位", ordering="unit__order")
    def unit_display(self, obj):
        return obj.unit_display

    @admin.display(description="办理结果")
    def outcome_display(self, obj):
        return obj.outcome_display if obj.outcome else "—"

    def get_list_display(self, request):
        calendar = WorkCalendar()  # one per page, so the holiday table is read once
        today = timezone.localdate()

        @admin.display(description="答复期限", ordering="due_on")
        def deadline(obj):
            return _deadline_html(deadline_status(obj, today=today, calendar=calendar))

        return (*self.list_display, deadline, "outcome_display")

    @admin.display(description="答复期限")
    def deadline_display(self, obj):
        return _deadline_html(deadline_status(obj, today=timezone.localdate(), calendar=WorkCalendar()))

    # --- Registering a request received off-line -----------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = request_forms.RegisterForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                obj, code = services.request_register(
                    actor=request.user,
                    details=form.details(),
                    channel=form.cleaned_data["channel"],
                    received_on=form.cleaned_data["received_on"],
                    note=form.cleaned_data["note"],
                )
            except (services.RequestError, PermissionDenied) as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    f"已登记 {obj.number}，查询码 {code}（只显示这一次，请告知申请人或写入回执）。答复期限 {obj.due_on:%Y-%m-%d}。",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:requests_informationrequest_change", args=(obj.pk,)))
        return self._step_response(request, None, "登记政府信息公开申请", form, help_text=(
            "登记以信函、传真、电子邮件或当面方式收到的申请。网上申请由系统自动登记。"
        ))

    # --- The change page and the steps ----------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self._personal_revealed(request) and self.has_view_permission(request, obj):
            audit_record(
                action=AuditEvent.Action.PERSONAL_DATA_VIEWED, actor=request.user, target=obj, request=request,
                detail={"fields": list(MASKED_FIELDS)},
            )  # fmt: skip
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        if obj is not None:
            calendar = WorkCalendar()
            status = deadline_status(obj, today=timezone.localdate(), calendar=calendar)
            for warning in calendar.warnings:
                self.message_user(request, warning, messages.WARNING)
            extra_context["steps"] = [
                (step.label, reverse("admin:requests_informationrequest_step", args=(obj.pk, name)))
                for name, step in available_steps(obj, request.user)
            ]
            extra_context["reset_code_url"] = reverse("admin:requests_informationrequest_reset_code", args=(obj.pk,))
            extra_context["deadline_status"] = status
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/step/<slug:step>/", wrap(self.step_view), name="requests_informationrequest_step"),
            path("<int:pk>/reset-code/", wrap(self.reset_code_view), name="requests_informationrequest_reset_code"),
            path("export/", wrap(self.export_view), name="requests_informationrequest_export"),
            path("annual-report/", wrap(self.annual_report_view), name="requests_informationrequest_annual_report"),
            *super().get_urls(),
        ]

    def _visible_object(self, request, pk) -> InformationRequest:
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(requests_visible_to(request.user), pk=pk)

    def step_view(self, request, pk, step):
        obj = self._visible_object(request, pk)
        if step not in STEPS:
            raise PermissionDenied
        definition = STEPS[step]
        if definition.office_only and not access.is_district_office(request.user):
            raise PermissionDenied
        kwargs = {"user": request.user} if definition.needs_user else {}
        form = definition.form(request.POST or None, request.FILES or None, **kwargs)
        # The version the form was opened at (optimistic locking, services.request_version).
        form.fields["version"] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=services.request_version(obj)
        )
        if request.method == "POST" and form.is_valid():
            data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
            try:
                with transaction.atomic():
                    current = InformationRequest.objects.select_for_update().get(pk=obj.pk)
                    stale = services.request_stale_message(current, form.cleaned_data["version"])
                    if stale:
                        raise services.RequestError(stale)
                    definition.run(obj, request.user, data)
            except (services.RequestError, PermissionDenied) as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, f"{obj.number}：{definition.label}已办理。", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:requests_informationrequest_change", args=(obj.pk,)))
        return self._step_response(request, obj, f"{definition.label}：{obj.number}", form, help_text=definition.confirm)

    def reset_code_view(self, request, pk):
        obj = self._visible_object(request, pk)
        form = forms.Form(request.POST or None)
        if request.method == "POST" and form.is_valid():
            code = services.request_reset_query_code(request=obj, actor=request.user)
            self.message_user(request, f"{obj.number} 的新查询码：{code}（只显示这一次，原查询码已失效）。", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:requests_informationrequest_change", args=(obj.pk,)))
        return self._step_response(
            request, obj, f"重置查询码：{obj.number}", form, help_text="申请人遗失查询码时使用。重置后原查询码立即失效。"
        )

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = request_forms.ExportForm(request.GET or None, user=request.user)
        if request.GET and form.is_valid():
            first, last = form.cleaned_data["first"], form.cleaned_data["last"]
            # Only the district office may take identity data out, whatever the query says.
            include_identity = form.cleaned_data["include_identity"] and access.is_district_office(request.user)
            rows = export_queryset(requests_visible_to(request.user), first, last)
            content = requests_xlsx(
                rows,
                include_identity=include_identity,
                today=timezone.localdate(),
                title=f"政府信息公开申请 {first:%Y-%m-%d} 至 {last:%Y-%m-%d}（导出于 {timezone.localtime():%Y-%m-%d %H:%M}）",
            )
            audit_record(
                action=AuditEvent.Action.DATA_EXPORTED, actor=request.user, target="政府信息公开申请", request=request,
                detail={"first": first.isoformat(), "last": last.isoformat(), "identity": include_identity,
                        "rows": len(rows)},
            )  # fmt: skip
            response = HttpResponse(
                content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="requests-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"'
            return response
        return self._step_response(request, None, "导出政府信息公开申请", form, method="get")

    def annual_report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = _int_or(request.GET.get("year"), timezone.localdate().year)
        unit = access.unit_of(request.user)
        if access.is_district_office(request.user):
            unit = addressable_units().filter(pk=_int_or(request.GET.get("unit"), 0)).first()
        table = annual_report_table3(year=year, unit=unit)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{year}年 收到和处理政府信息公开申请情况（{unit or '全区'}）",
            "table": table,
            "columns": TABLE3_COLUMNS,
            "years": range(timezone.localdate().year, 2018, -1),
            "year": year,
            "unit": unit,
            "units": addressable_units() if access.is_district_office(request.user) else None,
        }
        return TemplateResponse(request, "requests/admin/annual_report.html", context)

    def _step_response(self, request, obj, title, form, *, help_text="", method="post"):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": title,
            "form": form,
            "help_text": help_text,
            "method": method,
            "multipart": any(isinstance(field, forms.FileField) for field in form.fields.values()),
        }
        return TemplateResponse(request, "requests/admin/step_form.html", context)


def _int_or(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _deadline_html(status) -> str:
    if status.due_on is None:
        return status.label or "—"
    css = "requests-overdue" if status.overdue else "requests-at-risk" if status.at_risk else ""
    flag = "⚠ " if status.overdue or status.at_risk else ""
    return format_html('<span class="{}">{}{}</span> {}', css, flag, status.due_on.isoformat(), status.label)


@admin.register(HolidayCalendarDay)
class HolidayCalendarDayAdmin(admin.ModelAdmin):
    """The State Council's holiday notice, day by day. Pre-filled from chinese-calendar; the
    district office enters a year the library does not know yet and may correct any day."""

    list_display = ("date", "weekday", "name", "is_workday", "source")
    list_filter = ("is_workday", "source")
    search_fields = ("name",)
    date_hierarchy = "date"
    fields = ("date", "name", "is_workday")
    list_per_page = 100

    @admin.display(description="星期")
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()]

    def _office(self, request) -> bool:
        return access.is_district_office(request.user)

    def has_add_permission(self, request):
        return self._office(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._office(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._office(request) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        return {}  # deletions go one by one, through the service that recounts deadlines

    def save_model(self, request, obj, form, change):
        moved = services.holiday_day_save(day=obj, actor=request.user)
        if moved:
            self.message_user(request, f"已按新的节假日安排重算 {len(moved)} 件申请的答复期限。", messages.INFO)

    def delete_model(self, request, obj):
        services.holiday_day_delete(day=obj, actor=request.user)

    def changelist_view(self, request, extra_context=None):
        next_year = timezone.localdate().year + 1
        if not library_knows(next_year) and not HolidayCalendarDay.objects.filter(date__year=next_year).exists():
            self.message_user(
                request,
                f"chinese-calendar 只含 {LIBRARY_LAST_YEAR} 年及以前的节假日安排，节假日表中也还没有 {next_year} 年的记录："
                f"国务院放假通知发布后，请录入 {next_year} 年的节假日和调休上班日，否则暂按周一至周五计算工作日。",
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

