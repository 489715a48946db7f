"""The administrators' back office. Units, collectives, aliases and the column tree
with its duties belong to the district office (`access.can_administer`); accounts to the
系统管理员, their security state to the 安全管理员, the audit log to the 审计管理员
(三权分立, `access.can_manage_accounts` / `can_manage_security` / `can_read_audit_log`)."""

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import path
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from import_export.admin import ExportMixin, ImportExportModelAdmin

from furong_portal.imports import ConfirmedOnceImportMixin
from furong_portal.pagecache import PublicPagesAdminMixin

from .access import (
    can_administer,
    can_manage_accounts,
    can_manage_security,
    can_read_audit_log,
    users_manageable_by,
)
from .audit import account_access_snapshot, account_change_record, account_unlock, audit_record
from .models import Alias, AuditEvent, Collective, Column, Duty, StaffProfile, Unit
from .passwords import password_change_demand, password_set_record
from .resources import AuditEventResource, ColumnResource, UnitResource
from .roles import role_conflict
from .second_factor import second_factor_reset
from .services import column_duties_replace, party_resolve, responsibility_text_split
from .table_views import column_table_import_view


class RestrictedAdmin:
    """Model permissions still apply; on top of them, only those `allowed(user)` admits."""

    @staticmethod
    def allowed(user) -> bool:
        raise NotImplementedError

    def has_module_permission(self, request):
        return self.allowed(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.allowed(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self.allowed(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self.allowed(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.allowed(request.user) and super().has_delete_permission(request, obj)

    def has_import_permission(self, request):
        return self.allowed(request.user) and super().has_import_permission(request)

    def has_export_permission(self, request):
        return self.allowed(request.user) and super().has_export_permission(request)


class DistrictOfficeOnly(RestrictedAdmin):
    allowed = staticmethod(can_administer)


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0
    fields = ("name", "reason")


@admin.register(Unit)
class UnitAdmin(DistrictOfficeOnly, PublicPagesAdminMixin, ConfirmedOnceImportMixin, ImportExportModelAdmin):
    resource_classes = (UnitResource,)
    list_display = ("name", "short_name", "kind", "code", "email", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "aliases__name")
    ordering = ("order", "name")
    inlines = (AliasInline,)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "is_active")}),
        ("联系与编码", {"fields": ("code", "email", "order")}),
        ("依申请公开受理（条例第十二条）", {"fields": ("address", "postcode", "phone", "office_hours")}),
    )


@admin.register(Collective)
class CollectiveAdmin(DistrictOfficeOnly, PublicPagesAdminMixin, admin.ModelAdmin):
    list_display = ("name", "description", "member_count")
    search_fields = ("name", "aliases__name")
    filter_horizontal = ("members",)
    inlines = (AliasInline,)

    @admin.display(description="成员单位数", ordering="member_total")
    def member_count(self, collective):
        return collective.member_total

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))


@admin.register(Alias)
class AliasAdmin(DistrictOfficeOnly, admin.ModelAdmin):
    list_display = ("name", "unit", "collective", "reason")
    list_select_related = ("unit", "collective")
    search_fields = ("name", "unit__name", "collective__name")
    autocomplete_fields = ("unit", "collective")


class PrintedPartiesInline(admin.TabularInline):
    """The rows a printed text names (a column's duties, a work point's units), shown read-only:
    they are rebuilt from the text by its service whenever the text is saved, so the text and
    the rows cannot disagree."""

    extra = 0
    can_delete = False
    ordering = ("position",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DutyInline(PrintedPartiesInline):
    model = Duty
    fields = readonly_fields = ("position", "printed_name", "unit", "collective")
    verbose_name_plural = "责任单位（按“责任单位（原文）”自动生成）"


class PrintedTextAdminMixin:
    """The admin of a model whose printed text names its units (a column's 责任单位, a work
    point's closing clause). The form refuses a name the register does not know, with the
    parser's message; a saved text goes through its service, which rebuilds the rows."""

    printed_field = ""

    def printed_names(self, text: str) -> list[str]:
        raise NotImplementedError

    def rebuild(self, obj) -> None:
        raise NotImplementedError

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        field, names = self.printed_field, self.printed_names

        def clean_printed(self):
            text = self.cleaned_data[field]
            try:
                for name in names(text):
                    party_resolve(name)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
            return text

        return type(form.__name__, (form,), {f"clean_{field}": clean_printed})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or self.printed_field in form.changed_data:
            self.rebuild(obj)


@admin.register(Column)
class ColumnAdmin(DistrictOfficeOnly, PublicPagesAdminMixin, PrintedTextAdminMixin, ConfirmedOnceImportMixin, ImportExportModelAdmin):
    resource_classes = (ColumnResource,)
    list_display = ("__str__", "number", "parent", "level", "responsibility_text", "update_cycle", "stale_after_days")
    list_filter = ("level", "update_cycle")
    list_select_related = ("parent",)
    search_fields = ("title", "responsibility_text", "note")
    ordering = ("level", "parent__order", "order")
    autocomplete_fields = ("parent",)
    readonly_fields = ("level",)
    printed_field = "responsibility_text"
    inlines = (DutyInline,)
    # django-import-export wraps this template with its import and export buttons.
    change_list_template = "admin/responsibility/column/change_list.html"
    fieldsets = (
        (None, {"fields": ("parent", "number", "title", "slug", "order", "level", "note")}),
        ("责任单位", {"fields": ("responsibility_text",)}),
        ("更新要求", {"fields": ("update_cycle", "stale_after_days")}),
    )

    def get_urls(self):
        view = self.admin_site.admin_view(partial(column_table_import_view, self))
        return [path("import-table/", view, name="responsibility_column_table_import"), *super().get_urls()]

    def printed_names(self, text):
        return responsibility_text_split(text)

    def rebuild(self, column):
        column_duties_replace(column=column, responsibility_text=column.responsibility_text)


# --- Accounts ----------------------------------------------------------------------------
#
# Every change of an account's reach (flags, roles, permissions, unit) and every
# password change is written to the audit log with the old and the new value.


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    fields = ("unit", "phone")
    autocomplete_fields = ("unit",)
    verbose_name_plural = "所属单位"


admin.site.unregister(get_user_model())
admin.site.unregister(Group)
# django-otp's own pages list the authenticators' secrets and the recovery codes: nobody
# should read those, and the 安全管理员 resets a lost second factor from the account instead.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class AccountForm(UserChangeForm):
    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        conflict = role_conflict({group.name for group in groups})
        if conflict:
            raise forms.ValidationError(conflict)
        return groups


@admin.register(get_user_model())
class StaffUserAdmin(RestrictedAdmin, UserAdmin):
    """The 系统管理员 creates and changes accounts; the 安全管理员 sees them and acts on
    their security (second factor, lockout, password change); both see no superuser."""

    form = AccountForm
    inlines = (StaffProfileInline,)
    list_display = ("username", "last_name", "first_name", "unit", "roles", "is_active", "last_login")
    list_filter = ("is_active", "is_staff", "groups", "staff_profile__unit")
    list_select_related = ("staff_profile__unit",)
    search_fields = ("username", "first_name", "last_name", "email", "staff_profile__unit__name")

    actions = ("second_factor_reset", "account_unlock", "password_change_demand")

    @staticmethod
    def allowed(user) -> bool:
        return can_manage_accounts(user) or can_manage_security(user)

    def has_security_permission(self, request):
        return can_manage_security(request.user)

    def get_queryset(self, request):
        return users_manageable_by(request.user).select_related("staff_profile__unit").prefetch_related("groups")

    @admin.action(description="重置第二因素（手机和恢复码都丢失时；下次登录重新绑定）", permissions=("security",))
    def second_factor_reset(self, request, queryset):
        for account in queryset:
            second_factor_reset(account=account, actor=request.user, request=request)
        self.message_user(request, f"已重置 {len(queryset)} 个账号的第二因素，其下次登录时须重新绑定身份验证器。")

    @admin.action(description="解除登录锁定", permissions=("security",))
    def account_unlock(self, request, queryset):
        for account in queryset:
            account_unlock(account=account, actor=request.user, request=request)
        self.message_user(request, f"已解除 {len(queryset)} 个账号的登录锁定。")

    @admin.action(description="要求下次登录时修改密码", permissions=("security",))
    def password_change_demand(self, request, queryset):
        for account in queryset:
            password_change_demand(account=account, actor=request.user, request=request)
        self.message_user(request, f"{len(queryset)} 个账号下次登录后须先修改密码。")

    @admin.display(description="所属单位", ordering="staff_profile__unit__name")
    def unit(self, user):
        profile = getattr(user, "staff_profile", None)
        return (profile.unit if profile and profile.unit else "区政务公开办") if profile else "—"

    @admin.display(description="角色")
    def roles(self, user):
        return "、".join(group.name for group in user.groups.all()) or "—"

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        # Roles are given through groups; raw permissions and superuser status only
        # by a superuser, so the district office cannot widen its own reach.
        return (*readonly, "is_superuser", "user_permissions", "last_login", "date_joined")

    def save_model(self, request, obj, form, change):
        request._account_before = account_access_snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if not change:
            # The office chose this password: its holder changes it at the first login.
            password_set_record(account=obj, actor=request.user, request=request)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account = form.instance
        account.refresh_from_db()
        account_change_record(
            actor=request.user, account=account, before=getattr(request, "_account_before", None), request=request
        )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            account = users_manageable_by(request.user).get(pk=id)
            password_set_record(account=account, actor=request.user, request=request)
        return response


@admin.register(Group)
class RoleAdmin(RestrictedAdmin, GroupAdmin):
    """Roles are defined in code (`responsibility.roles.ROLE_GRANTS`); the
    系统管理员 sees them, a superuser may change them, and it is audited."""

    allowed = staticmethod(can_manage_accounts)

    def save_model(self, request, obj, form, change):
        request._role_before = sorted(Group.objects.get(pk=obj.pk).permissions.values_list("codename", flat=True)) if change else []
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        after = sorted(form.instance.permissions.values_list("codename", flat=True))
        before = getattr(request, "_role_before", [])
        audit_record(
            action=AuditEvent.Action.GROUP_CHANGED, actor=request.user, target=form.instance, request=request,
            detail={"added": sorted(set(after) - set(before)), "removed": sorted(set(before) - set(after))},
        )  # fmt: skip


@admin.register(AuditEvent)
class AuditEventAdmin(RestrictedAdmin, ExportMixin, admin.ModelAdmin):
    """The 审计管理员's, read-only: no one adds, changes or deletes audit records
    through the admin."""

    allowed = staticmethod(can_read_audit_log)
    resource_classes = (AuditEventResource,)
    list_display = ("created_at", "username", "action", "outcome", "target", "ip_address")
    list_filter = ("action", "outcome", ("actor", admin.RelatedOnlyFieldListFilter))
    search_fields = ("username", "target", "ip_address")
    date_hierarchy = "created_at"
    list_per_page = 100
    fields = (
        "created_at", "username", "actor", "action", "outcome", "target", "target_type", "target_id", "ip_address",
        "detail", "previous_hash", "record_hash",
    )  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        audit_record(
            action=AuditEvent.Action.DATA_EXPORTED, actor=request.user, target="审计日志", request=request,
            detail={"format": file_format.get_title(), "filters": request.GET.urlencode(), "rows": queryset.count()},
        )  # fmt: skip
        return data
