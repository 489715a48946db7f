"""专栏: seeded as data, filled by rules as items are published, curated by hand, served
publicly with constant queries, pagination and feeds."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from disclosure import services
from disclosure.topics import services as topic_services
from disclosure.topics.models import Topic, TopicEntry, TopicRule
from tests.disclosure.staff import COLUMN_A, column, district_officer, published_item

pytestmark = pytest.mark.django_db


def publish(editor, reviewer, title, **data):
    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": title, **data})
    return services.item_publish(secrecy_confirmed=True, actor=reviewer, item=services.item_submit(actor=editor, item=item))


def shown(topic):
    return set(topic.entries.shown().values_list("item__title", flat=True))


def test_the_three_topics_of_the_work_points_are_seeded_as_data(seed):
    topics = Topic.objects.current()
    assert [t.title for t in topics] == ["政府常务会议信息公开", "优化营商环境", "涉企政策"]
    assert all(topic.rules.exists() and topic.sections.exists() for topic in topics)


def test_publishing_an_item_places_it_in_the_section_of_the_first_matching_rule(editor, reviewer):
    item = publish(editor, reviewer, "区政府第12次常务会议决定事项")
    interpretation = publish(editor, reviewer, "图解：区政府常务会议精神", genre="interpretation")
    publish(editor, reviewer, "与专栏无关的通知")
    topic = Topic.objects.get(slug="executive-meetings")
    entries = {entry.item_id: entry.section.slug for entry in topic.entries.select_related("section")}
    assert entries == {item.pk: "meetings", interpretation.pk: "interpretations"}


def test_a_draft_or_pending_item_is_not_placed(editor):
    item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "常务会议纪要（草稿）"})
    services.item_submit(actor=editor, item=item)
    assert not TopicEntry.objects.filter(item=item).exists()


def test_rules_combine_doc_number_pattern_unit_and_column(a):
    topic = Topic.objects.create(title="司法专栏", slug="justice")
    rule = TopicRule.objects.create(topic=topic, doc_number_pattern="芙司发〔*〕*号")
    rule.units.add(a)
    rule.columns.add(column("3"))  # the whole subtree of 法定主动公开内容
    published_item(unit=a, column=column(COLUMN_A), title="甲", doc_number="芙司发〔2020〕3号")
    published_item(unit=a, column=column(COLUMN_A), title="乙", doc_number="芙政发〔2020〕3号")
    published_item(unit=a, column=column("1-1"), title="丙", doc_number="芙司发〔2020〕4号")
    assert topic_services.topic_rules_apply(topic=topic) == {"added": 1, "dropped": 0}
    assert shown(topic) == {"甲"}


def test_reapplying_rules_drops_what_no_longer_matches_but_keeps_pins_and_removals(a):
    topic = Topic.objects.create(title="试点", slug="pilot")
    rule = TopicRule.objects.create(topic=topic, keywords="试点、示范")
    for title in ("试点一", "试点二", "示范三"):
        published_item(unit=a, column=column(COLUMN_A), title=title)
    topic_services.topic_rules_apply(topic=topic)
    office = district_officer()
    entries = {entry.item.title: entry for entry in topic.entries.select_related("item")}
    topic_services.topic_entry_arrange(actor=office, entry=entries["试点一"], pinned=True, position=1)
    topic_services.topic_entry_remove(actor=office, entry=entries["试点二"])
    rule.keywords = "示范"
    rule.save()
    assert topic_services.topic_rules_apply(topic=topic, actor=office) == {"added": 0, "dropped": 0}
    topic_services.topic_rules_apply(topic=topic)
    assert shown(topic) == {"试点一", "示范三"}
    rule.keywords = "试点"
    rule.save()
    topic_services.topic_rules_apply(topic=topic)
    assert shown(topic) == {"试点一"}, "a removed item stays out, a pinned one stays in"


def test_only_the_district_office_curates(editor, reviewer, a):
    topic = Topic.objects.get(slug="enterprise-policies")
    item = published_item(unit=a, column=column(COLUMN_A), title="普通信息")
    for actor in (editor, reviewer):
        with pytest.raises(PermissionDenied):
            topic_services.topic_entry_add(actor=actor, topic=topic, item=item)
    entry = topic_services.topic_entry_add(actor=district_officer(), topic=topic, item=item)
    assert entry.source == TopicEntry.Source.MANUAL


def test_topic_page_lists_pinned_first_then_newest_with_constant_queries(client, a, django_assert_max_num_queries):
    topic = Topic.objects.get(slug="business-environment")
    items = [published_item(unit=a, column=column(COLUMN_A), title=f"优化营商环境措施{n}") for n in range(45)]
    topic_services.topic_rules_apply(topic=topic)
    entry = topic.entries.get(item=items[0])
    topic_services.topic_entry_arrange(actor=district_officer(), entry=entry, pinned=True, position=1)
    client.get(topic.get_absolute_url())  # warm the caches shared by every page
    with django_assert_max_num_queries(8):
        response = client.get(topic.get_absolute_url())
    page = response.content.decode()
    assert page.index("优化营商环境措施0<") < page.index("优化营商环境措施44<") < page.index("优化营商环境措施43<")
    assert "共 45 条" in page and page.count(">置顶<") == 1
    with django_assert_max_num_queries(8):
        assert client.get(topic.get_absolute_url() + "?page=3").status_code == 200


def test_section_pages_feeds_and_bad_input(client, editor, reviewer):
    publish(editor, reviewer, "复工复产十条措施")
    topic = Topic.objects.get(slug="enterprise-policies")
    response = client.get(reverse("topics:section", args=(topic.slug, "resumption")))
    assert "复工复产十条措施" in response.content.decode()
    assert "复工复产十条措施" not in client.get(reverse("topics:section", args=(topic.slug, "policies"))).content.decode()
    assert client.get(reverse("topics:section", args=(topic.slug, "nope"))).status_code == 404
    assert client.get(topic.get_absolute_url() + "?year=abc&unit=x&page=-1").status_code == 200
    for name in ("topics:feed", "topics:atom"):
        assert "复工复产十条措施" in client.get(reverse(name, args=(topic.slug,))).content.decode()


def test_home_page_shows_current_topics_and_hides_offline_ones(client, seed):
    Topic.objects.filter(slug="enterprise-policies").update(is_online=False)
    page = client.get(reverse("disclosure:home")).content.decode()
    assert "优化营商环境" in page and "涉企政策" not in page
    assert client.get(reverse("topics:topic", args=("enterprise-policies",))).status_code == 404


def test_editing_a_published_item_moves_it_in_or_out_of_topics(editor, reviewer):
    item = publish(editor, reviewer, "区政府常务会议纪要")
    topic = Topic.objects.get(slug="executive-meetings")
    assert topic.entries.filter(item=item).exists()
    office = district_officer()
    services.item_update(actor=office, item=item, data={"title": "区政府工作会议纪要"})
    assert not topic.entries.filter(item=item).exists()
    services.item_update(actor=office, item=item, data={"title": "区政府常务会议纪要（更正）"})
    assert topic.entries.filter(item=item).exists()


def test_the_sitemap_lists_topics_and_public_consultations(client, seed):
    page = client.get(reverse("disclosure:sitemap-section", args=("topics",))).content.decode()
    assert "/topics/business-environment/" in page
    assert client.get(reverse("disclosure:sitemap-section", args=("consultations",))).status_code == 200
