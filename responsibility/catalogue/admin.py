from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from responsibility.admin import DistrictOfficeOnly

from .models import CatalogueEntry
from .resources import CatalogueEntryResource
from .services import catalogue_entry_delete, catalogue_entry_save


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(DistrictOfficeOnly, ImportExportModelAdmin):
    """The district office keeps the 标准目录; the xlsx import previews (dry run) before
    it writes, and writes all rows or none."""

    resource_classes = (CatalogueEntryResource,)
    list_display = ("column", "position", "matter", "sub_matter", "time_limit", "subject", "mode", "level")
    list_display_links = ("matter",)
    list_filter = ("mode", "level", "audience", "column__parent__parent", "column__parent")
    list_select_related = ("column",)
    search_fields = ("matter", "sub_matter", "content", "basis", "subject", "column__title")
    autocomplete_fields = ("column",)
    ordering = ("column__level", "column__order", "position")
    fieldsets = (
        (None, {"fields": ("column", "position", "matter", "sub_matter", "content")}),
        ("依据与时限", {"fields": ("basis", "time_limit", "cycle_days")}),
        ("主体、渠道与方式", {"fields": ("subject", "channels", "audience", "mode", "level")}),
    )

    def save_model(self, request, obj, form, change):
        catalogue_entry_save(entry=obj, actor=request.user)

    def delete_model(self, request, obj):
        catalogue_entry_delete(entry=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            catalogue_entry_delete(entry=entry, actor=request.user)
