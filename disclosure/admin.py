"""The back office for items (政府信息): every view, choice list, action, import and
export is scoped through `disclosure.access`, and every write goes through
`disclosure.services`."""

import uuid

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin

from furong_portal.imports import ConfirmedOnceImportMixin
from responsibility.access import is_district_office, units_visible_to
from responsibility.audit import audit_record
from responsibility.models import AuditEvent, Column

from . import access, docx_import, services
from .checks.rules import item_findings
from .interpretations.selectors import interpretation_pair
from .forms import (
    AttachmentUploadForm,
    ColumnChoiceField,
    DocxImportForm,
    ItemAdminForm,
    ReasonForm,
    ReviewForm,
    SecrecyForm,
    ValidityForm,
    column_path,
)  # fmt: skip
from .models import Attachment, Item
from .resources import ItemResource

DOCX_SESSION_KEY = "docx_imports"


def _docx_storage() -> FileSystemStorage:
    """Uploads waiting for the import's confirmation: private, never served."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


WORKFLOW_FIELDS = (
    "state_label", "index_number", "published_at", "review_comment", "reviewed_by",
    "validity", "validity_since", "successor", "withdrawn_reason", "withdrawn_at", "created_by", "created_at", "updated_at",
)  # fmt: skip


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or "您没有执行该操作的权限。"


def person_name(user) -> str:
    """A person as colleagues know them: 姓名 (family name first), else the login."""
    if user is None:
        return ""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def _allowed(request, capability: str, item) -> bool:
    """`access.CAPABILITIES[capability]` for `item`, asked once per request."""
    cache = request.__dict__.setdefault("_item_capabilities", {})
    key = (capability, item.pk if item else None)
    if key not in cache:
        cache[key] = item is not None and access.CAPABILITIES[capability](request.user).filter(pk=item.pk).exists()
    return cache[key]


# --- List filters -----------------------------------------------------------------------


class StateFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "state"
    SCHEDULED = "scheduled"

    def lookups(self, request, model_admin):
        return (*Item.State.choices, (self.SCHEDULED, "已排期（定时发布，未到时间）"))

    def queryset(self, request, queryset):
        value, now = self.value(), timezone.now()
        if value == self.SCHEDULED:
            return queryset.filter(state=Item.State.PUBLISHED, published_at__gt=now)
        if value == Item.State.PUBLISHED:
            return queryset.filter(state=Item.State.PUBLISHED, published_at__lte=now)
        if value in Item.State.values:
            return queryset.filter(state=value)
        return queryset


class ColumnFilter(admin.SimpleListFilter):
    title = "栏目"
    parameter_name = "column"

    def lookups(self, request, model_admin):
        user = request.user
        columns = Column.objects.filter(
            Q(pk__in=access.columns_assignable_by(user).values("pk"))
            | Q(pk__in=access.items_visible_to(user).values("column"))
        ).select_related("parent__parent")
        return sorted(((str(column.pk), column_path(column)) for column in columns), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(column_id=self.value()) if self.value() else queryset


class UnitFilter(admin.SimpleListFilter):
    title = "发布机构"
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        return [(str(unit.pk), unit.name) for unit in units_visible_to(request.user)]

    def queryset(self, request, queryset):
        return queryset.filter(unit_id=self.value()) if self.value() else queryset


class YearFilter(admin.SimpleListFilter):
    title = "发布年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = access.items_visible_to(request.user).datetimes("published_at", "year", order="DESC")
        return [(str(moment.year), f"{moment.year}年") for moment in years]

    def queryset(self, request, queryset):
        return queryset.filter(published_at__year=self.value()) if self.value() else queryset


# --- Attachments --------------------------------------------------------------------------


class AttachmentInline(admin.TabularInline):
    """The item's attachments; removing one goes through `attachment_remove`."""

    model = Attachment
    extra = 0
    fields = ("file_link", "size", "content_type")
    readonly_fields = fields
    verbose_name_plural = "附件"

    @admin.display(description="文件")
    def file_link(self, attachment):
        return format_html('<a href="{}">{}</a>', attachment.file.url, attachment.name) if attachment.file else "-"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return _allowed(request, "edit", obj)


class AttachmentUploadInline(admin.StackedInline):  # stacked: every input has its label (axe)
    """New attachments, checked by `validate_attachment` and added by `attachment_add`."""

    model = Attachment
    form = AttachmentUploadForm
    extra = 1
    fields = ("file", "name")
    verbose_name = "新附件"
    verbose_name_plural = "上传附件"

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_view_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return access.can_create_items(request.user) if obj is None else _allowed(request, "edit", obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Items ----------------------------------------------------------------------------------


@admin.register(Item)
class ItemAdmin(ConfirmedOnceImportMixin, ImportExportModelAdmin):
    form = ItemAdminForm
    resource_classes = (ItemResource,)
    import_template_name = "admin/disclosure/item/import.html"
    import_error_display = ("message",)
    list_display = ("title", "state_label", "column_label", "unit", "published_at", "index_number", "doc_number", "updated_at")
    list_select_related = ("column__parent__parent", "unit")
    search_fields = ("title", "doc_number", "index_number")
    search_help_text = "按标题、文号或索引号搜索。"
    list_per_page = 50
    ordering = ("-updated_at", "-pk")
    autocomplete_fields = ("interprets",)
    readonly_fields = WORKFLOW_FIELDS
    inlines = (AttachmentInline, AttachmentUploadInline)
    actions = ("submit_selected", "publish_selected", "return_selected", "withdraw_selected")

    # --- scoping ---

    def get_queryset(self, request):
        return access.items_visible_to(request.user).select_related("column__parent__parent", "unit")

    def get_list_filter(self, request):
        filters = (StateFilter, ColumnFilter, YearFilter, "is_normative", "validity")
        return (StateFilter, UnitFilter, *filters[1:]) if is_district_office(request.user) else filters

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "column":
            queryset = access.columns_assignable_by(user).select_related("parent__parent").order_by("level", "order")
            return ColumnChoiceField(queryset=queryset, label=db_field.verbose_name, help_text=ItemAdminForm._meta.help_texts["column"])
        if db_field.name == "unit":
            kwargs["queryset"] = access.units_assignable_by(user)
        if db_field.name == "interprets":
            kwargs["queryset"] = access.items_interpretable_by(user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete of 解读的文件 offers only items that may be linked.
        if request.GET.get("field_name") == "interprets" and request.GET.get("model_name") == "item":
            queryset = queryset.filter(pk__in=access.items_interpretable_by(request.user).values("pk"))
        return super().get_search_results(request, queryset, search_term)

    def get_fieldsets(self, request, obj=None):
        main = ("column", "unit", "title", "doc_number", "written_on")
        if not is_district_office(request.user):
            main = tuple(name for name in main if name != "unit")
        fieldsets = [
            (None, {"fields": (*main, "version") if obj is not None else main}),
            ("分类与关联", {"fields": ("theme", "genre", "keywords", "is_normative", "normative_kind", "interprets")}),
            ("正文", {"fields": ("body",)}),
        ]
        if obj is not None:
            fieldsets.insert(0, ("审核与发布", {"fields": WORKFLOW_FIELDS, "classes": ("collapse",)}))
        return fieldsets

    # --- permissions ---

    def has_add_permission(self, request):
        return access.can_create_items(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("disclosure.change_item")
        return _allowed(request, "edit", obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("disclosure.delete_item")
        return _allowed(request, "delete", obj)

    def has_review_permission(self, request):
        return request.user.has_perm("disclosure.review_item")

    def has_submit_permission(self, request):
        return request.user.has_perm("disclosure.change_item")

    def has_import_permission(self, request):
        return access.can_create_items(request.user)

    def has_export_permission(self, request):
        return request.user.has_perm("disclosure.view_item")

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Items are never deleted in bulk; a published item is never deleted at all.
        actions.pop("delete_selected", None)
        return actions

    # --- display ---

    @admin.display(description="状态", ordering="state")
    def state_label(self, item):
        if item.state == Item.State.PUBLISHED and item.published_at and item.published_at > timezone.now():
            return f"已排期（{timezone.localtime(item.published_at):%Y-%m-%d %H:%M} 发布）"
        return item.get_state_display()

    @admin.display(description="栏目", ordering="column__order")
    def column_label(self, item):
        return column_path(item.column)

    # --- writes through the services ---

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.cleaned_data if name in services.CONTENT_FIELDS}
        if change:
            saved = services.item_update(
                actor=request.user, item=obj, data=data, expected_version=form.cleaned_data.get("version")
            )
        else:
            column, unit = data.pop("column"), data.pop("unit", None)
            saved = services.item_create(actor=request.user, column=column, unit=unit, data=data)
        for field in Item._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attachment:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for attachment_form in formset.forms:
            attachment = attachment_form.instance
            if attachment_form in formset.deleted_forms:
                if attachment.pk:
                    services.attachment_remove(actor=request.user, attachment=attachment)
                    formset.deleted_objects.append(attachment)
            elif attachment.pk is None and attachment_form.cleaned_data.get("file"):
                formset.new_objects.append(
                    services.attachment_add(
                        actor=request.user,
                        item=form.instance,
                        file=attachment_form.cleaned_data["file"],
                        name=attachment_form.cleaned_data.get("name") or "",
                    )
                )

    def response_add(self, request, obj, post_url_continue=None):
        if "_submit_review" in request.POST:
            return self._submit_after_save(request, obj)
        response = super().response_add(request, obj, post_url_continue)
        self._still_draft_notice(request, obj)
        return response

    def response_change(self, request, obj):
        if "_submit_review" in request.POST:
            return self._submit_after_save(request, obj)
        response = super().response_change(request, obj)
        self._still_draft_notice(request, obj)
        return response

    def _submit_after_save(self, request, item):
        """“保存并提交审核”: the item is saved; then it goes to review if the checks let it."""
        change_url = reverse("admin:disclosure_item_change", args=(item.pk,))
        try:
            item = services.item_submit(actor=request.user, item=item)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, f"已保存为草稿，但未提交审核：{_message(error)}", messages.ERROR)
            return HttpResponseRedirect(change_url)
        names = "、".join(person_name(user) for user in access.reviewers_for(item)) or "区政务公开办"
        self.message_user(request, f"《{item.title}》已保存并提交审核，等待审核：{names}。", messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def _still_draft_notice(self, request, item):
        if item.state in (Item.State.DRAFT, Item.State.RETURNED) and _allowed(request, "submit", item):
            self.message_user(
                request, "这条信息仍是草稿，尚未提交审核；审核通过后才会在网站上发布。", messages.WARNING
            )

    def delete_model(self, request, obj):
        services.item_delete(actor=request.user, item=obj)

    def delete_queryset(self, request, queryset):
        for item in queryset:
            services.item_delete(actor=request.user, item=item)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # A rule the form could not see (e.g. a concurrent change): nothing was saved.
            self.message_user(request, _message(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_submit_for_review": access.can_create_items(request.user)}
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        item = self.get_object(request, object_id)
        if item is not None:
            extra_context["item_tools"] = self._tools(request, item)
            extra_context["workflow"] = self._workflow(request, item)
            extra_context["can_submit_for_review"] = _allowed(request, "submit", item)
            if _allowed(request, "edit", item):
                extra_context["findings"] = item_findings(item)
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow(self, request, item) -> dict:
        """The item's state and the next step, in words, with the people named."""
        state, reviewer = self.state_label(item), person_name(item.reviewed_by)
        if item.state in (Item.State.DRAFT, Item.State.RETURNED):
            step = "修改完成后点击“保存并提交审核”，由本单位审核员审核；提交前只有您能看到这条信息。"
        elif item.state == Item.State.PENDING:
            submitted = item.revisions.filter(action=services.Action.SUBMITTED).select_related("author").first()
            names = "、".join(person_name(user) for user in access.reviewers_for(item)) or "（本单位尚无审核员账号）"
            who = f"{person_name(submitted.author)} 于 {timezone.localtime(submitted.created_at):%Y-%m-%d %H:%M} 提交，" if submitted else ""
            step = f"{who}等待审核：{names}（区政务公开办也可审核）。"
            if _allowed(request, "review", item):
                step = f"{who}请点击“审核”给出结论（发布前须确认保密审查）。"
        elif item.state == Item.State.PUBLISHED:
            step = f"审核人：{reviewer}。索引号 {item.index_number}。如需下线，请“撤回”并填写原因。"
        else:
            step = f"撤回原因：{item.withdrawn_reason}"
        return {
            "state": state,
            "state_code": item.state,
            "step": step,
            "returned_by": reviewer if item.state == Item.State.RETURNED else "",
            "returned_reason": item.review_comment if item.state == Item.State.RETURNED else "",
        }

    def _tools(self, request, item) -> list[dict]:
        """The workflow buttons this account may use on this item."""
        info = (self.opts.app_label, self.opts.model_name)
        tools = []
        if _allowed(request, "submit", item):
            tools.append({"label": "提交审核", "url": reverse("admin:%s_%s_submit" % info, args=(item.pk,)), "post": True})
        if _allowed(request, "edit", item):
            tools.append({"label": "从 Word 导入正文", "url": reverse("admin:%s_%s_import_docx" % info, args=(item.pk,))})
        if _allowed(request, "review", item):
            tools.append({"label": "审核", "url": reverse("admin:%s_%s_review" % info, args=(item.pk,))})
        if _allowed(request, "withdraw", item):
            tools.append({"label": "撤回", "url": reverse("admin:%s_%s_withdraw" % info, args=(item.pk,))})
        if _allowed(request, "validity", item):
            tools.append({"label": "变更有效性", "url": reverse("admin:%s_%s_validity" % info, args=(item.pk,))})
        return tools

    # --- the workflow pages ---

    def get_urls(self):
        info = (self.opts.app_label, self.opts.model_name)
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/submit/", view(self.submit_view), name="%s_%s_submit" % info),
            path("<int:object_id>/review/", view(self.review_view), name="%s_%s_review" % info),
            path("<int:object_id>/withdraw/", view(self.withdraw_view), name="%s_%s_withdraw" % info),
            path("<int:object_id>/validity/", view(self.validity_view), name="%s_%s_validity" % info),
            path("<int:object_id>/import-docx/", view(self.import_docx_view), name="%s_%s_import_docx" % info),
            path(
                "<int:object_id>/history/<int:revision_id>/restore/",
                view(self.restore_view),
                name="%s_%s_restore" % info,
            ),
            *super().get_urls(),
        ]

    def _page(self, request, item, template, title, **context):
        return TemplateResponse(
            request,
            f"admin/disclosure/item/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": item,
                "title": title,
                "subtitle": item.title,
                **context,
            },
        )

    def _done(self, request, item, text):
        self.message_user(request, text, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:disclosure_item_change", args=(item.pk,)))

    @staticmethod
    def _form_error(form, error):
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)

    def submit_view(self, request, object_id):
        item = get_object_or_404(access.items_submittable_by(request.user), pk=object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:disclosure_item_change", args=(item.pk,)))
        try:
            services.item_submit(actor=request.user, item=item)
        except ValidationError as error:
            self.message_user(request, _message(error), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:disclosure_item_change", args=(item.pk,)))
        return self._done(request, item, f"《{item.title}》已提交审核。")

    def review_view(self, request, object_id):
        item = get_object_or_404(access.items_reviewable_by(request.user), pk=object_id)
        form = ReviewForm(request.POST or None)
        if item.state != Item.State.PENDING:
            # A scheduled item can only be returned (or left as it is).
            form.fields["decision"].choices = [(ReviewForm.RETURN, "退回修改（取消定时发布）")]
        if request.method == "POST" and form.is_valid():
            decision, actor = form.cleaned_data["decision"], request.user
            try:
                if decision == ReviewForm.RETURN:
                    services.item_return(actor=actor, item=item, reason=form.cleaned_data["reason"])
                    return self._done(request, item, f"《{item.title}》已退回，原因：{form.cleaned_data['reason']}")
                at = form.cleaned_data["publish_at"] if decision == ReviewForm.SCHEDULE else None
                item = services.item_publish(
                    actor=actor, item=item, at=at, secrecy_confirmed=form.cleaned_data["secrecy_confirmed"]
                )
                stamp = timezone.localtime(item.published_at).strftime("%Y-%m-%d %H:%M")
                verb = f"将于 {stamp} 自动发布" if at else "已发布"
                return self._done(request, item, f"《{item.title}》{verb}，索引号 {item.index_number}。")
            except ValidationError as error:
                self._form_error(form, error)
        revision = item.revisions.filter(action=services.Action.SUBMITTED).select_related("author").first()
        return self._page(
            request, item, "review.html", "审核信息", form=form, submission=revision, pair=interpretation_pair(item),
            can_exempt=is_district_office(request.user), findings=item_findings(item),
        )  # fmt: skip

    def import_docx_view(self, request, object_id):
        """Upload a .docx, see the converted body, then confirm: nothing is written
        before the confirmation. The upload waits in private storage meanwhile."""
        item = get_object_or_404(access.items_editable_by(request.user), pk=object_id)
        pending = request.session.get(DOCX_SESSION_KEY, {})
        if request.method == "POST" and "confirm" in request.POST:
            entry = pending.pop(request.POST.get("token", ""), None)
            request.session[DOCX_SESSION_KEY] = pending
            if entry is None or entry["item"] != item.pk:
                self.message_user(request, "预览已过期，请重新选择文档。", messages.ERROR)
                return HttpResponseRedirect(reverse("admin:disclosure_item_import_docx", args=(item.pk,)))
            storage = _docx_storage()
            with storage.open(entry["path"], "rb") as handle:
                data = handle.read()
            storage.delete(entry["path"])
            try:
                docx_import.item_body_import_docx(actor=request.user, item=item, data=data, file_name=entry["name"])
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, _message(error), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:disclosure_item_change", args=(item.pk,)))
            return self._done(request, item, f"已从“{entry['name']}”导入正文，请检查后点击“保存并提交审核”。")
        form = DocxImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                conversion = docx_import.docx_preview(data)
            except ValidationError as error:
                self._form_error(form, error)
            else:
                token = uuid.uuid4().hex
                path = _docx_storage().save(f"docx-imports/{token}.docx", ContentFile(data))
                pending[token] = {"item": item.pk, "path": path, "name": upload.name[:200]}
                request.session[DOCX_SESSION_KEY] = pending
                return self._page(
                    request, item, "import_docx_preview.html", "预览 Word 导入", conversion=conversion, token=token,
                    file_name=upload.name,
                )  # fmt: skip
        return self._page(request, item, "import_docx.html", "从 Word 导入正文", form=form)

    def withdraw_view(self, request, object_id):
        item = get_object_or_404(access.items_withdrawable_by(request.user), pk=object_id)
        form = ReasonForm(request.POST or None)
        form.fields["reason"].label = "撤回原因"
        if request.method == "POST" and form.is_valid():
            try:
                services.item_withdraw(actor=request.user, item=item, reason=form.cleaned_data["reason"])
                return self._done(request, item, f"《{item.title}》已撤回。")
            except ValidationError as error:
                self._form_error(form, error)
        return self._page(request, item, "withdraw.html", "撤回信息", form=form)

    def validity_view(self, request, object_id):
        item = get_object_or_404(access.items_validity_changeable_by(request.user), pk=object_id)
        initial = {
            "validity": item.validity, "since": item.validity_since,
            "successor": item.successor.index_number if item.successor else "",
        }  # fmt: skip
        form = ValidityForm(request.POST or None, initial=initial, user=request.user, item=item)
        if request.method == "POST" and form.is_valid():
            try:
                services.item_set_validity(
                    actor=request.user,
                    item=item,
                    validity=form.cleaned_data["validity"],
                    since=form.cleaned_data["since"],
                    successor=form.cleaned_data["successor"],
                )
                return self._done(request, item, f"《{item.title}》的有效性已更新。")
            except ValidationError as error:
                self._form_error(form, error)
        return self._page(request, item, "validity.html", "变更有效性", form=form)

    def history_view(self, request, object_id, extra_context=None):
        item = get_object_or_404(access.items_visible_to(request.user), pk=object_id)
        revisions = access.revisions_visible_to(request.user).filter(item=item).select_related("author")
        labels = {field.name: str(field.verbose_name) for field in Item._meta.fields}
        labels["attachments"] = "附件"
        rows = [
            {
                "revision": revision,
                "changes": [(labels.get(name, name), old, new) for name, (old, new) in revision.changes.items()],
            }
            for revision in revisions
        ]
        return self._page(
            request, item, "object_history.html", "修改记录",
            rows=rows, can_restore=_allowed(request, "edit", item),
        )  # fmt: skip

    def restore_view(self, request, object_id, revision_id):
        item = get_object_or_404(access.items_editable_by(request.user), pk=object_id)
        revision = get_object_or_404(item.revisions.select_related("author"), pk=revision_id)
        if request.method == "POST":
            try:
                services.item_restore_revision(actor=request.user, item=item, revision=revision)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, _message(error), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:disclosure_item_history", args=(item.pk,)))
            stamp = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")
            return self._done(request, item, f"已恢复为 {stamp} 的版本，本次恢复已记入修改记录。")
        return self._page(request, item, "restore_confirm.html", "恢复历史版本", revision=revision)

    # --- bulk actions ---

    def _each(self, request, queryset, verb, apply) -> None:
        done, failed = 0, []
        for item in queryset:
            try:
                apply(item)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                failed.append(f"《{item.title}》：{_message(error)}")
        if done:
            self.message_user(request, f"已{verb} {done} 条信息。", messages.SUCCESS)
        if failed:
            self.message_user(request, f"{len(failed)} 条未能{verb}：" + "；".join(failed), messages.WARNING)

    def _with_reason(self, request, queryset, action, verb, apply, form_class=ReasonForm):
        """An action that needs a reason (or a confirmation): ask for it on an
        intermediate page first; `apply` gets the item and the form's cleaned data."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if "reason" in form.fields:
            form.fields["reason"].label = f"{verb}原因"
        if form.is_bound and form.is_valid():
            self._each(request, queryset, verb, lambda item: apply(item, form.cleaned_data))
            return None
        return TemplateResponse(
            request,
            "admin/disclosure/item/action_reason.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"{verb}所选信息",
                "items": queryset,
                "form": form,
                "action": action,
                "verb": verb,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="提交审核", permissions=("submit",))
    def submit_selected(self, request, queryset):
        self._each(request, queryset, "提交审核", lambda item: services.item_submit(actor=request.user, item=item))

    @admin.action(description="审核通过并立即发布（确认保密审查）", permissions=("review",))
    def publish_selected(self, request, queryset):
        return self._with_reason(
            request, queryset, "publish_selected", "发布",
            lambda item, data: services.item_publish(
                actor=request.user, item=item, secrecy_confirmed=data["secrecy_confirmed"]
            ),
            form_class=SecrecyForm,
        )  # fmt: skip

    @admin.action(description="退回修改（填写原因）", permissions=("review",))
    def return_selected(self, request, queryset):
        return self._with_reason(
            request, queryset, "return_selected", "退回",
            lambda item, data: services.item_return(actor=request.user, item=item, reason=data["reason"]),
        )  # fmt: skip

    @admin.action(description="撤回已发布信息（填写原因）", permissions=("review",))
    def withdraw_selected(self, request, queryset):
        return self._with_reason(
            request, queryset, "withdraw_selected", "撤回",
            lambda item, data: services.item_withdraw(actor=request.user, item=item, reason=data["reason"]),
        )  # fmt: skip

    # --- import / export ---

    def get_valid_export_item_pks(self, request):
        # Items picked with the “export selected” action: only those the account sees.
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        audit_record(
            action=AuditEvent.Action.DATA_EXPORTED, actor=request.user, target="政府信息", request=request,
            detail={"format": file_format.get_title(), "filters": request.GET.urlencode()},
        )  # fmt: skip
        return data
