"""What stands between a signed-in session and the back office (GB/T 22239-2019
8.1.4.1): the session ends after `IDLE_TIMEOUT_MINUTES` without a request; a session
that has only the password reaches nothing but the second-factor page; an expired or
administrator-set password must be changed first."""

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .audit import Action, audit_record
from .passwords import password_change_required
from .second_factor import (
    has_second_factor,
    second_factor_enrol,
    second_factor_verify,
    totp_enrolment_device,
    totp_qr_svg,
    totp_secret,
)

LAST_ACTIVITY_SESSION_KEY = "furong_last_activity"

# Admin views a half-signed-in session may reach.
_SECOND_FACTOR_EXEMPT = {"login", "logout", "second_factor", "jsi18n"}
_PASSWORD_EXEMPT = _SECOND_FACTOR_EXEMPT | {"password_change", "password_change_done"}


class BackOfficeSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        if idle_session_end(request):
            return redirect_to_login(request, "长时间未操作，已自动退出，请重新登录。")
        match = request.resolver_match
        view_name = match.url_name if match and match.namespace == "admin" else None
        if view_name in _SECOND_FACTOR_EXEMPT:
            return None
        if not user.is_verified():
            return redirect(f"{reverse('admin:second_factor')}?{REDIRECT_FIELD_NAME}={request.get_full_path()}")
        if view_name in _PASSWORD_EXEMPT:
            return None
        reason = password_change_required(user)
        if reason:
            messages.warning(request, reason)
            return redirect("admin:password_change")
        return None


def idle_session_end(request) -> bool:
    """End the session when its last request is older than the idle timeout."""
    now = int(time.time())
    last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
    if last is not None and now - last > settings.IDLE_TIMEOUT_MINUTES * 60:
        audit_record(action=Action.SESSION_EXPIRED, actor=request.user, request=request, detail={"idle_seconds": now - last})
        request.session.flush()
        request.user = AnonymousUser()
        return True
    request.session[LAST_ACTIVITY_SESSION_KEY] = now
    return False


def redirect_to_login(request, message: str):
    messages.info(request, message)
    return redirect(f"{reverse('admin:login')}?{REDIRECT_FIELD_NAME}={request.get_full_path()}")


# --- The second-factor page -------------------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def second_factor_view(request, *, site):
    """Enrol an authenticator (first login) or check its code (every login)."""
    user = request.user
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    next_url = next_url or reverse("admin:index")
    if user.is_verified():
        return redirect(next_url)
    enrolling = not has_second_factor(user)
    form = TokenForm(request.POST or None)
    context = {**site.each_context(request), "form": form, "next": next_url, "enrolling": enrolling}
    if enrolling:
        device = totp_enrolment_device(user)
        context.update(title="启用第二因素（动态验证码）", secret=totp_secret(device), qr_svg=totp_qr_svg(device))
        if form.is_valid():
            codes = second_factor_enrol(user=user, device=device, token=form.cleaned_data["token"], request=request)
            if codes is not None:
                return TemplateResponse(
                    request,
                    "admin/recovery_codes.html",
                    {**site.each_context(request), "title": "恢复码", "codes": codes, "next": next_url},
                )
            form.add_error("token", "验证码不正确：请核对手机时间后输入应用中当前显示的 6 位数字。")
    else:
        context["title"] = "第二因素验证"
        if form.is_valid():
            if second_factor_verify(user=user, token=form.cleaned_data["token"], request=request):
                return redirect(next_url)
            form.add_error("token", "验证码或恢复码不正确。")
    return TemplateResponse(request, "admin/second_factor.html", context)
