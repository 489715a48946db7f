"""三同步 (芙政办发〔2020〕13号 第（十八）条): 谁起草、谁解读；政策性文件与解读方案、解读材料同步组织、
同步审签、同步部署、同步公开. `item_publish` asks `interpretations_to_publish_with` which
interpretations go live with a document, or refuses the publication."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from disclosure import access
from disclosure.models import Item
from responsibility.access import is_district_office
from responsibility.audit import audit_record
from responsibility.models import AuditEvent

from .models import InterpretationExemption

RULE = "三同步：规范性文件须与其解读材料同步审签、同步公开（芙政办发〔2020〕13号 第（十八）条）。"


def interpretations_to_publish_with(*, actor, item: Item) -> list[Item]:
    """The pending interpretations that must be approved together with `item`.

    A normative document is published with every interpretation awaiting review, which
    `actor` must be able to review too; with none, only an exemption recorded by the district
    office lets it through. An interpretation of a document that is not yet public is published
    with that document, never before it. Raises ValidationError with the reason."""
    now = timezone.now()
    if item.interprets_id is not None:
        document = item.interprets
        if document.state != Item.State.PUBLISHED or document.published_at > now:
            raise ValidationError(
                f"{RULE}《{document.title}》尚未公开：解读材料将在审核该文件时与其一并发布，请审核该文件。"
            )
        return []
    if not item.is_normative or InterpretationExemption.objects.filter(document=item).exists():
        return []
    pending = list(item.interpretations.filter(state=Item.State.PENDING).order_by("pk"))
    if not pending:
        if item.interpretations.filter(state=Item.State.PUBLISHED, published_at__lte=now).exists():
            return []
        raise ValidationError(
            f"{RULE}《{item.title}》没有待审核的解读材料：请起草单位提交解读后一并审核，"
            "或由区政务公开办登记不需解读的理由。"
        )
    reviewable = set(
        access.items_reviewable_by(actor).filter(pk__in=[i.pk for i in pending]).values_list("pk", flat=True)
    )
    blocked = [interpretation for interpretation in pending if interpretation.pk not in reviewable]
    if blocked:
        titles = "、".join(f"《{interpretation.title}》" for interpretation in blocked)
        raise ValidationError(f"{RULE}您不能审核其解读材料 {titles}（本人撰写或修改的须由他人审核），请交由其他审核员一并审核。")
    return pending


@transaction.atomic
def interpretation_exemption_grant(*, actor, document: Item, reason: str) -> InterpretationExemption:
    """Record that a normative document needs no interpretation (district office only)."""
    if not is_district_office(actor) or not actor.has_perm("interpretations.add_interpretationexemption"):
        raise PermissionDenied("只有区政务公开办可以登记不需解读的理由。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写不需解读的理由。"})
    if not document.is_normative:
        raise ValidationError({"document": "只有规范性文件需要登记解读豁免。"})
    exemption, created = InterpretationExemption.objects.get_or_create(
        document=document, defaults={"reason": reason, "granted_by": actor}
    )
    if not created:
        raise ValidationError(f"《{document.title}》已登记过不需解读的理由。")
    exemption.full_clean()
    audit_record(
        action=AuditEvent.Action.INTERPRETATION_EXEMPTED, actor=actor, target=document,
        detail={"index_number": document.index_number or "", "reason": reason},
    )  # fmt: skip
    return exemption
