"""The office side: scoping is adversarial — every role tries what it must not do."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.requests.models import HolidayCalendarDay, InformationRequest, State

from .conftest import VALID_ID

pytestmark = pytest.mark.django_db

D = dt.date
CHANGELIST = "admin:requests_informationrequest_changelist"


def step_url(request, step):
    return reverse("admin:requests_informationrequest_step", args=(request.pk, step))


def export(client, **params):
    response = client.get(reverse("admin:requests_informationrequest_export"), {"first": "2020-01-01", "last": "2020-12-31", **params})
    assert response.status_code == 200, response.content[:500]
    sheet = load_workbook(BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_unit_staff_see_only_their_units_requests_masked(client, unit_a, unit_b, staff_a, file_request):
    mine = file_request(unit_a, D(2020, 9, 25))
    theirs = file_request(unit_b, D(2020, 9, 25))
    unrouted = file_request(None, D(2020, 9, 25))
    client.force_login(staff_a)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert mine.number in html and theirs.number not in html and unrouted.number not in html
    assert "430***********1234" in html and VALID_ID not in html and "张*" in html
    assert client.get(reverse("admin:requests_informationrequest_change", args=(theirs.pk,))).status_code == 302
    detail = client.get(reverse("admin:requests_informationrequest_change", args=(mine.pk,))).content.decode()
    assert VALID_ID not in detail and "430***********1234" in detail  # masked until asked for
    url = reverse("admin:requests_informationrequest_change", args=(mine.pk,))
    assert VALID_ID in client.get(url, {"personal": "full"}).content.decode()  # the handling unit may, audited


def test_district_office_sees_all(client, unit_a, unit_b, office, file_request):
    numbers = [file_request(unit, D(2020, 9, 25)).number for unit in (unit_a, unit_b, None)]
    client.force_login(office)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert all(number in html for number in numbers)


def test_other_units_staff_cannot_take_steps_by_forged_url(client, unit_a, staff_b, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    client.force_login(staff_b)
    for step in ("accept", "answer", "withdraw", "ask-correction"):
        assert client.post(step_url(request, step), {"note": "x", "on": "2020-09-28"}).status_code == 404
    assert client.post(reverse("admin:requests_informationrequest_reset_code", args=(request.pk,))).status_code == 404
    request.refresh_from_db()
    assert request.state == State.REGISTERED and request.events.count() == 1


def test_unit_staff_cannot_reassign(client, unit_a, unit_b, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    client.force_login(staff_a)
    assert client.post(step_url(request, "reassign"), {"unit": unit_b.pk}).status_code == 403
    request.refresh_from_db()
    assert request.unit == unit_a


def test_office_reassigns_only_to_column_five_units(client, unit_b, office, file_request, seed):
    from responsibility.models import Unit

    request = file_request(None, D(2020, 9, 25))
    client.force_login(office)
    outsider = Unit.objects.get(name="长沙供电公司")
    response = client.post(step_url(request, "reassign"), {"unit": outsider.pk})
    assert "请选择有效的单位" in response.content.decode()
    response = client.post(step_url(request, "reassign"), {"unit": unit_b.pk, "note": "民政职责"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.unit == unit_b


def test_steps_through_the_admin_call_the_services(client, unit_a, staff_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    client.force_login(staff_a)
    assert client.post(step_url(request, "accept"), {"on": "2020-09-28"}).status_code == 302
    response = client.post(step_url(request, "extend"), {"days": 25, "reason": "r", "approver": "a", "extended_on": "2020-10-20"})
    assert "20" in response.content.decode() and InformationRequest.objects.get(pk=request.pk).extension_days == 0
    response = client.post(
        step_url(request, "answer"),
        {"outcome": "partly", "outcome_reason": "", "letter_number": "芙教信复〔2020〕8号", "letter_text": "部分公开。", "sent_on": "2020-10-20"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.outcome, request.sent_on) == (State.ANSWERED, "partly", D(2020, 10, 20))


def test_answer_letter_file_is_checked(client, unit_a, staff_a, file_request):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = file_request(unit_a, D(2020, 9, 25))
    client.force_login(staff_a)
    fake = SimpleUploadedFile("letter.pdf", b"MZ this is an executable", content_type="application/pdf")
    data = {"outcome": "disclosed", "letter_number": "芙教信复〔2020〕9号", "sent_on": "2020-10-20", "letter_file": fake}
    assert "文件内容与扩展名不符" in client.post(step_url(request, "answer"), data).content.decode()
    data["letter_file"] = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", content_type="application/pdf")
    assert client.post(step_url(request, "answer"), data).status_code == 302
    request.refresh_from_db()
    assert request.letter_file.name.startswith("request-letters/") and request.number in request.letter_file.name


def test_registration_shows_the_query_code_once(client, unit_a, staff_a):
    client.force_login(staff_a)
    data = {
        "channel": "post", "received_on": "2020-09-25", "applicant_kind": "person", "applicant_name": "王五",
        "id_type": "id_card", "id_number": VALID_ID, "phone": "13800000000", "description": "某信息",
        "medium": "paper", "delivery": "post", "address": "某地", "unit": str(unit_a.pk),
    }
    response = client.post(reverse("admin:requests_informationrequest_add"), data, follow=True)
    assert "查询码" in response.content.decode()
    request = InformationRequest.objects.get()
    assert (request.channel, request.received_on, request.due_on, request.created_by) == ("post", D(2020, 9, 25), D(2020, 10, 29), staff_a)


def test_export_leaves_out_identity_unless_the_office_asks(client, unit_a, unit_b, staff_a, office, file_request):
    file_request(unit_a, D(2020, 9, 25))
    file_request(unit_b, D(2020, 9, 26))
    client.force_login(staff_a)
    rows = export(client, include_identity="on")  # forged: a unit cannot ask for identity data
    assert len(rows) == 3 and "证件号码" not in rows[1]
    assert not any(VALID_ID in str(value) for row in rows for value in row)
    client.force_login(office)
    assert len(export(client)) == 4 and "证件号码" not in export(client)[1]
    rows = export(client, include_identity="on")
    assert "证件号码" in rows[1] and any(VALID_ID in str(value) for row in rows for value in row)


def test_only_the_office_edits_the_holiday_calendar(client, staff_a, office, holiday_table):
    day = HolidayCalendarDay.objects.get(date=D(2020, 10, 1))
    url = reverse("admin:requests_holidaycalendarday_change", args=(day.pk,))
    client.force_login(staff_a)
    client.post(url, {"date": "2020-10-01", "name": "改", "is_workday": "on"})
    day.refresh_from_db()
    assert not day.is_workday
    client.force_login(office)
    assert client.post(url, {"date": "2020-10-01", "name": "国庆节", "is_workday": "on"}).status_code == 302
    day.refresh_from_db()
    assert day.is_workday and day.source == "office"


def test_holiday_edit_recounts_open_deadlines(client, unit_a, office, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    client.force_login(office)
    client.post(reverse("admin:requests_holidaycalendarday_add"), {"date": "2020-10-29", "name": "测试", "is_workday": ""})
    request.refresh_from_db()
    assert request.due_on == D(2020, 10, 30)


def test_annual_report_page_shows_balanced_table(client, office, unit_a, file_request):
    file_request(unit_a, D(2020, 9, 25))
    client.force_login(office)
    html = client.get(reverse("admin:requests_informationrequest_annual_report"), {"year": 2020}).content.decode()
    assert "各列均平衡" in html and "本年新收政府信息公开申请数量" in html


def step_version(client, request, step) -> str:
    import re

    page = client.get(step_url(request, step)).content.decode()
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def test_a_step_opened_before_another_steps_is_refused_naming_it(unit_a, staff_a, file_request):
    from django.test import Client

    from .conftest import make_staff

    colleague = make_staff("reviewer-a", unit=unit_a, role="审核员")
    request = file_request(unit_a, D(2020, 9, 25))
    first, second = Client(), Client()
    first.force_login(staff_a)
    second.force_login(colleague)
    assert first.post(step_url(request, "accept"), {"on": "2020-09-28"}).status_code == 302
    answer_version = step_version(first, request, "answer")
    extend_version = step_version(second, request, "extend")

    extended = second.post(
        step_url(request, "extend"),
        {"days": 10, "reason": "需调取档案", "approver": "张主任", "extended_on": "2020-10-20", "version": extend_version},
    )
    assert extended.status_code == 302
    refused = first.post(
        step_url(request, "answer"),
        {"outcome": "partly", "outcome_reason": "", "letter_number": "芙教信复〔2020〕9号", "letter_text": "部分公开。",
         "sent_on": "2020-10-21", "version": answer_version},
    )  # fmt: skip
    page = refused.content.decode()
    assert refused.status_code == 200 and "未办理" in page and "延期" in page
    request.refresh_from_db()
    assert request.state == State.EXTENDED and not request.letter_number
