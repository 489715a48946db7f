"""The public download of a published report's tables."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .exports import report_xlsx
from .models import AnnualReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_tables_xlsx(request, pk: int):
    report = get_object_or_404(AnnualReport.objects.published().select_related("unit"), pk=pk)
    response = HttpResponse(report_xlsx(report, report.tables), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="annual-report-{report.year}-{report.pk}.xlsx"'
    return response
