"""The public pages of 意见征集: the list, one consultation (draft, comments it chose to show,
feedback), the comment form with the abuse controls of the request form, attachments."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, TemplateView

from disclosure.requests.forms import issue_form_token
from disclosure.views import PaginatedMixin, PublicCacheMixin, public_cache
from furong_portal import ratelimit
from furong_portal.client_ip import client_ip
from furong_portal.storage import file_response

from .forms import CommentForm
from .models import Comment, Consultation, ConsultationAttachment
from .selectors import comment_tally
from .services import comment_submit

SHOWN_COMMENTS_LIMIT = 200


class ConsultationListView(PublicCacheMixin, PaginatedMixin, TemplateView):
    template_name = "consultations/consultation_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        public = Consultation.objects.public().select_related("unit").defer("body", "feedback")
        return super().get_context_data(
            open_now=list(public.open(today).order_by("closes_on", "pk")),
            today=today,
            **self.paginate(public.order_by("-opens_on", "-pk")),
            **kwargs,
        )


class ConsultationView(PublicCacheMixin, DetailView):
    template_name = "consultations/consultation_detail.html"
    context_object_name = "consultation"

    def get_queryset(self):
        return Consultation.objects.public().select_related("unit", "final_document").prefetch_related("attachments")

    def get_context_data(self, **kwargs):
        consultation = self.object
        concluded = consultation.state == Consultation.State.CONCLUDED
        comments = []
        if concluded or consultation.show_comments:
            comments = list(
                consultation.comments.filter(state=Comment.State.APPROVED)
                .only("pk", "kind", "name", "body", "submitted_at", "decision", "decision_reason", "consultation_id")
                .order_by("submitted_at", "pk")[:SHOWN_COMMENTS_LIMIT]
            )
        return super().get_context_data(
            is_open=consultation.is_open(),
            concluded=concluded,
            comments=comments,
            tally=comment_tally(consultation) if concluded else None,
            **kwargs,
        )


class CommentView(View):
    """The comment form. Abuse controls, in order: per-address limit, honeypot, one-time token
    (in the form), replay of an accepted form (in the service); then the unit moderates."""

    template_name = "consultations/comment_form.html"

    def dispatch(self, request, pk):
        self.consultation = get_object_or_404(Consultation.objects.public().select_related("unit"), pk=pk)
        if not self.consultation.is_open():
            return render(
                request, "consultations/comment_refused.html",
                {"consultation": self.consultation, "message": "该意见征集不在征集期内，不能提交意见。"}, status=410,
            )  # fmt: skip
        return super().dispatch(request, pk)

    def get(self, request, pk):
        return self._render(request, CommentForm(initial={"token": issue_form_token(), "kind": Comment.Kind.PUBLIC}))

    def post(self, request, pk):
        # Taken before the work, handed back when the attempt does not count (atomic, furong_portal/ratelimit.py).
        receipt = ratelimit.take("comment_per_ip", client_ip(request) or "")
        if receipt is None:
            return self._refuse(request, "提交过于频繁：同一网络地址在一小时内提交的意见已达上限，请稍后再试，或通过公告中的联系方式提出意见。", 429)
        form = CommentForm(request.POST)
        if form.is_bot:
            return self._refuse(request, "意见未被接收：表单中填写了不应填写的内容。如您是正常填写，请刷新页面后重新提交。", 400)
        if not form.is_valid():
            ratelimit.give_back(receipt)
            form.renew_token_if_expired()
            return self._render(request, form)
        data = {name: form.cleaned_data[name] for name in ("kind", "name", "contact", "body")}
        try:
            comment_submit(consultation=self.consultation, form_nonce=form.cleaned_data["token"], **data)
        except ValidationError as error:
            ratelimit.give_back(receipt)
            return self._refuse(request, "；".join(error.messages), 409)
        return redirect("consultations:comment-received", pk=self.consultation.pk)

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"form": form, "consultation": self.consultation}, status=status)

    def _refuse(self, request, message, status):
        return render(
            request, "consultations/comment_refused.html", {"consultation": self.consultation, "message": message}, status=status
        )


class CommentReceivedView(PublicCacheMixin, DetailView):
    template_name = "consultations/comment_received.html"
    context_object_name = "consultation"

    def get_queryset(self):
        return Consultation.objects.public().only("pk", "title", "show_comments", "closes_on", "state")


def attachment_download(request, pk):
    attachment = get_object_or_404(
        ConsultationAttachment.objects.select_related("consultation").filter(
            consultation__state__in=Consultation.PUBLIC_STATES
        ),
        pk=pk,
    )
    response = file_response(attachment.file, filename=attachment.name, content_type=attachment.content_type or None)
    return public_cache(request, response, max_age=3600)
