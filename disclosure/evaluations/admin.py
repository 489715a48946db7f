"""The office reads individual evaluations here (read-only); results are on its dashboard."""

from django.contrib import admin

from disclosure.adminkit import ReadOnlyMixin
from responsibility.admin import DistrictOfficeOnly

from .models import Evaluation, SectionScore


class SectionScoreInline(admin.TabularInline):
    model = SectionScore
    extra = 0
    fields = ("column", "satisfaction")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyMixin, DistrictOfficeOnly, admin.ModelAdmin):
    list_display = ("__str__", "period", "submitted_at", "timeliness", "findability", "comment")
    list_filter = ("period", "timeliness", "findability")
    search_fields = ("comment",)
    date_hierarchy = "submitted_at"
    fields = ("period", "submitted_at", "timeliness", "findability", "comment")
    readonly_fields = fields
    inlines = (SectionScoreInline,)
