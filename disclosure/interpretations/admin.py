"""The district office's view of 三同步: documents still lacking an interpretation, and the
exemptions it recorded. Every write goes through `services`."""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse

from disclosure.adminkit import ReadOnlyMixin, ServiceErrorsMixin, apply_each
from disclosure.forms import column_path
from responsibility.access import is_district_office
from responsibility.admin import DistrictOfficeOnly

from . import services
from .models import InterpretationExemption, UninterpretedDocument


class ExemptionReasonForm(forms.Form):
    reason = forms.CharField(label="不需解读的理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class OfficeOnlyAdmin(ReadOnlyMixin, DistrictOfficeOnly, admin.ModelAdmin):
    """The district office reads these; the exemption is added through its service only."""


@admin.register(UninterpretedDocument)
class UninterpretedDocumentAdmin(OfficeOnlyAdmin):
    list_display = ("title", "doc_number", "unit", "column_label", "published_at", "index_number")
    list_select_related = ("unit", "column__parent__parent")
    list_filter = ("unit",)
    search_fields = ("title", "doc_number", "index_number")
    date_hierarchy = "published_at"
    actions = ("exempt_selected",)

    def get_queryset(self, request):
        return UninterpretedDocument.objects.lacking_interpretation().select_related("unit", "column__parent__parent")

    @admin.display(description="栏目")
    def column_label(self, item):
        return column_path(item.column)

    @admin.action(description="登记不需解读（填写理由）")
    def exempt_selected(self, request, queryset):
        form = ExemptionReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            apply_each(
                self, request, queryset, verb="登记不需解读的理由",
                apply=lambda document: services.interpretation_exemption_grant(actor=request.user, document=document, reason=reason),
                name=lambda document: f"《{document.title}》",
            )  # fmt: skip
            return None
        return TemplateResponse(
            request,
            "admin/disclosure/item/action_reason.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "登记不需解读的理由",
                "items": queryset,
                "form": form,
                "action": "exempt_selected",
                "verb": "登记",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(InterpretationExemption)
class InterpretationExemptionAdmin(ServiceErrorsMixin, OfficeOnlyAdmin):
    """Recorded before approving a normative document that needs no interpretation (the review
    page links here with `?document=<pk>`), or for one already published."""

    list_display = ("document", "reason", "granted_by", "granted_at")
    list_select_related = ("document", "granted_by")
    search_fields = ("document__title", "document__doc_number", "reason")
    date_hierarchy = "granted_at"
    fields = ("document", "reason")
    raw_id_fields = ("document",)

    def has_add_permission(self, request):
        return is_district_office(request.user) and request.user.has_perm("interpretations.add_interpretationexemption")

    def save_model(self, request, obj, form, change):
        saved = services.interpretation_exemption_grant(
            actor=request.user, document=form.cleaned_data["document"], reason=form.cleaned_data["reason"]
        )
        obj.pk, obj.granted_by, obj.granted_at = saved.pk, saved.granted_by, saved.granted_at

