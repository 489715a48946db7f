"""The district office keeps the 错敏词 list and the check settings, and reads the log
of every check run and the link checker's results. Unit staff see findings on their
own items (the item form and the review page), not here."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from disclosure.adminkit import ReadOnlyMixin
from responsibility.admin import DistrictOfficeOnly

from .models import CheckPolicy, CheckRun, LinkStatus, SensitiveTerm


@admin.register(SensitiveTerm)
class SensitiveTermAdmin(DistrictOfficeOnly, admin.ModelAdmin):
    list_display = ("term", "suggestion", "severity", "note", "is_active", "updated_at")
    list_filter = ("severity", "is_active")
    list_editable = ("severity", "is_active")
    search_fields = ("term", "suggestion", "note")
    fields = ("term", "suggestion", "severity", "note", "is_active")


@admin.register(CheckPolicy)
class CheckPolicyAdmin(DistrictOfficeOnly, admin.ModelAdmin):
    list_display = ("__str__", "severity")
    list_editable = ("severity",)
    fields = ("kind", "severity")
    readonly_fields = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(ReadOnlyMixin, DistrictOfficeOnly):
    """Rows only the checks write: the office reads them."""


@admin.register(CheckRun)
class CheckRunAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "item", "stage", "outcome", "finding_count", "secrecy_confirmed", "actor")
    list_filter = ("stage", "outcome", "secrecy_confirmed")
    list_select_related = ("item", "actor")
    search_fields = ("item__title", "item__index_number")
    date_hierarchy = "created_at"
    fields = ("created_at", "item", "stage", "outcome", "finding_list", "secrecy_confirmed", "actor")
    readonly_fields = fields

    @admin.display(description="问题数")
    def finding_count(self, run):
        return len(run.findings)

    @admin.display(description="发现的问题")
    def finding_list(self, run):
        if not run.findings:
            return "无"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}：{}</li>",
                ((("须修改" if f["severity"] == "block" else "提示"), f["message"]) for f in run.findings),
            ),
        )


@admin.register(LinkStatus)
class LinkStatusAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("url", "is_broken", "status_code", "error", "checked_at", "broken_since")
    list_filter = ("is_broken",)
    search_fields = ("url",)
    fields = ("url", "is_broken", "status_code", "error", "checked_at", "broken_since", "last_seen_at", "item_links")
    readonly_fields = fields

    @admin.display(description="所在信息")
    def item_links(self, status):
        return format_html_join(
            "、", '<a href="{}">{}</a>', ((item.get_absolute_url(), item.title) for item in status.items.all())
        )
