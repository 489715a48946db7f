"""Identification and authentication (GB/T 22239-2019 8.1.4.1): password complexity,
password age, the second factor at every back-office sign-in, and the idle timeout."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from responsibility.models import AccountSecurity, AuditEvent, SealedTOTPDevice
from responsibility.second_factor import recovery_codes_issue, totp_enrol_confirmed
from responsibility.security import LAST_ACTIVITY_SESSION_KEY
from tests.disclosure.staff import PASSWORD, UNIT_A, editor_of, security_admin, system_admin, unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
STRONG = "Furong#Portal-2026"


def password_login(client, user, password=PASSWORD):
    return client.post(reverse("admin:login"), {"username": user.username, "password": password, "next": "/admin/"})


def current_code(device: SealedTOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


# --- Password complexity -------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["furong2020", "admin12345", "zhang123456", "Short#1", "alllowercaseletters", "Password123"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, UserFactory.build(username="zhangsan"))


def test_a_password_containing_the_username_is_refused():
    with pytest.raises(ValidationError) as refused:
        validate_password("Xx-ZhangSan-2026", UserFactory.build(username="zhangsan"))
    assert "密码不得包含用户名。" in refused.value.messages


def test_a_long_password_from_three_classes_is_accepted():
    validate_password(STRONG, UserFactory.build(username="zhangsan"))


def test_the_password_change_page_refuses_a_weak_password(client, seed):
    editor = editor_of(unit(UNIT_A))
    client.force_login(editor)
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "furong2020", "new_password2": "furong2020"},
    )
    assert response.status_code == 200
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


# --- Password age ---------------------------------------------------------------------


def test_an_expired_password_forces_a_change_before_anything_else(client, seed, settings):
    editor = editor_of(unit(UNIT_A))
    changed = timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS, seconds=1)
    AccountSecurity.objects.create(user=editor, password_changed_at=changed)
    client.force_login(editor)
    response = client.get(reverse("admin:disclosure_item_changelist"))
    assert response.status_code == 302 and response.url == reverse("admin:password_change")
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:disclosure_item_changelist")).status_code == 200
    security = AccountSecurity.objects.get(user=editor)
    assert security.password_changed_at > changed and not security.must_change_password
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED, actor=editor, target_id=str(editor.pk)).exists()


def test_a_password_younger_than_the_limit_does_not_force_a_change(client, seed, settings):
    editor = editor_of(unit(UNIT_A))
    changed = timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS - 1)
    AccountSecurity.objects.create(user=editor, password_changed_at=changed)
    client.force_login(editor)
    assert client.get(reverse("admin:disclosure_item_changelist")).status_code == 200


def test_a_password_set_by_the_office_must_be_changed_at_the_next_login(client, seed):
    office = system_admin()
    account = editor_of(unit(UNIT_A))
    client.force_login(office)
    response = client.post(
        reverse("admin:auth_user_password_change", args=(account.pk,)),
        {"password1": STRONG, "password2": STRONG, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert AccountSecurity.objects.get(user=account).must_change_password

    account.refresh_from_db()
    holder = Client()
    holder.force_login(account)
    response = holder.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url == reverse("admin:password_change")


# --- Second factor --------------------------------------------------------------------


def test_a_password_alone_does_not_open_the_back_office(client, seed):
    editor = editor_of(unit(UNIT_A))
    totp_enrol_confirmed(user=editor)
    password_login(client, editor)
    for url in (reverse("admin:index"), reverse("admin:disclosure_item_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:second_factor"))
    response = client.post(reverse("admin:second_factor"), {"token": "000000"})
    assert "验证码或恢复码不正确" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.OTP_VERIFIED, actor=editor, outcome="failure").exists()


def test_the_current_code_opens_the_back_office(client, seed):
    editor = editor_of(unit(UNIT_A))
    device = totp_enrol_confirmed(user=editor)
    password_login(client, editor)
    response = client.post(reverse("admin:second_factor"), {"token": current_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.OTP_VERIFIED, actor=editor, outcome="success").exists()


def test_first_login_enrols_an_authenticator_and_shows_recovery_codes_once(client, seed):
    editor = editor_of(unit(UNIT_A))
    password_login(client, editor)
    page = client.get(reverse("admin:second_factor")).content.decode()
    assert "<svg" in page and "启用第二因素" in page
    device = SealedTOTPDevice.objects.get(user=editor, confirmed=False)
    response = client.post(reverse("admin:second_factor"), {"token": current_code(device)})
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.OTP_ENROLLED, actor=editor, outcome="success").exists()


def test_a_recovery_code_works_once(seed):
    editor = editor_of(unit(UNIT_A))
    totp_enrol_confirmed(user=editor)
    code = recovery_codes_issue(user=editor)[0]
    first, second = Client(), Client()
    for browser in (first, second):
        password_login(browser, editor)
        browser.post(reverse("admin:second_factor"), {"token": code})
    assert first.get(reverse("admin:index")).status_code == 200
    assert second.get(reverse("admin:index")).status_code == 302


def test_the_security_administrator_resets_a_lost_second_factor_and_it_is_recorded(client, seed):
    office = security_admin()
    account = editor_of(unit(UNIT_A))
    totp_enrol_confirmed(user=account)
    client.force_login(office)
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "second_factor_reset", "_selected_action": [account.pk]}
    )
    assert response.status_code == 302
    assert not SealedTOTPDevice.objects.filter(user=account).exists()
    assert AuditEvent.objects.filter(action=Action.OTP_RESET, actor=office, target_id=str(account.pk)).exists()


# --- Idle timeout ---------------------------------------------------------------------


def test_an_idle_session_ends(client, seed, settings):
    editor = editor_of(unit(UNIT_A))
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 200
    session = client.session
    session[LAST_ACTIVITY_SESSION_KEY] -= settings.IDLE_TIMEOUT_MINUTES * 60 + 1
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert client.get(reverse("admin:index")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.SESSION_EXPIRED, actor=editor).exists()


def test_a_session_in_use_stays_open(client, seed, settings):
    editor = editor_of(unit(UNIT_A))
    client.force_login(editor)
    client.get(reverse("admin:index"))
    session = client.session
    session[LAST_ACTIVITY_SESSION_KEY] -= settings.IDLE_TIMEOUT_MINUTES * 60 - 60
    session.save()
    assert client.get(reverse("admin:index")).status_code == 200
