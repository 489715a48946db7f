"""The office's dashboard page of 社会评议: results by quarter and by column (server-drawn charts,
xlsx export, text for the annual report). The data comes from `disclosure.evaluations`; these
views only lay it out in the office's frame."""

from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView, View

from disclosure.evaluations.exports import results_workbook
from disclosure.evaluations.selectors import (
    annual_report_sections,
    evaluation_results,
    periods_of_year,
    recent_comments,
    recent_periods,
)
from responsibility.audit import Action as AuditAction
from responsibility.audit import audit_record

from . import charts
from .views import OfficePageMixin


def _periods(request, today) -> tuple[list[str], int | None]:
    """The year asked for (?year=2026), or the last four quarters."""
    year = request.GET.get("year", "")
    if year.isdigit() and 2000 <= int(year) <= today.year:
        return periods_of_year(int(year)), int(year)
    return recent_periods(today), None


class EvaluationResultsView(OfficePageMixin, TemplateView):
    template_name = "tasks/admin/office_evaluations.html"
    title = "社会评议结果"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        periods, year = _periods(self.request, today)
        results = evaluation_results(periods)
        total = results[-1]
        return super().get_context_data(
            results=results,
            total=total,
            # Every result lists the same columns in the same order: one row per column.
            rows=[(section.column, [result.sections[index] for result in results]) for index, section in enumerate(total.sections)],
            year=year,
            years=range(today.year, today.year - 5, -1),
            report=annual_report_sections(year or today.year),
            report_year=year or today.year,
            comments=recent_comments(periods),
            section_chart=charts.horizontal_bars(
                [(s.column.title, s.satisfied_percent) for s in total.sections], title="各栏目满意率"
            ),
            period_chart=charts.columns([(r.period, r.count) for r in results[:-1]], title="各季度评议份数"),
            **kwargs,
        )


class EvaluationExportView(OfficePageMixin, View):
    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        periods, year = _periods(request, today)
        content = results_workbook(evaluation_results(periods), recent_comments(periods, limit=10000))
        audit_record(
            action=AuditAction.DATA_EXPORTED, actor=request.user, request=request,
            target="社会评议结果", detail={"format": "xlsx", "periods": periods},
        )  # fmt: skip
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = f"evaluations-{year}" if year else f"evaluations-{today:%Y%m%d}"
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
