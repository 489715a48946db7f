"""The back office of 意见征集: units write and publish consultations, moderate comments and
mark what was adopted, then publish the feedback. Scoped by `access`, written by `services`."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator

from disclosure.access import items_linkable_by
from disclosure.adminkit import ServiceErrorsMixin, apply_each, error_message
from responsibility.access import is_district_office, units_visible_to

from . import access, services
from .forms import FeedbackForm, FinalDocumentForm
from .models import Comment, Consultation, ConsultationAttachment
from .selectors import comment_tally


class AttachmentUploadForm(forms.ModelForm):
    class Meta:
        model = ConsultationAttachment
        fields = ("file", "name")
        labels = {"name": "显示名称（留空用文件名）"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False


class AttachmentInline(admin.TabularInline):
    """The draft's attachments: new ones are checked and added by `consultation_attachment_add`,
    removed ones go through `consultation_attachment_remove`; none once published."""

    model = ConsultationAttachment
    form = AttachmentUploadForm
    extra = 1
    fields = ("file", "name")

    def _editable(self, request, obj) -> bool:
        return obj is None or access.consultations_editable_by(request.user).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return obj is not None and self._editable(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)


@admin.register(Consultation)
class ConsultationAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    list_display = ("title", "unit", "state", "opens_on", "closes_on", "feedback_due_on", "for_enterprises")
    list_select_related = ("unit",)
    list_filter = ("state", "for_enterprises")
    search_fields = ("title", "policy_title")
    date_hierarchy = "opens_on"
    inlines = (AttachmentInline,)
    readonly_fields = ("state", "published_at", "feedback_published_at", "final_document")

    def get_queryset(self, request):
        return access.consultations_visible_to(request.user).select_related("unit")

    def get_fields(self, request, obj=None):
        fields = list(services.CONTENT_FIELDS)
        if is_district_office(request.user) and obj is None:
            fields.insert(0, "unit")
        return fields + (["state", "published_at", "feedback_published_at", "final_document"] if obj else [])

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = units_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("consultations.change_consultation")
        return access.consultations_editable_by(request.user).filter(pk=obj.pk).exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in services.CONTENT_FIELDS if name in form.cleaned_data}
        if change:
            saved = services.consultation_update(actor=request.user, consultation=obj, data=data)
        else:
            saved = services.consultation_create(actor=request.user, data=data, unit=form.cleaned_data.get("unit"))
        obj.pk, obj.unit_id, obj.state = saved.pk, saved.unit_id, saved.state

    def save_formset(self, request, form, formset, change):
        for upload in formset.forms:
            if upload in formset.deleted_forms:
                if upload.instance.pk:
                    services.consultation_attachment_remove(actor=request.user, attachment=upload.instance)
            elif upload.instance.pk is None and upload.cleaned_data.get("file"):
                services.consultation_attachment_add(
                    actor=request.user, consultation=form.instance, file=upload.cleaned_data["file"],
                    name=upload.cleaned_data.get("name") or "",
                )  # fmt: skip
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        consultation = self.get_object(request, object_id)
        tools = []
        if consultation is not None and access.consultations_reviewable_by(request.user).filter(pk=consultation.pk).exists():
            if consultation.state == Consultation.State.DRAFT:
                tools.append({"label": "发布征求意见", "url": reverse("admin:consultations_consultation_publish", args=(consultation.pk,)), "post": True})
            elif consultation.state == Consultation.State.PUBLISHED:
                tools.append({"label": "发布采纳情况反馈", "url": reverse("admin:consultations_consultation_feedback", args=(consultation.pk,))})
            if consultation.state != Consultation.State.DRAFT:
                tools.append({"label": "关联正式文件", "url": reverse("admin:consultations_consultation_document", args=(consultation.pk,))})
        if consultation is not None:
            tools.append({"label": "逐条审核意见", "url": reverse("admin:consultations_comment_changelist") + f"?consultation__id__exact={consultation.pk}"})
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "consultation_tools": tools})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/publish/", view(self.publish_view), name="consultations_consultation_publish"),
            path("<int:object_id>/feedback/", view(self.feedback_view), name="consultations_consultation_feedback"),
            path("<int:object_id>/document/", view(self.document_view), name="consultations_consultation_document"),
            *super().get_urls(),
        ]

    def _back(self, consultation):
        return HttpResponseRedirect(reverse("admin:consultations_consultation_change", args=(consultation.pk,)))

    def publish_view(self, request, object_id):
        consultation = get_object_or_404(access.consultations_reviewable_by(request.user), pk=object_id)
        if request.method == "POST":
            try:
                services.consultation_publish(actor=request.user, consultation=consultation)
                self.message_user(request, f"《{consultation.title}》已发布，开始征求意见。", messages.SUCCESS)
            except ValidationError as error:
                self.message_user(request, error_message(error), messages.ERROR)
        return self._back(consultation)

    def feedback_view(self, request, object_id):
        consultation = get_object_or_404(access.consultations_reviewable_by(request.user), pk=object_id)
        documents = items_linkable_by(request.user).filter(unit=consultation.unit)
        form = FeedbackForm(request.POST or None, documents=documents)
        if request.method == "POST" and form.is_valid():
            try:
                services.consultation_feedback_publish(
                    actor=request.user, consultation=consultation, feedback=form.cleaned_data["feedback"],
                    final_document=form.cleaned_data["final_document"],
                )  # fmt: skip
                self.message_user(request, f"《{consultation.title}》的意见采纳情况反馈已发布。", messages.SUCCESS)
                return self._back(consultation)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_message(error))
        return self._page(request, consultation, form, title="发布意见采纳情况反馈")


    def document_view(self, request, object_id):
        """Link the final document once it is published (the feedback may have come first)."""
        consultation = get_object_or_404(access.consultations_reviewable_by(request.user), pk=object_id)
        form = FinalDocumentForm(request.POST or None, documents=items_linkable_by(request.user).filter(unit=consultation.unit))
        if request.method == "POST" and form.is_valid() and form.cleaned_data["final_document"] is not None:
            try:
                services.consultation_link_document(
                    actor=request.user, consultation=consultation, document=form.cleaned_data["final_document"]
                )
                self.message_user(request, "已关联正式文件，文件页面与意见征集页面互相链接。", messages.SUCCESS)
                return self._back(consultation)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_message(error))
        return self._page(request, consultation, form, title="关联正式文件", submit_label="关联正式文件")

    def _page(self, request, consultation, form, **context):
        """A step of the consultation's workflow: its tally of comments and a form."""
        return TemplateResponse(
            request,
            "admin/consultations/consultation/feedback.html",
            {
                **self.admin_site.each_context(request), "opts": self.opts, "original": consultation, "form": form,
                "tally": comment_tally(consultation), **context,
            },
        )  # fmt: skip


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ("decision", "decision_reason")


@admin.register(Comment)
class CommentAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    form = DecisionForm
    list_display = ("excerpt", "consultation", "kind", "name", "submitted_at", "state", "decision")
    list_select_related = ("consultation",)
    list_filter = ("state", "decision", "kind")
    search_fields = ("body", "name")
    date_hierarchy = "submitted_at"
    readonly_fields = ("consultation", "kind", "name", "contact", "body", "submitted_at", "state")
    fields = (*readonly_fields, "decision", "decision_reason")
    actions = ("approve_selected", "reject_selected", "mark_enterprise", "mark_association")

    def get_queryset(self, request):
        return access.comments_moderatable_by(request.user).select_related("consultation")

    @admin.display(description="意见")
    def excerpt(self, comment):
        return Truncator(comment.body).chars(40)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("consultations.view_comment")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("consultations.change_comment")
        return access.comments_moderatable_by(request.user).filter(pk=obj.pk).exists()

    def save_model(self, request, obj, form, change):
        services.comment_decide(
            actor=request.user, comment=obj, decision=form.cleaned_data["decision"], reason=form.cleaned_data["decision_reason"]
        )

    def _each(self, request, queryset, verb, apply):
        apply_each(self, request, queryset, verb=verb, apply=apply, name=lambda comment: f"意见 #{comment.pk}")

    @admin.action(description="审核通过")
    def approve_selected(self, request, queryset):
        self._each(request, queryset, "审核通过", lambda c: services.comment_moderate(actor=request.user, comment=c, approve=True))

    @admin.action(description="不予采用（无关、重复或违规内容，不公开）")
    def reject_selected(self, request, queryset):
        self._each(request, queryset, "设为不予采用", lambda c: services.comment_moderate(actor=request.user, comment=c, approve=False))

    @admin.action(description="标为企业意见")
    def mark_enterprise(self, request, queryset):
        self._each(request, queryset, "标为企业意见", lambda c: services.comment_mark_kind(actor=request.user, comment=c, kind=Comment.Kind.ENTERPRISE))

    @admin.action(description="标为行业协会商会意见")
    def mark_association(self, request, queryset):
        self._each(request, queryset, "标为行业协会商会意见", lambda c: services.comment_mark_kind(actor=request.user, comment=c, kind=Comment.Kind.ASSOCIATION))
