"""The write services: review workflow, scheduling, withdrawal, validity, history, attachments."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from disclosure import services
from disclosure.models import Item, ItemRevision
from responsibility.access import ROLE_EDITOR, ROLE_REVIEWER
from responsibility.models import AuditEvent
from tests.disclosure.staff import (
    COLUMN_A, COLUMN_B, UNIT_B, column, district_officer, exempted, published_item, reviewer_of, staff_user,
    unit,
)  # fmt: skip

pytestmark = pytest.mark.django_db


def draft(editor, **data):
    return services.item_create(
        actor=editor, column=column(COLUMN_A), data={"title": "关于印发行政执法公示制度的通知", **data}
    )


def pending(editor, **data):
    return services.item_submit(actor=editor, item=draft(editor, **data))


def test_create_writes_a_draft_for_the_editors_unit_with_a_revision(editor, a):
    item = draft(editor, body='<p onclick="x()">正文<script>alert(1)</script></p>', doc_number="芙司发〔2020〕1号")
    assert (item.state, item.unit, item.created_by) == (Item.State.DRAFT, a, editor)
    assert item.body == "<p>正文</p>"
    assert "执法" in item.search_text and "2020" in item.search_text
    revision = item.revisions.get()
    assert (revision.action, revision.author, revision.snapshot["title"]) == (ItemRevision.Action.CREATED, editor, item.title)


def test_create_refuses_a_column_the_unit_has_no_duty_for(editor):
    with pytest.raises(ValidationError) as error:
        services.item_create(actor=editor, column=column(COLUMN_B), data={"title": "越权"})
    assert "本单位负责的栏目" in str(error.value)
    assert not Item.objects.filter(title="越权").exists()


def test_create_refuses_another_unit_as_publisher(editor):
    with pytest.raises(PermissionDenied):
        services.item_create(actor=editor, column=column(COLUMN_A), unit=unit(UNIT_B), data={"title": "冒名"})


def test_collective_duty_lets_a_member_unit_write(editor):
    # 1-1 政府信息公开指南 is a duty of the collective 区直各有关单位, of which 区司法局 is a member.
    item = services.item_create(actor=editor, column=column("1-1"), data={"title": "公开指南"})
    assert item.column.slug == "1-1"


def test_update_records_which_fields_changed_old_and_new(editor):
    item = draft(editor, title="旧标题")
    services.item_update(actor=editor, item=item, data={"title": "新标题", "keywords": "执法"})
    revision = item.revisions.first()
    assert revision.action == ItemRevision.Action.EDITED
    assert revision.changes["title"] == ["旧标题", "新标题"]
    assert revision.changes["keywords"] == ["（空）", "执法"]
    assert set(revision.changes) == {"title", "keywords"}


def test_update_without_changes_records_nothing(editor):
    item = draft(editor)
    services.item_update(actor=editor, item=item, data={"title": item.title})
    assert item.revisions.count() == 1


def test_submitted_content_is_frozen_for_the_editor(editor):
    item = pending(editor)
    with pytest.raises(PermissionDenied):
        services.item_update(actor=editor, item=item, data={"title": "偷改"})


def test_reviewer_returns_with_a_reason_that_the_editor_sees(editor, reviewer):
    item = services.item_return(actor=reviewer, item=pending(editor), reason="文号有误")
    assert (item.state, item.review_comment, item.reviewed_by) == (Item.State.RETURNED, "文号有误", reviewer)
    services.item_update(actor=editor, item=item, data={"doc_number": "芙司发〔2020〕2号"})
    assert services.item_submit(actor=editor, item=item).state == Item.State.PENDING


def test_return_needs_a_reason(editor, reviewer):
    with pytest.raises(ValidationError):
        services.item_return(actor=reviewer, item=pending(editor), reason="  ")


def test_publish_sets_date_issues_index_number_and_audits(editor, reviewer, a):
    before = timezone.now()
    item = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=pending(editor))
    assert item.state == Item.State.PUBLISHED and item.published_at >= before
    assert item.index_number == f"{settings.DISTRICT_ORGANISATION_CODE}/{timezone.localtime(item.published_at).year}-00001"
    assert "00001" in item.search_text.split()
    assert Item.objects.published().filter(pk=item.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.ITEM_PUBLISHED)
    assert (event.actor, event.target_id) == (reviewer, str(item.pk))


def test_nobody_reviews_their_own_draft(a):
    both = staff_user("both-roles", unit=a, roles=(ROLE_EDITOR, ROLE_REVIEWER))
    item = pending(both)
    with pytest.raises(PermissionDenied):
        services.item_publish(secrecy_confirmed=True, actor=both, item=item)
    with pytest.raises(PermissionDenied):
        services.item_return(actor=both, item=item, reason="自己退回")


def test_a_reviewer_who_edited_the_draft_cannot_approve_it(editor, a):
    both = staff_user("both-roles", unit=a, roles=(ROLE_EDITOR, ROLE_REVIEWER))
    item = services.item_return(actor=reviewer_of(a), item=pending(editor), reason="请补充")
    services.item_update(actor=both, item=item, data={"keywords": "补充"})
    services.item_submit(actor=editor, item=item)
    with pytest.raises(PermissionDenied):
        services.item_publish(secrecy_confirmed=True, actor=both, item=item)


def test_reviewer_of_another_unit_cannot_publish(editor):
    with pytest.raises(PermissionDenied):
        services.item_publish(secrecy_confirmed=True, actor=reviewer_of(unit(UNIT_B)), item=pending(editor))


def test_district_office_can_publish_any_units_item(editor):
    item = services.item_publish(secrecy_confirmed=True, actor=district_officer(), item=pending(editor))
    assert item.state == Item.State.PUBLISHED


def test_only_pending_items_are_published(editor, reviewer):
    with pytest.raises(PermissionDenied):
        services.item_publish(secrecy_confirmed=True, actor=reviewer, item=draft(editor))


def test_scheduled_publication_appears_at_its_time_without_anyone_acting(editor, reviewer):
    at = timezone.now() + timedelta(days=2)
    item = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=pending(editor), at=at)
    assert item.state == Item.State.PUBLISHED and item.published_at == at
    assert not Item.objects.published().filter(pk=item.pk).exists()
    assert Item.objects.published(now=at + timedelta(seconds=1)).filter(pk=item.pk).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ITEM_SCHEDULED, target_id=str(item.pk)).exists()


def test_scheduled_time_must_be_in_the_future(editor, reviewer):
    with pytest.raises(ValidationError):
        services.item_publish(secrecy_confirmed=True, actor=reviewer, item=pending(editor), at=timezone.now() - timedelta(minutes=1))


def test_a_scheduled_item_can_still_be_returned_and_keeps_its_index_number(editor, reviewer):
    item = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=pending(editor), at=timezone.now() + timedelta(days=1))
    number = item.index_number
    item = services.item_return(actor=reviewer, item=item, reason="暂缓发布")
    assert (item.state, item.published_at, item.index_number) == (Item.State.RETURNED, None, number)
    services.item_submit(actor=editor, item=item)
    assert services.item_publish(secrecy_confirmed=True, actor=reviewer, item=item).index_number == number


def test_withdrawal_needs_a_reason_keeps_the_item_and_is_audited(editor, reviewer):
    item = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=pending(editor))
    with pytest.raises(ValidationError):
        services.item_withdraw(actor=reviewer, item=item, reason="")
    item = services.item_withdraw(actor=reviewer, item=item, reason="内容已过时")
    assert (item.state, item.withdrawn_reason) == (Item.State.WITHDRAWN, "内容已过时")
    assert item.withdrawn_at is not None and item.index_number
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ITEM_WITHDRAWN, target_id=str(item.pk)).exists()


def test_editors_cannot_withdraw(editor, reviewer):
    item = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=pending(editor))
    with pytest.raises(PermissionDenied):
        services.item_withdraw(actor=editor, item=item, reason="想撤")


def test_published_items_are_never_deleted(editor, reviewer):
    item = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=pending(editor))
    for actor in (editor, reviewer, district_officer()):
        with pytest.raises(PermissionDenied):
            services.item_delete(actor=actor, item=item)
    assert Item.objects.filter(pk=item.pk).exists()


def test_an_editor_deletes_their_own_draft(editor):
    item = draft(editor)
    services.item_delete(actor=editor, item=item)
    assert not Item.objects.filter(pk=item.pk).exists()


def test_normative_document_is_marked_repealed_with_date_and_successor(editor, reviewer, a):
    old = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=exempted(pending(editor, is_normative=True)))
    assert old.validity == Item.Validity.VALID
    new = published_item(unit=a, column=column(COLUMN_A), title="新办法", is_normative=True, validity="valid")
    item = services.item_set_validity(
        actor=reviewer, item=old, validity=Item.Validity.REPEALED, since=date(2020, 6, 1), successor=new
    )
    assert (item.validity, item.validity_since, item.successor) == ("repealed", date(2020, 6, 1), new)
    assert item.state == Item.State.PUBLISHED
    assert item.revisions.first().changes["validity"] == ["有效", "废止"]


def test_validity_change_needs_a_date_and_a_normative_document(editor, reviewer):
    item = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=exempted(pending(editor, is_normative=True)))
    with pytest.raises(ValidationError):
        services.item_set_validity(actor=reviewer, item=item, validity=Item.Validity.EXPIRED, since=None)
    plain = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=pending(editor))
    with pytest.raises(PermissionDenied):
        services.item_set_validity(actor=reviewer, item=plain, validity=Item.Validity.EXPIRED, since=date.today())


def test_successor_outside_the_reviewers_unit_is_refused(editor, reviewer):
    item = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=exempted(pending(editor, is_normative=True)))
    foreign = published_item(unit=unit(UNIT_B), column=column(COLUMN_B))
    with pytest.raises(ValidationError):
        services.item_set_validity(
            actor=reviewer, item=item, validity=Item.Validity.REPEALED, since=date.today(), successor=foreign
        )


def test_restore_brings_back_old_content_as_a_new_recorded_change(editor):
    item = draft(editor, title="第一版", body="<p>甲</p>")
    first = item.revisions.get()
    services.item_update(actor=editor, item=item, data={"title": "第二版", "body": "<p>乙</p>"})
    item = services.item_restore_revision(actor=editor, item=item, revision=first)
    assert (item.title, item.body) == ("第一版", "<p>甲</p>")
    latest = item.revisions.first()
    assert latest.action == ItemRevision.Action.RESTORED
    assert latest.changes["title"] == ["第二版", "第一版"]
    assert item.revisions.count() == 3


def test_restore_refuses_a_revision_of_another_item(editor):
    one, other = draft(editor), draft(editor, title="另一条")
    with pytest.raises(PermissionDenied):
        services.item_restore_revision(actor=editor, item=one, revision=other.revisions.get())


def test_attachment_upload_is_checked_and_recorded(editor):
    item = draft(editor)
    pdf = SimpleUploadedFile("执法公示.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    attachment = services.attachment_add(actor=editor, item=item, file=pdf)
    assert (attachment.name, attachment.content_type) == ("执法公示.pdf", "application/pdf")
    assert item.revisions.first().changes["attachments"] == ["（无）", "执法公示.pdf"]
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ValidationError):
        services.attachment_add(actor=editor, item=item, file=fake)
    services.attachment_remove(actor=editor, attachment=attachment)
    assert not item.attachments.exists()
