from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import PlanDocument, Section, WorkPoint, WorkPointParty
from .resources import WorkPointResource


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ("order", "number", "title")


@admin.register(PlanDocument)
class PlanDocumentAdmin(admin.ModelAdmin):
    list_display = ("plan_title", "doc_number", "issuer", "issued_on", "year")
    search_fields = ("title", "plan_title", "doc_number")
    date_hierarchy = "issued_on"
    inlines = (SectionInline,)
    fieldsets = (
        (None, {"fields": ("year", "title", "plan_title", "doc_number", "issuer", "issued_on", "printed_on")}),
        ("正文", {"fields": ("header", "addressees", "notice_text", "preamble", "attachment_title"), "classes": ("collapse",)}),
    )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "document", "order")
    list_filter = ("document",)
    list_select_related = ("document",)
    search_fields = ("title",)


class WorkPointPartyInline(admin.TabularInline):
    model = WorkPointParty
    extra = 0
    fields = ("position", "role", "printed_name", "unit", "collective")
    autocomplete_fields = ("unit", "collective")


@admin.register(WorkPoint)
class WorkPointAdmin(ImportExportModelAdmin):
    resource_classes = (WorkPointResource,)
    list_display = ("__str__", "section", "units_clause")
    list_filter = ("section__document", "section")
    list_select_related = ("section",)
    search_fields = ("title", "text", "units_clause", "parties__printed_name")
    ordering = ("section__document", "number")
    inlines = (WorkPointPartyInline,)
