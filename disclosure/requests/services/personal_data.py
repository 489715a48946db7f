"""Applicants' personal data over time (个人信息保护法 第十九条, 第四十七条): moved to a new SM4
key when the keys rotate, and erased from closed requests once their retention period ends."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from furong_portal.personal_data import sm3_keyed_digest
from responsibility.audit import Action as AuditAction
from responsibility.audit import audit_record

from ..identity import mask_person_name
from ..models import ApplicantKind, InformationRequest

ENCRYPTED_FIELDS = ("id_number", "contact_person", "phone", "email", "address")


def requests_personal_data_rekey(*, batch_size: int = 500) -> int:
    """Re-encrypt every request's personal data with the current SM4 key and recompute the
    identity digests with the current digest key. Afterwards the old keys can be removed from
    `PERSONAL_DATA_KEYS`. Returns how many requests were rewritten."""
    count = 0
    queryset = InformationRequest.objects.only("pk", *ENCRYPTED_FIELDS).order_by("pk")
    for request in queryset.iterator(chunk_size=batch_size):
        values = {name: getattr(request, name) for name in ENCRYPTED_FIELDS}  # decrypted with whichever key
        # update() encrypts with the current key (SM4EncryptedField.get_prep_value).
        InformationRequest.objects.filter(pk=request.pk).update(
            **values, id_number_digest=sm3_keyed_digest(request.id_number)
        )
        count += 1
    return count


def requests_personal_data_erase(*, closed_before: dt.date, actor=None, dry_run: bool = False) -> int:
    """Erase the identity number and contact details of requests closed before `closed_before`;
    a person's name is reduced to its masked form. The request, its steps and its outcome stay
    (the annual report counts them). Recorded in the audit log."""
    due = InformationRequest.objects.closed().filter(closed_on__lt=closed_before, personal_data_erased_on__isnull=True)
    if dry_run:
        return due.count()
    today = timezone.localdate()
    with transaction.atomic():
        count = 0
        for request in due.select_for_update().only("pk", "applicant_kind", "applicant_name"):
            name = request.applicant_name
            InformationRequest.objects.filter(pk=request.pk).update(
                **dict.fromkeys(ENCRYPTED_FIELDS, ""),
                postcode="",
                id_number_digest="",
                applicant_name=name if request.applicant_kind == ApplicantKind.ORGANISATION else mask_person_name(name),
                personal_data_erased_on=today,
            )
            count += 1
        if count:
            audit_record(
                action=AuditAction.PERSONAL_DATA_ERASED,
                actor=actor,
                target="政府信息公开申请",
                detail={"requests": count, "closed_before": closed_before.isoformat()},
            )
    return count
