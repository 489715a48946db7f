"""The report's three tables as an xlsx workbook, one sheet each, in the national layout."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from .models import AnnualReport
from .selectors import TABLE4_RESULTS, table3_layout

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _put(sheet, row: int, column: int, value, *, rowspan: int = 1, colspan: int = 1, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.font = Font(bold=bold)
    if rowspan > 1 or colspan > 1:
        sheet.merge_cells(start_row=row, start_column=column, end_row=row + rowspan - 1, end_column=column + colspan - 1)
    for r in range(row, row + rowspan):
        for c in range(column, column + colspan):
            sheet.cell(row=r, column=c).border = BOX


def _table2(sheet, table: dict) -> None:
    row = 1
    for heading, rows in (
        ("第二十条第（一）项", (("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),)),
        ("第二十条第（五）项", ()),
        ("第二十条第（六）项", ()),
        ("第二十条第（八）项", ()),
    ):
        _put(sheet, row, 1, heading, colspan=4, bold=True)
        row += 1
        if heading.endswith("（一）项"):
            for column, text in enumerate(rows[0], start=1):
                _put(sheet, row, column, text, bold=True)
            row += 1
            for key in ("rule", "normative_document"):
                values = table[key]
                for column, value in enumerate((values["label"], values["issued"], values["repealed"], values["in_force"]), 1):
                    _put(sheet, row, column, value)
                row += 1
            continue
        unit_label = "本年收费金额（单位：万元）" if heading.endswith("（八）项") else "本年处理决定数量"
        _put(sheet, row, 1, "信息内容", bold=True)
        _put(sheet, row, 2, unit_label, colspan=3, bold=True)
        row += 1
        keys = {"第二十条第（五）项": ("licences",), "第二十条第（六）项": ("penalties", "coercions"), "第二十条第（八）项": ("fees",)}[heading]
        for key in keys:
            _put(sheet, row, 1, table[key]["label"])
            _put(sheet, row, 2, float(table[key]["amount"]) if key == "fees" else table[key]["decisions"], colspan=3)
            row += 1


def _table3(sheet, table: dict) -> None:
    _put(sheet, 1, 1, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3, bold=True)
    _put(sheet, 1, 4, "申请人情况", colspan=7, bold=True)
    _put(sheet, 2, 4, "自然人", rowspan=2, bold=True)
    _put(sheet, 2, 5, "法人或其他组织", colspan=5, bold=True)
    _put(sheet, 2, 10, "总计", rowspan=2, bold=True)
    for column, label in enumerate(table["columns"][1:-1], start=5):
        _put(sheet, 3, column, label, bold=True)
    row = 4
    for labels, cells in table3_layout(table):
        column = 4 - sum(label.colspan for label in labels)
        for label in labels:
            _put(sheet, row, column, label.text, rowspan=label.rowspan, colspan=label.colspan)
            column += label.colspan
        for offset, count in enumerate(cells):
            _put(sheet, row, 4 + offset, count)
        row += 1
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["C"].width = 36


def _table4(sheet, table: dict) -> None:
    _put(sheet, 1, 1, "行政复议", colspan=5, bold=True)
    _put(sheet, 1, 6, "行政诉讼", colspan=10, bold=True)
    for offset, (_, label) in enumerate(TABLE4_RESULTS):
        _put(sheet, 2, 1 + offset, label, rowspan=2, bold=True)
        _put(sheet, 3, 6 + offset, label, bold=True)
        _put(sheet, 3, 11 + offset, label, bold=True)
    _put(sheet, 2, 6, "未经复议直接起诉", colspan=5, bold=True)
    _put(sheet, 2, 11, "复议后起诉", colspan=5, bold=True)
    for group, kind in enumerate(("reconsideration", "litigation_direct", "litigation_after")):
        for offset, (key, _) in enumerate(TABLE4_RESULTS):
            _put(sheet, 4, 1 + group * 5 + offset, table[kind][key])


def report_xlsx(report: AnnualReport, tables: dict) -> bytes:
    workbook = Workbook()
    sheets = (
        ("二、主动公开政府信息情况", _table2, "table2"),
        ("三、收到和处理政府信息公开申请情况", _table3, "table3"),
        ("四、行政复议、行政诉讼情况", _table4, "table4"),
    )
    for index, (title, write, key) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title[:31]
        write(sheet, tables[key])
    workbook.properties.title = report.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
