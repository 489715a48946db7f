"""What the review page shows of 三同步: a document with its interpretations, or an
interpretation with its document."""

from dataclasses import dataclass, field

from disclosure.models import Item

from .models import InterpretationExemption


@dataclass
class InterpretationPair:
    document: Item | None = None
    interpretations: list[Item] = field(default_factory=list)
    exemption: InterpretationExemption | None = None
    needs_interpretation: bool = False


def interpretation_pair(item: Item) -> InterpretationPair:
    if item.interprets_id is not None:
        return InterpretationPair(document=Item.objects.select_related("unit").defer("body", "search_text").get(pk=item.interprets_id))
    if not item.is_normative:
        return InterpretationPair()
    interpretations = list(
        item.interpretations.exclude(state=Item.State.WITHDRAWN).select_related("unit", "created_by").order_by("pk")
    )
    exemption = InterpretationExemption.objects.filter(document=item).select_related("granted_by").first()
    return InterpretationPair(
        document=item,
        interpretations=interpretations,
        exemption=exemption,
        needs_interpretation=exemption is None
        and not any(i.state in (Item.State.PENDING, Item.State.PUBLISHED) for i in interpretations),
    )
