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
