"""三同步 (芙政办发〔2020〕13号 第（十八）条): a normative document and its interpretation are
approved and go live together; only the district office may exempt a document."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure import services
from disclosure.interpretations.models import UninterpretedDocument
from disclosure.interpretations.services import interpretation_exemption_grant
from disclosure.models import Item
from responsibility.models import AuditEvent
from tests.disclosure.staff import (
    COLUMN_A,
    COLUMN_B,
    UNIT_B,
    column,
    district_officer,
    editor_of,
    published_item,
    reviewer_of,
    unit,
)  # fmt: skip

pytestmark = pytest.mark.django_db


def submitted(editor, title, **data):
    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": title, **data})
    return services.item_submit(actor=editor, item=item)


def test_a_normative_document_without_interpretation_is_refused(editor, reviewer):
    document = submitted(editor, "芙蓉区行政执法公示办法", is_normative=True)
    with pytest.raises(ValidationError, match="三同步"):
        services.item_publish(secrecy_confirmed=True, actor=reviewer, item=document)
    document.refresh_from_db()
    assert (document.state, document.index_number) == (Item.State.PENDING, None)


def test_the_document_and_its_pending_interpretation_go_live_at_the_same_moment(editor, reviewer):
    document = services.item_create(
        actor=editor, column=column(COLUMN_A), data={"title": "芙蓉区行政执法公示办法", "is_normative": True}
    )
    interpretation = submitted(editor, "《芙蓉区行政执法公示办法》解读", interprets=document, genre="interpretation")
    services.item_submit(actor=editor, item=document)
    published = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=document)
    interpretation.refresh_from_db()
    assert interpretation.state == Item.State.PUBLISHED
    assert interpretation.published_at == published.published_at
    assert interpretation.index_number and interpretation.reviewed_by == reviewer
    assert "同步发布" in interpretation.revisions.first().comment
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ITEM_PUBLISHED).count() == 2


def test_an_interpretation_is_not_published_before_its_document(editor, reviewer):
    document = submitted(editor, "芙蓉区行政执法公示办法", is_normative=True)
    interpretation = submitted(editor, "解读", interprets=document)
    with pytest.raises(ValidationError, match="尚未公开"):
        services.item_publish(secrecy_confirmed=True, actor=reviewer, item=interpretation)


def test_an_interpretation_of_an_already_public_document_is_published_alone(editor, reviewer, a):
    document = published_item(unit=a, column=column(COLUMN_A), title="旧办法", is_normative=True, validity="valid")
    interpretation = services.item_publish(secrecy_confirmed=True, actor=reviewer, item=submitted(editor, "旧办法解读", interprets=document))
    assert interpretation.state == Item.State.PUBLISHED


def test_the_reviewer_must_be_able_to_review_the_interpretation_too(editor, a):
    colleague = reviewer_of(a, "reviewer-who-wrote")
    document = submitted(editor, "芙蓉区行政执法公示办法", is_normative=True)
    interpretation = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "解读", "interprets": document})
    services.item_submit(actor=editor, item=interpretation)
    # The colleague changed the interpretation, so someone else must review it.
    services.item_return(actor=colleague, item=interpretation, reason="请修改")
    from disclosure.models import ItemRevision

    ItemRevision.objects.create(item=interpretation, action=ItemRevision.Action.EDITED, author=colleague, snapshot={})
    services.item_submit(actor=editor, item=interpretation)
    with pytest.raises(ValidationError, match="不能审核其解读材料"):
        services.item_publish(secrecy_confirmed=True, actor=colleague, item=document)


def test_an_interpretation_cannot_point_at_another_units_draft(editor, seed):
    other_editor = editor_of(unit(UNIT_B))
    foreign = services.item_create(actor=other_editor, column=column(COLUMN_B), data={"title": "乙单位办法", "is_normative": True})
    with pytest.raises(ValidationError):
        services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "解读", "interprets": foreign})


def test_the_office_exempts_a_document_with_a_reason_which_is_audited(editor, reviewer):
    document = submitted(editor, "芙蓉区行政执法公示办法（修订）", is_normative=True)
    office = district_officer()
    with pytest.raises(ValidationError):
        interpretation_exemption_grant(actor=office, document=document, reason="  ")
    interpretation_exemption_grant(actor=office, document=document, reason="仅修改个别文字，无实质变化")
    assert services.item_publish(secrecy_confirmed=True, actor=reviewer, item=document).state == Item.State.PUBLISHED
    event = AuditEvent.objects.get(action=AuditEvent.Action.INTERPRETATION_EXEMPTED)
    assert event.detail["reason"] == "仅修改个别文字，无实质变化"


def test_units_cannot_exempt_their_own_documents(editor, reviewer):
    document = submitted(editor, "芙蓉区行政执法公示办法", is_normative=True)
    for actor in (editor, reviewer):
        with pytest.raises(PermissionDenied):
            interpretation_exemption_grant(actor=actor, document=document, reason="自行豁免")


def test_published_documents_without_interpretation_are_listed_for_the_office(a):
    lonely = published_item(unit=a, column=column(COLUMN_A), title="无解读", is_normative=True, validity="valid")
    interpreted = published_item(unit=a, column=column(COLUMN_A), title="有解读", is_normative=True, validity="valid")
    published_item(unit=a, column=column(COLUMN_A), title="解读", interprets=interpreted)
    exempt = published_item(unit=a, column=column(COLUMN_A), title="已豁免", is_normative=True, validity="valid")
    interpretation_exemption_grant(actor=district_officer(), document=exempt, reason="内部程序性文件")
    published_item(unit=a, column=column(COLUMN_A), title="普通信息")
    assert list(UninterpretedDocument.objects.lacking_interpretation().values_list("title", flat=True)) == [lonely.title]
