"""Writes to published information. Every change of an item goes through here."""

from django.db import transaction

from .models import IndexSequence, Item


@transaction.atomic
def index_number_issue(*, item: Item) -> str:
    """Give `item` its 索引号 (`机构代码/YYYY-NNNNN`, 国办秘函〔2009〕6号) if it has none.

    The serial is per unit and year of publication; the row lock makes two
    simultaneous publications of one unit take different serials."""
    if item.index_number:
        return item.index_number
    year = item.published_at.year
    sequence, _ = IndexSequence.objects.get_or_create(unit=item.unit, year=year)
    sequence = IndexSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    item.index_number = f"{item.unit.index_code}/{year}-{sequence.last_serial:05d}"
    return item.index_number
