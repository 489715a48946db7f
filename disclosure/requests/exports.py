"""Requests of a period as an xlsx workbook.

Written with openpyxl directly rather than a django-import-export resource: the identity
columns come and go with who asks, and nothing is ever imported back."""

import datetime as dt
from io import BytesIO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from furong_portal.spreadsheets import row_safe

from .selectors import deadline_status
from .workdays import WorkCalendar

COLUMNS = (
    ("申请编号", lambda r, s: r.number),
    ("申请渠道", lambda r, s: r.get_channel_display()),
    ("收到申请日期", lambda r, s: r.received_on),
    ("计时起算日期", lambda r, s: r.clock_start_on),
    ("申请人类型", lambda r, s: r.applicant_type_display),
    ("所需信息", lambda r, s: r.description),
    ("信息名称", lambda r, s: r.document_title),
    ("文号", lambda r, s: r.document_number),
    ("载体", lambda r, s: r.get_medium_display()),
    ("获取方式", lambda r, s: r.get_delivery_display()),
    ("办理单位", lambda r, s: r.unit_display),
    ("状态", lambda r, s: r.get_state_display()),
    ("答复期限", lambda r, s: r.due_on),
    ("期限情况", lambda r, s: s.label),
    ("延期工作日", lambda r, s: r.extension_days or None),
    ("办理结果", lambda r, s: r.outcome_display if r.outcome else ""),
    ("答复书文号", lambda r, s: r.letter_number),
    ("答复日期", lambda r, s: r.sent_on),
    ("办结日期", lambda r, s: r.closed_on),
)
IDENTITY_COLUMNS = (
    ("姓名或名称", lambda r, s: r.applicant_name),
    ("证件类型", lambda r, s: r.get_id_type_display()),
    ("证件号码", lambda r, s: r.id_number),
    ("联系人", lambda r, s: r.contact_person),
    ("联系电话", lambda r, s: r.phone),
    ("电子邮箱", lambda r, s: r.email),
    ("通信地址", lambda r, s: r.address),
    ("邮政编码", lambda r, s: r.postcode),
)


def requests_xlsx(requests, *, include_identity: bool, today: dt.date, title: str) -> bytes:
    """The workbook; identity and contact columns only when `include_identity`."""
    columns = COLUMNS[:5] + (IDENTITY_COLUMNS if include_identity else ()) + COLUMNS[5:]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "政府信息公开申请"
    sheet.append([title])
    sheet.append([label for label, _ in columns])
    calendar = WorkCalendar()
    for request in requests:
        status = deadline_status(request, today=today, calendar=calendar)
        sheet.append(row_safe(value(request, status) for _, value in columns))
    for index, (label, _) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(label) * 2 + 2)
        for cell in sheet[get_column_letter(index)][2:]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_queryset(requests, first: dt.date, last: dt.date):
    return requests.received_between(first, last).select_related("unit").order_by("received_on", "pk")

