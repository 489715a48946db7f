"""The second factor's secrets at rest (GB/T 22239-2019 8.1.4.8): authenticator keys sealed with
SM4 like the applicants' personal data and rotated with the same command, recovery codes kept
as keyed SM3 digests only, and neither shown to anybody in the admin."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from furong_portal.personal_data import parse_key_ring, stored_key_id
from responsibility.models import DigestedStaticDevice, SealedTOTPDevice
from responsibility.second_factor import (
    recovery_codes_issue,
    second_factor_verify,
    totp_enrol_confirmed,
    totp_enrolment_device,
    totp_secret,
)
from tests.disclosure.staff import UNIT_A, editor_of, unit
from tests.factories import UserFactory
from tests.responsibility.test_authentication import current_code, password_login

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("responsibility.migrations.0011_sealed_second_factors")


def stored_key(device) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


def test_a_secret_is_stored_sealed_and_still_gives_the_codes(client, seed):
    editor = editor_of(unit(UNIT_A))
    device = totp_enrolment_device(editor)
    stored = stored_key(device)
    assert stored.startswith("sm4:") and device.bin_key.hex() not in stored
    assert totp_secret(device) not in stored and len(device.bin_key) == 20
    password_login(client, editor)
    client.post(reverse("admin:second_factor"), {"token": current_code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_migration_seals_the_secrets_stored_in_hex_and_the_codes_stay_the_same(seed):
    device = totp_enrol_confirmed(user=UserFactory())
    secret = device.bin_key
    SealedTOTPDevice.objects.filter(pk=device.pk).update(key=secret.hex())  # as django-otp stored it
    MIGRATION.seal_keys(apps, None)
    sealed = SealedTOTPDevice.objects.get(pk=device.pk)
    assert stored_key(sealed).startswith("sm4:") and sealed.bin_key == secret  # the same secret, the same codes
    MIGRATION.seal_keys(apps, None)  # sealed once only
    assert SealedTOTPDevice.objects.get(pk=device.pk).key == sealed.key
    MIGRATION.unseal_keys(apps, None)
    assert stored_key(device) == secret.hex()


def test_the_rekey_command_seals_the_secrets_with_the_new_key(settings, seed):
    device = totp_enrol_confirmed(user=UserFactory())
    secret, old_id = device.bin_key, stored_key_id(stored_key(device))
    settings.PERSONAL_DATA_KEYS = {"new": bytes(range(16)), **settings.PERSONAL_DATA_KEYS}
    output = StringIO()
    call_command("personal_data_rekey", stdout=output)
    assert "1 个身份验证器" in output.getvalue()
    assert stored_key_id(stored_key(device)) == "new" != old_id
    settings.PERSONAL_DATA_KEYS = {"new": settings.PERSONAL_DATA_KEYS["new"]}  # the old key retired
    assert SealedTOTPDevice.objects.get(pk=device.pk).bin_key == secret


def stored_codes(user) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.token FROM otp_static_statictoken t JOIN otp_static_staticdevice d ON d.id = t.device_id"
            " WHERE d.user_id = %s",
            [user.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def test_recovery_codes_are_stored_as_digests_and_each_works_once(seed):
    account = UserFactory()
    totp_enrol_confirmed(user=account)
    codes = recovery_codes_issue(user=account)
    stored = stored_codes(account)
    assert len(stored) == len(codes) == 10 and not set(stored) & set(codes)
    assert all(len(digest) == 16 and code not in digest for digest, code in zip(sorted(stored), sorted(codes)))
    assert second_factor_verify(user=account, token=f" {codes[0].upper()} ")  # as typed from the printed sheet
    assert not second_factor_verify(user=account, token=codes[0])
    assert not second_factor_verify(user=account, token=stored[1])  # a digest read from the table is no code
    assert len(stored_codes(account)) == 9


def test_the_migration_digests_the_recovery_codes_stored_in_clear(seed):
    account = UserFactory()
    totp_enrol_confirmed(user=account)
    recovery_codes_issue(user=account)
    device = DigestedStaticDevice.objects.get(user=account)
    device.token_set.all().delete()
    device.token_set.create(token="abcd2345")  # as django-otp stored a code
    MIGRATION.digest_recovery_codes(apps, None)
    MIGRATION.digest_recovery_codes(apps, None)  # digested once only
    assert stored_codes(account) != ["abcd2345"]
    assert second_factor_verify(user=account, token="abcd2345")


def test_the_admin_shows_no_secret_or_recovery_code(admin_client):
    for model in ("otp_totp/totpdevice", "otp_static/staticdevice"):
        assert admin_client.get(f"/admin/{model}/").status_code == 404
    assert "totpdevice" not in admin_client.get(reverse("admin:index")).content.decode()


def test_a_key_id_too_long_for_a_sealed_secret_is_refused():
    parse_key_ring(f"k2026a:{'00' * 16}")
    with pytest.raises(ImproperlyConfigured, match="1–10 位字母或数字"):
        parse_key_ring(f"rotation2026:{'00' * 16}")
