"""The district office's xlsx export: the completion matrix and the unit scorecards."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from furong_portal.spreadsheets import row_safe

from .selectors import CompletionMatrix, UnitScorecard

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F6F8FA")

SCORECARD_COLUMNS = (
    ("责任单位", lambda card: card.unit.name),
    ("任务数", lambda card: card.tasks.total),
    ("已完成", lambda card: card.tasks.done),
    ("待审核", lambda card: card.tasks.in_review),
    ("30天内到期", lambda card: card.tasks.due_soon),
    ("已逾期", lambda card: card.tasks.overdue),
    ("完成率（%）", lambda card: card.tasks.done_percent),
    ("负责栏目", lambda card: card.columns_total),
    ("空白栏目", lambda card: card.columns_empty),
    ("未及时更新栏目", lambda card: card.columns_stale),
    ("本年发布信息", lambda card: card.items_this_year),
)


def _header(sheet, titles) -> None:
    sheet.append(row_safe(titles))
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def office_workbook(*, matrix: CompletionMatrix, scorecards: list[UnitScorecard], today: date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "完成情况矩阵"
    _header(sheet, ["责任单位", *(f"（{p.point.chinese_number}）{p.point.title}" for p in matrix.progress)])
    for row in matrix.rows:
        sheet.append(row_safe([row.unit.name, *(task.get_state_display() if task else "" for task in row.cells)]))
    sheet.append(["要点完成度（%）", *(p.percent if p.percent is not None else "未分解任务" for p in matrix.progress)])
    sheet.append(["要点状态", *(p.schedule_label for p in matrix.progress)])
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 28
    for index in range(2, len(matrix.progress) + 2):
        sheet.column_dimensions[get_column_letter(index)].width = 14

    cards = workbook.create_sheet("单位记分卡")
    _header(cards, (title for title, _value in SCORECARD_COLUMNS))
    for card in scorecards:
        cards.append(row_safe(value(card) for _title, value in SCORECARD_COLUMNS))
    cards.freeze_panes = "B2"
    cards.column_dimensions["A"].width = 28
    cards.append([])
    cards.append([f"统计日期：{today:%Y-%m-%d}"])

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
