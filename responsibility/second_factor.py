"""The second factor of every back-office account (GB/T 22239-2019 8.1.4.1 d):
a TOTP authenticator (RFC 6238, django-otp) enrolled at the first login, single-use
recovery codes for a lost phone, and a reset by the office when both are gone."""

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import Action, Outcome, audit_record

TOTP_DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_enrolment_device(user) -> TOTPDevice:
    """The account's not yet confirmed authenticator: made once, shown until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The key as the base32 text an authenticator app accepts when typed in."""
    return base64.b32encode(device.bin_key).decode()


def totp_qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)


def recovery_codes_issue(*, user) -> list[str]:
    """Replace the account's recovery codes with fresh ones; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_enrol(*, user, device: TOTPDevice, token: str, request=None) -> list[str] | None:
    """Confirm `device` with a first code from the app; returns the recovery codes,
    or None when the code is wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token(token.strip()):
            audit_record(action=Action.OTP_ENROLLED, actor=user, outcome=Outcome.FAILURE, request=request)
            return None
        device.confirmed = True
        device.save(update_fields=("confirmed",))
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
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
            *TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True),
            *StaticDevice.objects.select_for_update().filter(user=user, confirmed=True),
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
        TOTPDevice.objects.filter(user=account).delete()
        StaticDevice.objects.filter(user=account).delete()
        audit_record(action=Action.OTP_RESET, actor=actor, target=account, request=request)


def totp_enrol_confirmed(*, user) -> TOTPDevice:
    """A confirmed authenticator without the first-login step: for development demo
    accounts, whose secrets the demo command prints, and for tests."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
