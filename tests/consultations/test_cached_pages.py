"""The page cache (furong_portal.pagecache) shows the office's and units' changes of 专栏 and
意见征集 at once: their services call `public_pages_changed`."""

import datetime

import pytest
from django.utils import timezone

from disclosure.consultations import services as consultation_services
from disclosure.consultations.models import Comment, Consultation
from disclosure.topics import services as topic_services
from disclosure.topics.models import Topic
from tests.consultations.test_consultations import opened
from tests.disclosure.staff import COLUMN_A, column, district_officer, published_item

pytestmark = pytest.mark.django_db


def test_placing_and_removing_an_item_by_hand_shows_on_the_topic_page(client, a, committed):
    topic = Topic.objects.get(slug="enterprise-policies")
    item = published_item(unit=a, column=column(COLUMN_A), title="手动放入专栏的信息")
    assert "手动放入专栏的信息" not in client.get(topic.get_absolute_url()).content.decode()
    office = district_officer()
    entry = committed(lambda: topic_services.topic_entry_add(actor=office, topic=topic, item=item))
    assert "手动放入专栏的信息" in client.get(topic.get_absolute_url()).content.decode()
    committed(lambda: topic_services.topic_entry_remove(actor=office, entry=entry))
    assert "手动放入专栏的信息" not in client.get(topic.get_absolute_url()).content.decode()


def test_an_approved_comment_and_the_feedback_show_on_the_consultation_page(client, editor, reviewer, committed):
    consultation = committed(lambda: opened(editor, reviewer, show_comments=True))
    comment = consultation_services.comment_submit(consultation=consultation, body="请延长申报期限")
    assert "请延长申报期限" not in client.get(consultation.get_absolute_url()).content.decode()
    committed(lambda: consultation_services.comment_moderate(actor=editor, comment=comment, approve=True))
    assert "请延长申报期限" in client.get(consultation.get_absolute_url()).content.decode()
    consultation_services.comment_decide(actor=editor, comment=comment, decision=Comment.Decision.ADOPTED)
    today = timezone.localdate()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=today - datetime.timedelta(days=31), closes_on=today - datetime.timedelta(days=1)
    )
    committed(
        lambda: consultation_services.consultation_feedback_publish(
            actor=reviewer, consultation=consultation, feedback="采纳意见1条。"
        )
    )
    assert "采纳意见1条。" in client.get(consultation.get_absolute_url()).content.decode()
