"""意见征集: a unit publishes a draft, the public comments without an account (abuse-guarded),
the unit moderates and decides, then publishes the 意见采纳情况反馈 linked to the final document."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from disclosure.consultations import services
from disclosure.consultations.models import FEEDBACK_DUE_DAYS, Comment, Consultation
from disclosure.consultations.selectors import overdue_feedback
from disclosure.requests.forms import issue_form_token
from responsibility.models import AuditEvent
from tests.disclosure.staff import (
    COLUMN_A,
    UNIT_B,
    column,
    editor_of,
    published_item,
    reviewer_of,
    unit,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def draft(editor, **data):
    return services.consultation_create(
        actor=editor,
        data={
            "title": "关于《芙蓉区促进中小企业发展若干措施（征求意见稿）》公开征求意见的公告",
            "policy_title": "芙蓉区促进中小企业发展若干措施", "body": "<p>第一条 …</p><script>x()</script>",
            "opens_on": TODAY, "closes_on": TODAY + datetime.timedelta(days=30), "contact": "区司法局 0731-00000000",
            "for_enterprises": True, **data,
        },
    )  # fmt: skip


def opened(editor, reviewer, **data):
    return services.consultation_publish(actor=reviewer, consultation=draft(editor, **data))


def closed(consultation, days_ago=1):
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=TODAY - datetime.timedelta(days=days_ago + 30), closes_on=TODAY - datetime.timedelta(days=days_ago)
    )
    consultation.refresh_from_db()
    return consultation


def test_a_unit_drafts_and_its_reviewer_publishes_with_an_audit_record(editor, reviewer, a):
    consultation = draft(editor)
    assert (consultation.unit, consultation.state, consultation.body) == (a, Consultation.State.DRAFT, "<p>第一条 …</p>")
    with pytest.raises(PermissionDenied):
        services.consultation_publish(actor=editor, consultation=consultation)
    services.consultation_publish(actor=reviewer, consultation=consultation)
    assert Consultation.objects.get(pk=consultation.pk).state == Consultation.State.PUBLISHED
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CONSULTATION_PUBLISHED).exists()


def test_another_units_staff_cannot_touch_the_consultation(editor, reviewer, seed):
    consultation = draft(editor)
    other_editor, other_reviewer = editor_of(unit(UNIT_B)), reviewer_of(unit(UNIT_B))
    with pytest.raises(PermissionDenied):
        services.consultation_update(actor=other_editor, consultation=consultation, data={"title": "篡改"})
    with pytest.raises(PermissionDenied):
        services.consultation_publish(actor=other_reviewer, consultation=consultation)
    services.consultation_publish(actor=reviewer, consultation=consultation)
    comment = services.comment_submit(consultation=consultation, body="建议")
    with pytest.raises(PermissionDenied):
        services.comment_moderate(actor=other_reviewer, comment=comment, approve=True)


def test_a_period_that_ends_before_it_starts_is_refused(editor):
    with pytest.raises(ValidationError):
        draft(editor, closes_on=TODAY - datetime.timedelta(days=1))


def test_comments_only_while_open_and_never_twice_from_one_form(editor, reviewer):
    consultation = draft(editor)
    with pytest.raises(ValidationError):
        services.comment_submit(consultation=consultation, body="草稿阶段的意见")
    services.consultation_publish(actor=reviewer, consultation=consultation)
    services.comment_submit(consultation=consultation, body="建议一", form_nonce="n1")
    with pytest.raises(ValidationError):
        services.comment_submit(consultation=consultation, body="建议一", form_nonce="n1")
    with pytest.raises(ValidationError):
        services.comment_submit(consultation=closed(consultation), body="逾期意见")


def test_feedback_waits_for_the_end_and_for_a_decision_on_every_approved_comment(editor, reviewer, a):
    consultation = opened(editor, reviewer)
    first = services.comment_submit(consultation=consultation, body="建议降低门槛", kind=Comment.Kind.ENTERPRISE)
    second = services.comment_submit(consultation=consultation, body="广告内容")
    with pytest.raises(ValidationError, match="期满后"):
        services.consultation_feedback_publish(actor=reviewer, consultation=consultation, feedback="说明")
    closed(consultation)
    with pytest.raises(ValidationError, match="待审核"):
        services.consultation_feedback_publish(actor=reviewer, consultation=consultation, feedback="说明")
    services.comment_moderate(actor=editor, comment=first, approve=True)
    services.comment_moderate(actor=editor, comment=second, approve=False)
    with pytest.raises(ValidationError, match="未标明"):
        services.consultation_feedback_publish(actor=reviewer, consultation=consultation, feedback="说明")
    with pytest.raises(ValidationError):
        services.comment_decide(actor=editor, comment=first, decision=Comment.Decision.NOT_ADOPTED, reason="")
    services.comment_decide(actor=editor, comment=first, decision=Comment.Decision.NOT_ADOPTED, reason="门槛由上位法规定")
    document = published_item(unit=a, column=column(COLUMN_A), title="芙蓉区促进中小企业发展若干措施")
    services.consultation_feedback_publish(
        actor=reviewer, consultation=consultation, feedback="共收到意见2条，未采纳1条。", final_document=document
    )
    consultation.refresh_from_db()
    assert (consultation.state, consultation.final_document) == (Consultation.State.CONCLUDED, document)
    assert AuditEvent.objects.get(action=AuditEvent.Action.FEEDBACK_PUBLISHED).detail == {"comments": 2, "adopted": 0}


def test_the_final_document_must_be_the_units_own_published_item(editor, reviewer, seed):
    consultation = closed(opened(editor, reviewer))
    foreign = published_item(unit=unit(UNIT_B), column=column("3-7"), title="别的单位的文件")
    with pytest.raises(ValidationError):
        services.consultation_feedback_publish(
            actor=reviewer, consultation=consultation, feedback="说明", final_document=foreign
        )


def test_overdue_feedback_is_listed_for_the_office(editor, reviewer):
    late = closed(opened(editor, reviewer, title="逾期未反馈"), days_ago=FEEDBACK_DUE_DAYS + 1)
    closed(opened(editor, reviewer, title="尚在反馈期"), days_ago=FEEDBACK_DUE_DAYS - 1)
    assert list(overdue_feedback()) == [late]


# --- public pages ---


def test_public_pages_show_the_draft_the_approved_comments_and_never_a_contact(client, editor, reviewer, a, django_assert_max_num_queries):
    consultation = opened(editor, reviewer, show_comments=True)
    approved = services.comment_submit(consultation=consultation, body="建议延长政策期限", name="张三", contact="13800000000")
    services.comment_submit(consultation=consultation, body="未审核的意见")
    services.comment_moderate(actor=editor, comment=approved, approve=True)
    for url in (reverse("consultations:consultations"), consultation.get_absolute_url()):
        client.get(url)
        with django_assert_max_num_queries(6):
            page = client.get(url).content.decode()
    assert "建议延长政策期限" in page and "张三" in page
    assert "13800000000" not in page and "未审核的意见" not in page
    assert Consultation.objects.get(pk=consultation.pk).title in client.get(reverse("consultations:consultations")).content.decode()


def test_a_draft_is_not_public(client, editor):
    consultation = draft(editor)
    assert client.get(consultation.get_absolute_url()).status_code == 404
    assert client.get(reverse("consultations:comment", args=(consultation.pk,))).status_code == 404


def post_comment(client, consultation, **data):
    return client.post(
        reverse("consultations:comment", args=(consultation.pk,)),
        {"kind": "public", "body": "建议", "token": issue_form_token(), "website": "", **data},
    )


def test_the_comment_form_accepts_an_anonymous_comment_and_refuses_bots_and_replays(client, editor, reviewer):
    cache.clear()
    consultation = opened(editor, reviewer)
    response = post_comment(client, consultation, kind="association", name="", contact="")
    assert response.status_code == 302
    assert Comment.objects.get().kind == Comment.Kind.ASSOCIATION
    assert post_comment(client, consultation, website="http://spam").status_code == 400
    token = issue_form_token()
    assert post_comment(client, consultation, token=token).status_code == 302
    assert post_comment(client, consultation, token=token).status_code == 409
    assert post_comment(client, consultation, token="forged").status_code == 200
    assert post_comment(client, consultation, body="").status_code == 200
    assert Comment.objects.count() == 2


def test_the_comment_form_is_rate_limited_per_address(client, editor, reviewer, settings):
    cache.clear()
    settings.RATE_LIMITS = {"comment_per_ip": (2, 3600)}
    consultation = opened(editor, reviewer)
    assert [post_comment(client, consultation).status_code for _ in range(3)] == [302, 302, 429]


def test_a_closed_consultation_refuses_comments_and_shows_its_feedback_both_ways(client, editor, reviewer, a):
    consultation = closed(opened(editor, reviewer))
    assert client.get(reverse("consultations:comment", args=(consultation.pk,))).status_code == 410
    document = published_item(unit=a, column=column(COLUMN_A), title="正式出台的措施")
    services.consultation_feedback_publish(
        actor=reviewer, consultation=consultation, feedback="未收到意见。", final_document=document
    )
    assert "正式出台的措施" in client.get(consultation.get_absolute_url()).content.decode()
    assert consultation.title in client.get(document.get_absolute_url()).content.decode()


def test_the_final_document_is_linked_later_through_the_admin(client, editor, reviewer, a):
    consultation = closed(opened(editor, reviewer))
    services.consultation_feedback_publish(actor=reviewer, consultation=consultation, feedback="未收到意见。")
    document = published_item(unit=a, column=column(COLUMN_A), title="后来出台的措施")
    url = reverse("admin:consultations_consultation_document", args=(consultation.pk,))
    client.force_login(editor)
    assert client.post(url, {"final_document": document.index_number}).status_code == 404
    client.force_login(reviewer)
    assert "找不到" in client.post(url, {"final_document": "不存在/2020-00001"}).content.decode()
    assert client.post(url, {"final_document": document.index_number}).status_code == 302
    assert Consultation.objects.get(pk=consultation.pk).final_document == document


def test_comments_are_frozen_once_the_feedback_is_published(editor, reviewer):
    consultation = opened(editor, reviewer)
    comment = services.comment_submit(consultation=consultation, body="建议")
    services.comment_decide(actor=editor, comment=comment, decision=Comment.Decision.ADOPTED)
    services.consultation_feedback_publish(actor=reviewer, consultation=closed(consultation), feedback="采纳1条。")
    for change in (
        lambda: services.comment_moderate(actor=editor, comment=comment, approve=False),
        lambda: services.comment_mark_kind(actor=editor, comment=comment, kind=Comment.Kind.ENTERPRISE),
        lambda: services.comment_decide(actor=editor, comment=comment, decision=Comment.Decision.NOT_ADOPTED, reason="改"),
    ):
        with pytest.raises(ValidationError):
            change()
