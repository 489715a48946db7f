"""Writes to requests. Every change of a request goes through here: the public form, the
office's registration and each step of the procedure (条例 第二十九–三十六条), the daily
deadline run. Each function checks who may act, validates, runs in one transaction, and
records the step in `RequestEvent`.

The modules: `common` (error, event log, locks, deadline, query code), `intake` (creating a
request), `procedure` (the steps after registration), `consultation` (pausing the clock),
`daily` (the daily run) and `holidays` (the holiday calendar). Import from this package."""

from .common import (
    APPLICANT_LABEL,
    QUERY_CODE_ALPHABET,
    SYSTEM_LABEL,
    RequestError,
    normalise_query_code,
    query_code_matches,
    request_deadline,
    request_stale_message,
    request_version,
)
from .consultation import request_consultation_end, request_consultation_start
from .daily import (
    consultations_remind_overdue,
    requests_lapse_corrections,
    requests_notify_overdue,
    requests_refresh_deadlines,
)
from .fees import fee_quote, request_fee_notice, request_fee_paid
from .holidays import holiday_day_delete, holiday_day_save, holidays_prefill
from .intake import APPLICATION_FIELDS, request_register, request_submit
from .personal_data import requests_personal_data_erase, requests_personal_data_rekey
from .procedure import (
    request_accept,
    request_answer,
    request_ask_correction,
    request_extend,
    request_lapse_correction,
    request_reassign,
    request_receive_correction,
    request_reset_query_code,
    request_withdraw,
)

__all__ = [
    "requests_personal_data_erase",
    "requests_personal_data_rekey",
    "APPLICANT_LABEL",
    "APPLICATION_FIELDS",
    "QUERY_CODE_ALPHABET",
    "SYSTEM_LABEL",
    "RequestError",
    "consultations_remind_overdue",
    "fee_quote",
    "holiday_day_delete",
    "holiday_day_save",
    "holidays_prefill",
    "normalise_query_code",
    "query_code_matches",
    "request_accept",
    "request_answer",
    "request_ask_correction",
    "request_consultation_end",
    "request_consultation_start",
    "request_deadline",
    "request_stale_message",
    "request_version",
    "request_extend",
    "request_fee_notice",
    "request_fee_paid",
    "request_lapse_correction",
    "request_reassign",
    "request_receive_correction",
    "request_register",
    "request_reset_query_code",
    "request_submit",
    "request_withdraw",
    "requests_lapse_corrections",
    "requests_notify_overdue",
    "requests_refresh_deadlines",
]
