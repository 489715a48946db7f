"""The back office of 意见征集 is scoped to the unit: another unit's staff find nothing, by list or by URL."""

import pytest
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
