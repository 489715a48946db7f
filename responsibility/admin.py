from django.contrib import admin
from django.db.models import Count
from import_export.admin import ImportExportModelAdmin

from .models import Alias, Collective, Column, Duty, Unit
from .resources import ColumnResource, UnitResource


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0
    fields = ("name", "reason")


@admin.register(Unit)
class UnitAdmin(ImportExportModelAdmin):
    resource_classes = (UnitResource,)
    list_display = ("name", "short_name", "kind", "code", "email", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "aliases__name")
    ordering = ("order", "name")
    inlines = (AliasInline,)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "is_active")}),
        ("联系与编码", {"fields": ("code", "email", "order")}),
    )


@admin.register(Collective)
class CollectiveAdmin(admin.ModelAdmin):
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
class AliasAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "collective", "reason")
    list_select_related = ("unit", "collective")
    search_fields = ("name", "unit__name", "collective__name")
    autocomplete_fields = ("unit", "collective")


class DutyInline(admin.TabularInline):
    model = Duty
    extra = 0
    fields = ("position", "printed_name", "unit", "collective")
    autocomplete_fields = ("unit", "collective")
    ordering = ("position",)


@admin.register(Column)
class ColumnAdmin(ImportExportModelAdmin):
    resource_classes = (ColumnResource,)
    list_display = ("__str__", "number", "parent", "level", "responsibility_text", "update_cycle", "stale_after_days")
    list_filter = ("level", "update_cycle")
    list_select_related = ("parent",)
    search_fields = ("title", "responsibility_text", "note")
    ordering = ("level", "parent__order", "order")
    autocomplete_fields = ("parent",)
    readonly_fields = ("level",)
    inlines = (DutyInline,)
    fieldsets = (
        (None, {"fields": ("parent", "number", "title", "slug", "order", "level", "note")}),
        ("责任单位", {"fields": ("responsibility_text",)}),
        ("更新要求", {"fields": ("update_cycle", "stale_after_days")}),
    )
