"""The back office of 意见征集 is scoped to the unit: another unit's staff find nothing, by list or by URL."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from disclosure.consultations import services
from tests.consultations.test_consultations import opened
from tests.disclosure.staff import UNIT_B, district_officer, editor_of, reviewer_of, unit

pytestmark = pytest.mark.django_db


def test_another_units_staff_see_nothing_of_the_consultation(client, editor, reviewer):
    consultation = opened(editor, reviewer)
    comment = services.comment_submit(consultation=consultation, body="意见", contact="13800000000")
    for user in (editor_of(unit(UNIT_B)), reviewer_of(unit(UNIT_B))):
        client.force_login(user)
        assert consultation.title not in client.get(reverse("admin:consultations_consultation_changelist")).content.decode()
        assert "13800000000" not in client.get(reverse("admin:consultations_comment_changelist")).content.decode()
        for name, pk in (
            ("admin:consultations_consultation_change", consultation.pk),
            ("admin:consultations_consultation_feedback", consultation.pk),
            ("admin:consultations_comment_change", comment.pk),
        ):
            assert client.get(reverse(name, args=(pk,))).status_code in (302, 404), (user, name)
        client.post(
            reverse("admin:consultations_comment_changelist"),
            {"action": "approve_selected", "_selected_action": [comment.pk]},
        )
        comment.refresh_from_db()
        assert comment.state == comment.State.PENDING


def test_the_units_own_staff_and_the_office_moderate(client, editor, reviewer):
    consultation = opened(editor, reviewer)
    comment = services.comment_submit(consultation=consultation, body="意见")
    for user in (editor, district_officer()):
        client.force_login(user)
        page = client.get(reverse("admin:consultations_comment_changelist")).content.decode()
        assert "意见" in page
    client.post(
        reverse("admin:consultations_comment_changelist"), {"action": "approve_selected", "_selected_action": [comment.pk]}
    )
    comment.refresh_from_db()
    assert comment.state == comment.State.APPROVED


def test_attachments_are_added_and_removed_only_while_the_draft_is_open(client, editor, reviewer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.consultations.test_consultations import draft

    settings.MEDIA_ROOT = tmp_path
    consultation = draft(editor)
    pdf = SimpleUploadedFile("征求意见稿.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    attachment = services.consultation_attachment_add(actor=editor, consultation=consultation, file=pdf)
    pdf.seek(0)
    mistaken = services.consultation_attachment_add(actor=editor, consultation=consultation, file=pdf, name="传错的附件")
    services.consultation_attachment_remove(actor=editor, attachment=mistaken)
    assert [a.name for a in consultation.attachments.all()] == ["征求意见稿.pdf"]
    services.consultation_publish(actor=reviewer, consultation=consultation)
    with pytest.raises(PermissionDenied):
        services.consultation_attachment_remove(actor=editor, attachment=attachment)
    assert client.get(reverse("consultations:attachment", args=(attachment.pk,))).status_code == 200


def test_draft_attachments_stay_private_until_publication(client, editor, reviewer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.consultations.test_consultations import draft

    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "public", tmp_path / "private"
    consultation = draft(editor)
    pdf = SimpleUploadedFile("征求意见稿.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    attachment = services.consultation_attachment_add(actor=editor, consultation=consultation, file=pdf)
    assert (tmp_path / "private" / attachment.file.name).is_file() and not (tmp_path / "public").exists()
    download, door = reverse("consultations:attachment", args=(attachment.pk,)), attachment.file.url
    assert door == reverse("protected-file", args=(attachment.file.name,))
    assert client.get(download).status_code == 404
    assert client.get(door).status_code == 302  # to the login page
    client.force_login(editor_of(unit(UNIT_B)))
    assert client.get(door).status_code == 404  # another unit's draft
    client.force_login(editor)
    assert client.get(door).status_code == 200
    client.logout()
    services.consultation_publish(actor=reviewer, consultation=consultation)
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(door).status_code == 200


def test_the_migration_moves_earlier_attachments_to_private_storage(editor, settings, tmp_path):
    import importlib

    from django.apps import apps

    from tests.consultations.test_consultations import draft

    migration = importlib.import_module("disclosure.consultations.migrations.0003_attachments_private")
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "public", tmp_path / "private"
    name, taken = "attachments/2020/09/25093000000001.pdf", "attachments/2020/09/25093000000002.pdf"
    for root, stored in (("public", name), ("public", taken), ("private", taken)):  # an item's file holds `taken`
        (tmp_path / root / stored).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / root / stored).write_bytes(f"{root} {stored}".encode())
    consultation = draft(editor)
    first = consultation.attachments.create(file=name, name="一.pdf", size=1)
    second = consultation.attachments.create(file=taken, name="二.pdf", size=1)
    migration.to_private(apps, None)
    second.refresh_from_db()
    assert (tmp_path / "private" / name).read_bytes() == f"public {name}".encode()
    assert second.file.name == "attachments/2020/09/25093000000002-1.pdf"
    assert (tmp_path / "private" / second.file.name).read_bytes() == f"public {taken}".encode()
    assert (tmp_path / "private" / taken).read_bytes() == f"private {taken}".encode()  # the item's file untouched
    assert not any((tmp_path / "public").rglob("*.pdf")) and first.file.name == name
