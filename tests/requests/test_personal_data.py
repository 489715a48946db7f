"""Applicants' personal data (个人信息保护法; GB/T 22239-2019 8.1.4.8–8.1.4.11): encrypted with
SM4 at rest, found by a keyed SM3 digest, masked unless asked for with every full view audited,
moved to a new key by the rotation command, and erased when the retention period ends."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from disclosure.requests import services
from disclosure.requests.models import InformationRequest, Outcome
from furong_portal import personal_data
from furong_portal.personal_data import is_encrypted, sm3_keyed_digest, sm4_decrypt, sm4_encrypt, stored_key_id
from responsibility.models import AuditEvent

from .conftest import VALID_ID

pytestmark = pytest.mark.django_db

D = dt.date
PERSONAL = (VALID_ID, "13812345678", "zhangsan@example.com", "长沙市芙蓉区五一大道1号")
CHANGE = "admin:requests_informationrequest_change"


def raw_rows() -> list[tuple]:
    """What a dump of the table holds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM requests_informationrequest")
        return cursor.fetchall()


def raw_value(request, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM requests_informationrequest WHERE id = %s", [request.pk])
        return cursor.fetchone()[0]


def test_personal_data_are_not_readable_in_a_raw_dump(unit_a, file_request):
    request = file_request(unit_a, D(2020, 9, 25))
    dump = repr(raw_rows())
    leaked = [value for value in PERSONAL if value in dump]
    assert leaked == []
    assert is_encrypted(raw_value(request, "id_number")) and is_encrypted(raw_value(request, "email"))
    fresh = InformationRequest.objects.get(pk=request.pk)
    assert (fresh.id_number, fresh.phone, fresh.email, fresh.address) == PERSONAL


def test_the_same_value_encrypts_differently_each_time():
    assert sm4_encrypt("13812345678") != sm4_encrypt("13812345678")


def test_a_changed_ciphertext_is_refused():
    stored = sm4_encrypt("13812345678")
    forged = stored[:-6] + ("AAAA==" if not stored.endswith("AAAA==") else "BBBB==")
    with pytest.raises(ValueError, match="校验失败"):
        sm4_decrypt(forged)


def test_an_identity_number_is_found_by_its_keyed_digest(unit_a, file_request, client, office):
    request = file_request(unit_a, D(2020, 9, 25))
    assert raw_value(request, "id_number_digest") == sm3_keyed_digest(VALID_ID) != ""
    assert InformationRequest.objects.filter(id_number_digest=sm3_keyed_digest(VALID_ID.lower())).get() == request
    client.force_login(office)
    html = client.get(reverse("admin:requests_informationrequest_changelist"), {"q": VALID_ID}).content.decode()
    assert request.number in html


def test_the_change_page_masks_and_a_full_view_is_audited(unit_a, file_request, client, staff_a):
    request = file_request(unit_a, D(2020, 9, 25))
    client.force_login(staff_a)
    masked = client.get(reverse(CHANGE, args=(request.pk,))).content.decode()
    assert not [value for value in PERSONAL if value in masked] and "查看完整个人信息" in masked
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PERSONAL_DATA_VIEWED).exists()
    full = client.get(reverse(CHANGE, args=(request.pk,)), {"personal": "full"}).content.decode()
    assert all(value in full for value in PERSONAL)
    event = AuditEvent.objects.get(action=AuditEvent.Action.PERSONAL_DATA_VIEWED)
    assert (event.actor, event.target_id, event.ip_address) == (staff_a, str(request.pk), "127.0.0.1")


def test_another_units_staff_cannot_ask_for_the_full_view(unit_a, file_request, client, staff_b):
    request = file_request(unit_a, D(2020, 9, 25))
    client.force_login(staff_b)
    response = client.get(reverse(CHANGE, args=(request.pk,)), {"personal": "full"})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PERSONAL_DATA_VIEWED).exists()


def test_key_rotation_moves_every_value_to_the_new_key(unit_a, file_request, settings):
    request = file_request(unit_a, D(2020, 9, 25))
    old_id = personal_data.current_key_id()
    new_key = bytes.fromhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
    settings.PERSONAL_DATA_KEYS = {"new": new_key, **settings.PERSONAL_DATA_KEYS}
    assert stored_key_id(raw_value(request, "phone")) == old_id
    assert InformationRequest.objects.get(pk=request.pk).phone == "13812345678"  # the old key still reads
    call_command("personal_data_rekey", stdout=StringIO())
    assert {stored_key_id(raw_value(request, column)) for column in ("id_number", "phone", "email", "address")} == {
        "new"
    }
    settings.PERSONAL_DATA_KEYS = {"new": new_key}  # the old key retired
    assert InformationRequest.objects.get(pk=request.pk).email == "zhangsan@example.com"


def test_retention_erases_personal_data_of_long_closed_requests(unit_a, file_request, staff_a):
    old = file_request(unit_a, D(2018, 3, 1))
    recent = file_request(unit_a, D(2020, 9, 25), id_number="11010519491231002X")
    for request in (old, recent):
        services.request_answer(
            request=request, actor=staff_a, outcome=Outcome.DISCLOSED, letter_number=f"芙政公开〔{request.pk}〕1号",
            letter_text="予以公开。", sent_on=request.received_on + dt.timedelta(days=3),
        )  # fmt: skip
    assert services.requests_personal_data_erase(closed_before=D(2019, 1, 1)) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.id_number, old.phone, old.email, old.address, old.applicant_name) == ("", "", "", "", "张*")
    assert old.personal_data_erased_on is not None and old.outcome == Outcome.DISCLOSED
    assert recent.id_number == "11010519491231002X"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PERSONAL_DATA_ERASED).exists()
    assert services.requests_personal_data_erase(closed_before=D(2019, 1, 1)) == 0
