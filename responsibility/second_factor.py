"""The second factor of every back-office account (GB/T 22239-2019 8.1.4.1 d):
a TOTP authenticator (RFC 6238, django-otp) enrolled at the first login, single-use
recovery codes for a lost phone, and a reset by the office when both are gone."""

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken

from furong_portal.personal_data import sm4_seal

from .audit import Action, Outcome, audit_record
from .models import DigestedStaticDevice, SealedTOTPDevice, recovery_code_digest, sealed_totp_key

TOTP_DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"


def has_second_factor(user) -> bool:
    return SealedTOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_enrolment_device(user) -> SealedTOTPDevice:
    """The account's not yet confirmed authenticator: made once, shown until confirmed."""
    device = SealedTOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or SealedTOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, confirmed=False, key=sealed_totp_key()
    )


def totp_secret(device: SealedTOTPDevice) -> str:
    """The key as the base32 text an authenticator app accepts when typed in."""
    return base64.b32encode(device.bin_key).decode()


def totp_qr_svg(device: SealedTOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)


def recovery_codes_issue(*, user) -> list[str]:
    """Replace the account's recovery codes with fresh ones, each good once; returns them, the
    only time they can be read (only their digests are stored)."""
    DigestedStaticDevice.objects.filter(user=user).delete()
    device = DigestedStaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_code_digest(code)) for code in codes)
    return codes


def second_factor_enrol(*, user, device: SealedTOTPDevice, token: str, request=None) -> list[str] | None:
    """Confirm `device` with a first code from the app; returns the recovery codes,
    or None when the code is wrong."""
    with transaction.atomic():
        device = SealedTOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token(token.strip()):
            audit_record(action=Action.OTP_ENROLLED, actor=user, outcome=Outcome.FAILURE, request=request)
            return None
        device.confirmed = True
        device.save(update_fields=("confirmed",))
        SealedTOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = recovery_codes_issue(user=user)
        audit_record(action=Action.OTP_ENROLLED, actor=user, request=request)
    if request is not None:
        otp_login(request, device)
    return codes


def second_factor_verify(*, user, token: str, request=None) -> bool:
    """Check a code from the authenticator, or a recovery code (used up by this)."""
    token = token.strip().replace(" ", "")
    verified = None
    with transaction.atomic():
        devices = [
            *SealedTOTPDevice.objects.select_for_update().filter(user=user, confirmed=True),
            *DigestedStaticDevice.objects.select_for_update().filter(user=user, confirmed=True),
        ]
        for device in devices:
            if device.verify_is_allowed()[0] and device.verify_token(token):
                verified = device
                break
    audit_record(
        action=Action.OTP_VERIFIED,
        actor=user,
        outcome=Outcome.SUCCESS if verified else Outcome.FAILURE,
        request=request,
        detail={"device": verified.name} if verified else {},
    )
    if verified is not None and request is not None:
        otp_login(request, verified)
    return verified is not None


def second_factor_reset(*, account, actor, request=None) -> None:
    """The office's reset for a person who lost both the phone and the recovery codes:
    the account enrols again at its next login."""
    with transaction.atomic():
        SealedTOTPDevice.objects.filter(user=account).delete()
        DigestedStaticDevice.objects.filter(user=account).delete()
        audit_record(action=Action.OTP_RESET, actor=actor, target=account, request=request)


def totp_enrol_confirmed(*, user) -> SealedTOTPDevice:
    """A confirmed authenticator without the first-login step: for development demo
    accounts, whose secrets the demo command prints, and for tests."""
    with transaction.atomic():
        SealedTOTPDevice.objects.filter(user=user).delete()
        return SealedTOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True, key=sealed_totp_key())


def second_factor_keys_rekey() -> int:
    """Seal every authenticator's secret again with the current SM4 key (part of
    `manage.py personal_data_rekey`, so that an old key can be retired). Returns how many."""
    count = 0
    for device in SealedTOTPDevice.objects.only("pk", "key").order_by("pk").iterator(chunk_size=500):
        SealedTOTPDevice.objects.filter(pk=device.pk).update(key=sm4_seal(device.bin_key))
        count += 1
    return count
