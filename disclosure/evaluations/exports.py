"""The 社会评议 results as an xlsx workbook for the office."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import PeriodResult


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(value) if hasattr(value, "quantize") else value for value in row])
    for index, _ in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = 18


def results_workbook(results: list[PeriodResult], comments) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook, "按评议期", ("评议期", "评议份数", "及时性平均分", "便捷性平均分", "意见建议条数"),
        [(r.period, r.count, r.timeliness, r.findability, r.comments) for r in results],
    )  # fmt: skip
    _sheet(
        workbook, "按栏目", ("评议期", "栏目", "评价人数", "平均分", "满意率（%）"),
        [(r.period, s.column.title, s.count, s.average, s.satisfied_percent) for r in results for s in r.sections],
    )  # fmt: skip
    _sheet(workbook, "意见建议", ("评议期", "提交时间", "意见建议"), [(c.period, c.submitted_at.strftime("%Y-%m-%d %H:%M"), c.comment) for c in comments])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
