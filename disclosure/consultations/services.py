"""Writes of 意见征集. Each service checks the actor against `access`, validates, runs in one
transaction and, for publications, writes the audit log. Rule violations raise ValidationError
with a message a person understands."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from disclosure.access import items_linkable_by
from disclosure.models import Item
from disclosure.sanitize import sanitize_html
from disclosure.uploads import validate_attachment
from furong_portal.pagecache import public_pages_changed
from responsibility.access import is_district_office, unit_of
from responsibility.audit import audit_record
from responsibility.models import AuditEvent, Unit

from . import access
from .models import Comment, Consultation, ConsultationAttachment

CONTENT_FIELDS = ("title", "policy_title", "body", "opens_on", "closes_on", "contact", "for_enterprises", "show_comments")


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("unit").get(pk=consultation.pk)


def _apply(consultation: Consultation, data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not content fields: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(consultation, name, value)
    consultation.body = sanitize_html(consultation.body or "")
    if consultation.opens_on and consultation.closes_on and consultation.closes_on < consultation.opens_on:
        raise ValidationError({"closes_on": "征集截止日期不能早于开始日期。"})
    consultation.full_clean()


@transaction.atomic
def consultation_create(*, actor, data: Mapping[str, Any], unit: Unit | None = None) -> Consultation:
    """A draft written by a unit's staff (the district office may write for any unit)."""
    if not actor.has_perm("consultations.add_consultation"):
        raise PermissionDenied("您没有发起意见征集的权限。")
    own = unit_of(actor)
    unit = unit if unit is not None and is_district_office(actor) else own
    if unit is None:
        raise ValidationError({"unit": "请指定征集单位。"})
    consultation = Consultation(unit=unit, created_by=actor)
    _apply(consultation, data)
    consultation.save()
    return consultation


@transaction.atomic
def consultation_update(*, actor, consultation: Consultation, data: Mapping[str, Any]) -> Consultation:
    public_pages_changed()  # after commit: the public pages show it
    consultation = _locked(consultation)
    access.require(access.consultations_editable_by(actor), consultation, "只能修改本单位尚未发布的意见征集。")
    _apply(consultation, data)
    consultation.save()
    return consultation


@transaction.atomic
def consultation_attachment_add(*, actor, consultation: Consultation, file, name: str = "") -> ConsultationAttachment:
    public_pages_changed()  # after commit: the public pages show it
    consultation = _locked(consultation)
    access.require(access.consultations_editable_by(actor), consultation, "只能给本单位尚未发布的意见征集添加附件。")
    content_type = validate_attachment(file)
    display_name = (name or file.name.rsplit("/", 1)[-1]).strip()[:200]
    return ConsultationAttachment.objects.create(
        consultation=consultation, file=file, name=display_name, size=file.size, content_type=content_type
    )


@transaction.atomic
def consultation_attachment_remove(*, actor, attachment: ConsultationAttachment) -> None:
    public_pages_changed()  # after commit: the public pages show it
    consultation = _locked(attachment.consultation)
    access.require(access.consultations_editable_by(actor), consultation, "只能删除本单位尚未发布的意见征集的附件。")
    stored_name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: ConsultationAttachment.file.field.storage.delete(stored_name))


@transaction.atomic
def consultation_publish(*, actor, consultation: Consultation, today: datetime.date | None = None) -> Consultation:
    """Open the draft to the public. Its period must not already be over."""
    today = today or timezone.localdate()
    consultation = _locked(consultation)
    access.require(access.consultations_reviewable_by(actor), consultation, "您不能发布这项意见征集。")
    if consultation.state != Consultation.State.DRAFT:
        raise ValidationError("只有草稿可以发布。")
    if consultation.closes_on < today:
        raise ValidationError({"closes_on": "征集截止日期已过，请修改征集期限后再发布。"})
    consultation.state = Consultation.State.PUBLISHED
    consultation.published_at = timezone.now()
    consultation.save(update_fields=["state", "published_at", "updated_at"])
    public_pages_changed()
    audit_record(
        action=AuditEvent.Action.CONSULTATION_PUBLISHED, actor=actor, target=consultation,
        detail={"unit": str(consultation.unit), "opens_on": str(consultation.opens_on), "closes_on": str(consultation.closes_on)},
    )  # fmt: skip
    return consultation


@transaction.atomic
def comment_submit(
    *, consultation: Consultation, body: str, kind: str = Comment.Kind.PUBLIC, name: str = "", contact: str = "",
    form_nonce: str | None = None, today: datetime.date | None = None,
) -> Comment:  # fmt: skip
    """A comment from the public (no account). It appears only after the unit approves it."""
    consultation = _locked(consultation)
    if not consultation.is_open(today):
        raise ValidationError("该意见征集不在征集期内，不能提交意见。")
    if form_nonce and Comment.objects.filter(form_nonce=form_nonce).exists():
        raise ValidationError("这份意见已经提交过了。")
    comment = Comment(
        consultation=consultation, body=(body or "").strip(), kind=kind, name=(name or "").strip(),
        contact=(contact or "").strip(), form_nonce=form_nonce,
    )  # fmt: skip
    comment.full_clean(exclude=("form_nonce",))
    comment.save()
    return comment


def _comment_locked(*, actor, comment: Comment) -> Comment:
    """The comment's row, locked, once the actor may handle it and the feedback is not out yet."""
    comment = Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
    access.require(access.comments_moderatable_by(actor), comment, "您不能处理这条意见。")
    if comment.consultation.state == Consultation.State.CONCLUDED:
        raise ValidationError("采纳情况反馈已发布，意见的处理结果不能再修改。")
    return comment


@transaction.atomic
def comment_moderate(*, actor, comment: Comment, approve: bool) -> Comment:
    """Approve a comment (it may then be shown) or set it aside (it is counted, never shown)."""
    comment = _comment_locked(actor=actor, comment=comment)
    comment.state = Comment.State.APPROVED if approve else Comment.State.REJECTED
    comment.moderated_by = actor
    comment.save(update_fields=["state", "moderated_by"])
    public_pages_changed()  # the consultation's page may show approved comments
    return comment


@transaction.atomic
def comment_mark_kind(*, actor, comment: Comment, kind: str) -> Comment:
    """The unit marks a comment as coming from a business or an association (工作要点第（五）条)."""
    public_pages_changed()  # after commit: the public pages show it
    comment = _comment_locked(actor=actor, comment=comment)
    if kind not in Comment.Kind.values:
        raise ValidationError({"kind": "请选择提出者类型。"})
    comment.kind = kind
    comment.save(update_fields=["kind"])
    return comment


@transaction.atomic
def comment_decide(*, actor, comment: Comment, decision: str, reason: str = "") -> Comment:
    """Record whether an approved comment was adopted; not adopting (or in part) needs a reason."""
    public_pages_changed()  # after commit: the public pages show it
    comment = _comment_locked(actor=actor, comment=comment)
    if decision not in Comment.Decision.values:
        raise ValidationError({"decision": "请选择采纳情况。"})
    reason = (reason or "").strip()
    if decision in (Comment.Decision.PARTLY, Comment.Decision.NOT_ADOPTED) and not reason:
        raise ValidationError({"decision_reason": "未采纳或部分采纳的意见须说明理由。"})
    if comment.state == Comment.State.PENDING:
        comment.state, comment.moderated_by = Comment.State.APPROVED, actor
    comment.decision, comment.decision_reason = decision, reason
    comment.full_clean(exclude=("form_nonce",))
    comment.save(update_fields=["state", "moderated_by", "decision", "decision_reason"])
    return comment


@transaction.atomic
def consultation_feedback_publish(
    *, actor, consultation: Consultation, feedback: str, final_document: Item | None = None,
    today: datetime.date | None = None,
) -> Consultation:  # fmt: skip
    """Publish the 意见采纳情况反馈 once the period is over and every approved comment has a decision."""
    today = today or timezone.localdate()
    consultation = _locked(consultation)
    access.require(access.consultations_reviewable_by(actor), consultation, "您不能发布这项意见征集的采纳情况反馈。")
    if consultation.state != Consultation.State.PUBLISHED:
        raise ValidationError("只有已发布、尚未反馈的意见征集可以发布采纳情况反馈。")
    if consultation.closes_on >= today:
        raise ValidationError(f"征集期至 {consultation.closes_on:%Y-%m-%d} 结束，期满后才能发布采纳情况反馈。")
    comments = consultation.comments.all()
    if comments.filter(state=Comment.State.PENDING).exists():
        raise ValidationError("还有待审核的意见，请先审核全部意见。")
    if comments.filter(state=Comment.State.APPROVED, decision=Comment.Decision.UNDECIDED).exists():
        raise ValidationError("还有意见未标明是否采纳，请逐条处理后再发布反馈。")
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError({"feedback": "请填写意见采纳情况说明。"})
    if final_document is not None:
        _check_document(actor, consultation, final_document)
        consultation.final_document = final_document
    consultation.feedback = sanitize_html(feedback)
    consultation.feedback_published_at = timezone.now()
    consultation.state = Consultation.State.CONCLUDED
    consultation.save()
    public_pages_changed()
    audit_record(
        action=AuditEvent.Action.FEEDBACK_PUBLISHED, actor=actor, target=consultation,
        detail={"comments": comments.count(), "adopted": comments.filter(decision=Comment.Decision.ADOPTED).count()},
    )  # fmt: skip
    return consultation


def _check_document(actor, consultation: Consultation, document: Item) -> None:
    if document.unit_id != consultation.unit_id or not items_linkable_by(actor).filter(pk=document.pk).exists():
        raise ValidationError({"final_document": "正式文件须是本单位已发布的信息。"})


@transaction.atomic
def consultation_link_document(*, actor, consultation: Consultation, document: Item) -> Consultation:
    """Link the final document once it is published (after the feedback, if it came later)."""
    consultation = _locked(consultation)
    access.require(access.consultations_reviewable_by(actor), consultation, "您不能修改这项意见征集。")
    if consultation.state == Consultation.State.DRAFT:
        raise ValidationError("意见征集尚未发布。")
    _check_document(actor, consultation, document)
    consultation.final_document = document
    consultation.save(update_fields=["final_document", "updated_at"])
    public_pages_changed()
    return consultation
