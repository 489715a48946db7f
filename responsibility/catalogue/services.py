"""Writes to the 标准目录. The admin, the spreadsheet import and the commands all come here."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from furong_portal.pagecache import public_pages_changed
from responsibility.access import can_administer

from .models import CatalogueEntry


def _check_actor(actor) -> None:
    # 国办发〔2019〕54号 makes the government office responsible for the catalogue;
    # here that is the district office (区政务公开办).
    if actor is not None and not can_administer(actor):
        raise PermissionDenied("只有区政务公开办可以编辑标准目录。")


@transaction.atomic
def catalogue_entry_save(*, entry: CatalogueEntry, actor=None) -> CatalogueEntry:
    """Validate and store one entry (new or changed). `actor` None means a command."""
    _check_actor(actor)
    entry.full_clean()
    entry.save()
    public_pages_changed()
    return entry


@transaction.atomic
def catalogue_entry_delete(*, entry: CatalogueEntry, actor=None) -> None:
    _check_actor(actor)
    entry.delete()
    public_pages_changed()
