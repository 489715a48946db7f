"""The public pages: the form with its abuse controls, the receipt, the status page."""

import datetime as dt
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from disclosure.requests import services
from disclosure.requests.models import InformationRequest, Outcome, State

from .conftest import VALID_ID, details

pytestmark = pytest.mark.django_db

IDENTITY = ("张三", VALID_ID, "13812345678", "zhangsan@example.com", "五一大道1号")


def form_data(client, target_unit, **overrides):
    page = client.get(reverse("requests:apply"))
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    data = {
        "applicant_kind": "person",
        "organisation_type": "",
        "applicant_name": "张三",
        "id_type": "id_card",
        "id_number": VALID_ID,
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "长沙市芙蓉区五一大道1号",
        "postcode": "410011",
        "description": "2020年芙蓉区某道路改造工程的立项批复文件",
        "medium": "electronic",
        "delivery": "email",
        "unit": str(target_unit.pk) if target_unit else "unknown",
        "token": token,
        "agree": "on",
        "website": "",
    }
    return {**data, **overrides}


def submit(client, data, address="203.0.113.5"):
    return client.post(reverse("requests:apply"), data, REMOTE_ADDR=address)


def assert_no_identity(html: str):
    for value in IDENTITY:
        assert value not in html, value


def test_form_page_offers_column_five_units_and_unknown(client, units, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("requests:apply"))
    html = response.content.decode()
    assert "不清楚（由区政务公开办转办）" in html
    assert units.count() == 44  # 湘湖管理局, 13 街道, 30 区直部门
    assert "区教育局" in html and "长沙供电公司" not in html


def test_successful_submission_shows_number_and_code_once(client, unit_a, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, form_data(client, unit_a))
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()
    request = InformationRequest.objects.get()
    assert request.number in receipt
    code = re.search(r'data-testid="query-code">([^<]+)<', receipt).group(1)
    assert services.query_code_matches(request, code)
    assert_no_identity(receipt)
    again = client.get(reverse("requests:submitted"))
    assert again.status_code == 302 and code not in client.get(again["Location"]).content.decode()
    assert code in mailoutbox[0].body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_name", "", "请填写申请人姓名或名称"),
        ("description", "", "请描述所需政府信息的内容"),
        ("id_number", "", "请填写证件号码"),
        ("applicant_name", "张" * 101, "最多填写 100 个字"),
        ("description", "长" * 2001, "最多填写 2000 个字"),
        ("address", "路" * 201, "最多填写 200 个字"),
        ("id_number", "430102199003071235", "校验位不正确"),
        ("id_number", "43010219900307", "应为18位"),
        ("email", "not-an-email", "有效的电子邮箱"),
        ("postcode", "4100", "6位数字"),
        ("unit", "999999", "请选择有效的受理单位"),
        ("unit", "38", "请选择有效的受理单位"),  # a real unit without a duty on column 五
        ("delivery", "post", "邮寄"),  # electronic by post
    ],
)
def test_bad_input_is_refused_with_a_chinese_message_and_nothing_typed_is_lost(client, unit_a, field, value, message):
    data = form_data(client, unit_a, **{field: value})
    response = submit(client, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "2020年芙蓉区某道路改造工程的立项批复文件" in html or field == "description"
    assert not InformationRequest.objects.exists()


def test_organisation_needs_its_type_and_a_valid_credit_code(client, unit_a):
    data = form_data(client, unit_a, applicant_kind="organisation", id_type="credit_code", id_number="91350100M000100Y44")
    html = submit(client, data).content.decode()
    assert "请选择法人或其他组织的类型" in html and "统一社会信用代码校验位不正确" in html and "请填写联系人" in html
    data.update(organisation_type="business", id_number="91350100M000100Y43", contact_person="李四")
    assert submit(client, data).status_code == 302
    assert InformationRequest.objects.get().organisation_type == "business"


def test_unknown_unit_goes_to_the_district_office(client, units):
    assert submit(client, form_data(client, None)).status_code == 302
    assert InformationRequest.objects.get().unit is None


def test_honeypot_refuses_without_saving(client, unit_a):
    response = submit(client, form_data(client, unit_a, website="http://spam.example"))
    assert response.status_code == 400 and "未被受理" in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_replayed_form_is_refused(client, unit_a):
    data = form_data(client, unit_a)
    assert submit(client, data).status_code == 302
    response = submit(client, data, address="198.51.100.7")
    assert response.status_code == 409 and "已经提交过" in response.content.decode()
    assert InformationRequest.objects.count() == 1


def test_forged_or_expired_token_is_refused_and_a_fresh_one_offered(client, unit_a):
    data = form_data(client, unit_a, token="forged")
    html = submit(client, data).content.decode()
    assert "申请表已过期或无效" in html
    fresh = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert fresh != "forged"
    assert submit(client, {**data, "token": fresh}).status_code == 302


@override_settings(RATE_LIMITS={"submit_per_ip": (3, 3600), "submit_per_identity": (100, 86400)})
def test_flood_from_one_address_is_stopped(client, unit_a):
    for _ in range(3):
        assert submit(client, form_data(client, unit_a)).status_code == 302
    response = submit(client, form_data(client, unit_a))
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert InformationRequest.objects.count() == 3
    assert submit(client, form_data(client, unit_a), address="198.51.100.7").status_code == 302


@override_settings(RATE_LIMITS={"submit_per_ip": (100, 3600), "submit_per_identity": (2, 86400)})
def test_flood_from_one_identity_is_stopped_from_any_address(client, unit_a):
    for n in range(2):
        assert submit(client, form_data(client, unit_a), address=f"198.51.100.{n}").status_code == 302
    response = submit(client, form_data(client, unit_a), address="198.51.100.99")
    assert response.status_code == 429 and "同一证件" in response.content.decode()
    assert InformationRequest.objects.count() == 2


def test_status_page_needs_number_and_code_and_shows_no_identity(client, unit_a, staff_a):
    request, code = services.request_submit(details=details(unit_a), form_nonce="n", today=dt.date(2020, 9, 25))
    other = client.__class__()
    assert other.get(reverse("requests:status", args=(request.number,))).status_code == 302
    response = other.post(reverse("requests:lookup"), {"number": request.number, "code": "WRONG-CODE"})
    assert "申请编号或查询码不正确" in response.content.decode()
    response = other.post(reverse("requests:lookup"), {"number": request.number.lower(), "code": code.lower()}, follow=True)
    html = response.content.decode()
    assert "已登记" in html and "2020-10-29" in html
    assert_no_identity(html)


@override_settings(RATE_LIMITS={"lookup_per_ip": (3, 3600)})
def test_guessing_query_codes_is_rate_limited(client, unit_a):
    request, code = services.request_submit(details=details(unit_a), form_nonce="n")
    for _ in range(3):
        client.post(reverse("requests:lookup"), {"number": request.number, "code": "AAAA-AAAA"})
    response = client.post(reverse("requests:lookup"), {"number": request.number, "code": code})
    assert response.status_code == 429 and "次数过多" in response.content.decode()


def test_applicant_submits_the_correction_on_the_status_page(client, unit_a, staff_a):
    request, code = services.request_submit(details=details(unit_a), form_nonce="n")
    services.request_ask_correction(request=request, actor=staff_a, instructions="请写明道路名称", due_on=dt.date.today() + dt.timedelta(days=15))
    client.post(reverse("requests:lookup"), {"number": request.number, "code": code})
    page = client.get(reverse("requests:status", args=(request.number,))).content.decode()
    assert "请写明道路名称" in page
    empty = client.post(reverse("requests:status", args=(request.number,)), {"text": ""})
    assert "请填写补正内容" in empty.content.decode()
    too_long = client.post(reverse("requests:status", args=(request.number,)), {"text": "字" * 2001})
    assert "最多填写 2000 个字" in too_long.content.decode()
    response = client.post(reverse("requests:status", args=(request.number,)), {"text": "人民路改造工程"}, follow=True)
    assert "补正内容已提交" in response.content.decode()
    request.refresh_from_db()
    assert request.state == State.PROCESSING and request.correction_text == "人民路改造工程"


def test_answered_request_shows_outcome_and_letter(client, unit_a, staff_a):
    request, code = services.request_submit(details=details(unit_a), form_nonce="n")
    services.request_answer(
        request=request, actor=staff_a, outcome=Outcome.PARTLY, letter_number="芙教信复〔2020〕3号", letter_text="部分信息涉及商业秘密。",
    )
    client.post(reverse("requests:lookup"), {"number": request.number, "code": code})
    html = client.get(reverse("requests:status", args=(request.number,))).content.decode()
    assert "部分公开" in html and "芙教信复〔2020〕3号" in html and "部分信息涉及商业秘密" in html
    assert_no_identity(html)


def test_procedure_and_paper_form_pages(client, units):
    procedure = client.get(reverse("requests:procedure")).content.decode()
    assert "2020 年 10 月 29 日" in procedure and "属于行政查询事项" in procedure
    paper = client.get(reverse("requests:paper-form")).content.decode()
    assert "芙蓉区政府信息公开申请表" in paper and "Ctrl+P" in paper


@override_settings(RATE_LIMITS={"submit_per_ip": (100, 3600), "submit_per_identity": (2, 86400)})
def test_spaces_in_the_identity_number_do_not_escape_the_identity_limit(client, unit_a):
    spaced = " ".join((VALID_ID[:6], VALID_ID[6:14], VALID_ID[14:]))
    for number, written in enumerate((VALID_ID, spaced.lower())):
        assert submit(client, form_data(client, unit_a, id_number=written), address=f"198.51.100.{number}").status_code == 302
    response = submit(client, form_data(client, unit_a, id_number=f" {spaced} "), address="198.51.100.99")
    assert response.status_code == 429 and "同一证件" in response.content.decode()


@override_settings(RATE_LIMITS={"lookup_per_ip": (100, 3600), "lookup_per_number": (3, 3600)})
def test_guessing_one_requests_code_from_many_addresses_is_limited(client, unit_a):
    request, code = services.request_submit(details=details(unit_a), form_nonce="n")
    for number in range(3):
        client.post(reverse("requests:lookup"), {"number": request.number, "code": "AAAA-AAAA"}, REMOTE_ADDR=f"198.51.100.{number}")
    response = client.post(reverse("requests:lookup"), {"number": request.number, "code": code}, REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429


@override_settings(RATE_LIMITS={"lookup_per_ip": (2, 3600), "lookup_per_number": (100, 3600)})
def test_successful_lookups_do_not_use_up_the_allowance(client, unit_a):
    request, code = services.request_submit(details=details(unit_a), form_nonce="n")
    for _ in range(5):
        response = client.post(reverse("requests:lookup"), {"number": request.number, "code": code})
        assert response.status_code == 302
