"""The office's admin pages for 专栏 and 三同步 open for the office and for nobody else."""

import pytest
from django.urls import reverse

from disclosure.topics.models import Topic
from tests.disclosure.staff import COLUMN_A, column, district_officer, published_item

pytestmark = pytest.mark.django_db

PAGES = (
    ("admin:topics_topic_changelist", ()),
    ("admin:topics_topic_add", ()),
    ("admin:topics_topicentry_changelist", ()),
    ("admin:topics_topicentry_add", ()),
    ("admin:interpretations_uninterpreteddocument_changelist", ()),
    ("admin:interpretations_interpretationexemption_add", ()),
)


def test_the_office_opens_every_page_and_units_none(client, editor, reviewer):
    client.force_login(district_officer())
    for name, args in PAGES:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    for user in (editor, reviewer):
        client.force_login(user)
        for name, args in PAGES:
            assert client.get(reverse(name, args=args)).status_code == 403, (user, name)


def test_saving_a_topic_applies_its_rules(client, a):
    published_item(unit=a, column=column(COLUMN_A), title="公共法律服务清单")
    client.force_login(district_officer())
    data = {
        "title": "公共法律服务", "slug": "legal-services", "banner_text": "", "introduction": "",
        "starts_on": "2020-06-12", "ends_on": "", "is_online": "on", "position": "9",
        "sections-TOTAL_FORMS": "0", "sections-INITIAL_FORMS": "0",
        "rules-TOTAL_FORMS": "1", "rules-INITIAL_FORMS": "0",
        "rules-0-position": "1", "rules-0-keywords": "法律服务", "rules-0-doc_number_pattern": "",
    }  # fmt: skip
    response = client.post(reverse("admin:topics_topic_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    topic = Topic.objects.get(slug="legal-services")
    assert list(topic.entries.values_list("item__title", flat=True)) == ["公共法律服务清单"]
