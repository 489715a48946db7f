"""The public 社会评议 page. Abuse controls: a random visitor cookie (one evaluation per visitor
and quarter, kept as a keyed hash), a per-address daily limit, and the request form's honeypot
and one-time token."""

import secrets

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from disclosure.requests.forms import issue_form_token
from furong_portal import ratelimit
from furong_portal.client_ip import client_ip
from responsibility.models import Column

from .forms import EvaluationForm
from .services import evaluation_submit

VISITOR_COOKIE = "evaluation_visitor"
VISITOR_COOKIE_AGE = 2 * 365 * 24 * 3600


@method_decorator(never_cache, name="dispatch")
class EvaluationView(View):
    template_name = "evaluations/evaluation_form.html"

    def sections(self):
        return Column.objects.roots().only("pk", "number", "title", "order").order_by("order")

    def get(self, request):
        form = EvaluationForm(initial={"token": issue_form_token()}, sections=self.sections())
        return self._render(request, form)

    def post(self, request):
        # Taken before the work, handed back when the attempt does not count (atomic, furong_portal/ratelimit.py).
        receipt = ratelimit.take("evaluation_per_ip", client_ip(request) or "")
        if receipt is None:
            return self._refuse(request, "提交过于频繁：同一网络地址今日提交的评议已达上限，请明日再试。", 429)
        form = EvaluationForm(request.POST, sections=self.sections())
        if form.is_bot:
            return self._refuse(request, "评议未被接收：表单中填写了不应填写的内容。如您是正常填写，请刷新页面后重新提交。", 400)
        if not form.is_valid():
            ratelimit.give_back(receipt)
            form.renew_token_if_expired()
            return self._render(request, form)
        visitor = request.COOKIES.get(VISITOR_COOKIE)
        if not visitor:
            form.add_error(None, "请允许本网站使用 Cookie 后重新提交（用于确保每位访客每季度评议一次，不记录个人信息）。")
            return self._render(request, form)
        try:
            evaluation_submit(
                visitor_id=visitor, scores=form.scores(), timeliness=form.cleaned_data["timeliness"],
                findability=form.cleaned_data["findability"], comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except ValidationError as error:
            ratelimit.give_back(receipt)
            return self._refuse(request, "；".join(error.messages), 409)
        return redirect("evaluations:thanks")

    def _render(self, request, form, status=200):
        response = render(request, self.template_name, {"form": form}, status=status)
        if VISITOR_COOKIE not in request.COOKIES:
            response.set_cookie(
                VISITOR_COOKIE, secrets.token_urlsafe(24), max_age=VISITOR_COOKIE_AGE, samesite="Lax", httponly=True
            )
        return response

    def _refuse(self, request, message, status):
        return render(request, "evaluations/evaluation_refused.html", {"message": message}, status=status)


def thanks(request):
    return render(request, "evaluations/evaluation_thanks.html")
