"""The public side of 依申请公开: the request form, the receipt, the status page (by number and
query code, never showing identity data), the procedure and the printable paper form."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from furong_portal import ratelimit
from furong_portal.client_ip import client_ip
from furong_portal.personal_data import sm3_keyed_digest
from furong_portal.storage import file_response

from . import identity
from .forms import CorrectionForm, LookupForm, PublicRequestForm, issue_form_token
from .models import (
    ANSWER_WORKING_DAYS,
    CORRECTION_ASK_WORKING_DAYS,
    MAX_EXTENSION_WORKING_DAYS,
    InformationRequest,
    Outcome,
    OutcomeReason,
    RequestEvent,
    State,
)
from .selectors import addressable_units, deadline_status
from .services import RequestError, query_code_matches, request_receive_correction, request_submit
from .workdays import PROVISIONAL_NOTE, WorkCalendar

RECEIPT_SESSION_KEY = "requests_receipt"
GRANTED_SESSION_KEY = "requests_granted"
MAX_GRANTS = 20

# The steps an applicant sees on the status page; the office's internal ones stay internal.
PUBLIC_ACTIONS = (
    RequestEvent.Action.SUBMITTED,
    RequestEvent.Action.REGISTERED,
    RequestEvent.Action.ACCEPTED,
    RequestEvent.Action.CORRECTION_ASKED,
    RequestEvent.Action.CORRECTION_RECEIVED,
    RequestEvent.Action.CORRECTION_LAPSED,
    RequestEvent.Action.EXTENDED,
    RequestEvent.Action.CONSULTATION_STARTED,
    RequestEvent.Action.CONSULTATION_ENDED,
    RequestEvent.Action.ANSWERED,
    RequestEvent.Action.WITHDRAWN,
)

STATUTE = {
    "answer_days": ANSWER_WORKING_DAYS,
    "extension_days": MAX_EXTENSION_WORKING_DAYS,
    "correction_days": CORRECTION_ASK_WORKING_DAYS,
}


class IndexView(TemplateView):
    template_name = "requests/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(statute=STATUTE, **kwargs)


class ProcedureView(TemplateView):
    template_name = "requests/procedure.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statute=STATUTE, outcome_rows=_outcome_rows(), units=addressable_units().order_by("order", "name"), **kwargs
        )


class PaperFormView(TemplateView):
    template_name = "requests/paper_form.html"


def _outcome_rows():
    return [(outcome.label, [reason.label for reason in OutcomeReason.for_outcome(outcome)]) for outcome in Outcome]


class ApplyView(View):
    """The request form. Abuse controls, in order: per-address limit, honeypot, one-time token
    (in the form), per-identity limit, replay of an accepted form (in the service)."""

    template_name = "requests/request_form.html"

    def get(self, request):
        form = PublicRequestForm(initial={"token": issue_form_token(), "applicant_kind": "person"})
        return self._render(request, form)

    def post(self, request):
        # Each limit is taken before the work and handed back when the attempt does not
        # count (a form with mistakes), so simultaneous submissions cannot overrun it.
        address_receipt = ratelimit.take("submit_per_ip", client_ip(request) or "")
        if address_receipt is None:
            return self._refuse(request, "提交过于频繁：同一网络地址在一小时内提交的申请已达上限，请稍后再试，或拨打电话、当面提交申请。", 429)
        form = PublicRequestForm(request.POST)
        if form.is_bot:
            return self._refuse(request, "申请未被受理：表单中填写了不应填写的内容。如您是正常填写，请刷新页面后重新提交。", 400)
        if not form.is_valid():
            ratelimit.give_back(address_receipt)
            form.renew_token_if_expired()
            return self._render(request, form)
        # The keyed SM3 digest: the same one the request row keeps for exact lookups.
        identity_key = f"{form.cleaned_data['id_type']}:{sm3_keyed_digest(identity.normalise(form.cleaned_data['id_number']))}"
        identity_receipt = ratelimit.take("submit_per_identity", identity_key)
        if identity_receipt is None:
            ratelimit.give_back(address_receipt)
            form.add_error(None, "同一证件今日提交的申请已达上限，请明日再提交；如有急需，请联系区政务公开办。")
            return self._render(request, form, status=429)
        try:
            information_request, code = request_submit(details=form.details(), form_nonce=form.cleaned_data["token"])
        except RequestError as error:
            ratelimit.give_back(identity_receipt)
            return self._refuse(request, str(error), 409)
        request.session[RECEIPT_SESSION_KEY] = {
            "number": information_request.number,
            "code": code,
            "received_on": information_request.received_on.isoformat(),
            "due_on": information_request.due_on.isoformat(),
            "due_on_provisional": information_request.due_on_provisional,
            "email": bool(information_request.email),
        }
        _grant(request, information_request.number)
        return redirect("requests:submitted")

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"form": form, "statute": STATUTE}, status=status)

    def _refuse(self, request, message, status):
        return render(request, "requests/request_refused.html", {"message": message}, status=status)


class SubmittedView(View):
    """The receipt: number and query code, shown once."""

    def get(self, request):
        receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
        if receipt is None:
            messages.info(request, "回执只显示一次。请用申请编号和查询码查询办理进度。")
            return redirect("requests:lookup")
        return render(request, "requests/request_submitted.html", {"receipt": receipt, "statute": STATUTE, "provisional_note": PROVISIONAL_NOTE})


def _grant(request, number: str) -> None:
    granted = [n for n in request.session.get(GRANTED_SESSION_KEY, []) if n != number]
    request.session[GRANTED_SESSION_KEY] = [*granted, number][-MAX_GRANTS:]


def _granted_request(request, number: str) -> InformationRequest:
    if number not in request.session.get(GRANTED_SESSION_KEY, []):
        raise PermissionError
    try:
        return InformationRequest.objects.select_related("unit").get(number=number)
    except InformationRequest.DoesNotExist:
        raise Http404 from None


class LookupView(View):
    template_name = "requests/status_lookup.html"
    failure = "申请编号或查询码不正确，请核对后重新输入。"

    def get(self, request):
        form = LookupForm(initial={"number": request.GET.get("number", "")[:20]})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = LookupForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        # Failures count per address and per request number (a code guessed from many
        # addresses); a successful lookup hands its uses back.
        number = form.cleaned_data["number"]
        receipts = [ratelimit.take("lookup_per_ip", client_ip(request) or ""), ratelimit.take("lookup_per_number", number)]
        if None in receipts:
            for receipt in receipts:
                ratelimit.give_back(receipt)
            form.add_error(None, "查询失败次数过多，请一小时后再试。")
            return render(request, self.template_name, {"form": form}, status=429)
        found = InformationRequest.objects.filter(number=number).first()
        if found is not None and query_code_matches(found, form.cleaned_data["code"]):
            for receipt in receipts:
                ratelimit.give_back(receipt)
            _grant(request, found.number)
            return redirect("requests:status", found.number)
        form.add_error(None, self.failure)
        return render(request, self.template_name, {"form": form})


class GrantedMixin:
    """Views of one request that the visitor unlocked with its number and query code."""

    def dispatch(self, request, *args, **kwargs):
        try:
            self.information_request = _granted_request(request, kwargs["number"])
        except PermissionError:
            messages.info(request, "请先输入申请编号和查询码。")
            return redirect(f"{reverse('requests:lookup')}?number={kwargs['number']}")
        return super().dispatch(request, *args, **kwargs)


class StatusView(GrantedMixin, View):
    """State, dates, deadline and answer — and nothing about who the applicant is. While the
    office waits for a correction, the applicant submits it here."""

    template_name = "requests/status_detail.html"

    def get(self, request, number, form=None):
        information_request = self.information_request
        events = information_request.events.filter(action__in=PUBLIC_ACTIONS).only("action", "effective_on", "request_id")
        if form is None and information_request.state == State.CORRECTION:
            form = CorrectionForm()
        context = {
            "information_request": information_request,
            "deadline": deadline_status(information_request, today=timezone.localdate(), calendar=WorkCalendar()),
            "events": events,
            "provisional_note": PROVISIONAL_NOTE,
            "consultation_open": information_request.consultations.filter(ended_on__isnull=True).exists(),
            "fee_notices": list(information_request.fee_notices.all()),
            "correction_form": form,
            "has_letter_file": bool(information_request.letter_file),
        }
        return render(request, self.template_name, context)

    def post(self, request, number):
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                request_receive_correction(request=self.information_request, text=form.cleaned_data["text"])
            except RequestError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "补正内容已提交，答复期限自今日起重新计算。")
                return redirect("requests:status", number)
        return self.get(request, number, form=form)


class LetterView(GrantedMixin, View):
    def get(self, request, number):
        information_request = self.information_request
        if information_request.state != State.ANSWERED or not information_request.letter_file:
            raise Http404
        extension = information_request.letter_file.name.rsplit(".", 1)[-1]
        return file_response(information_request.letter_file, filename=f"{information_request.number}-答复书.{extension}")
