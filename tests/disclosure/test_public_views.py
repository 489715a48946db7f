"""The public site through the test client: pages, states, filters, caching, 长者模式."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from disclosure.models import Item
from furong_portal.pagecache import generation_renew
from tests.disclosure.public_data import attach, column, publish, unit

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def text(response) -> str:
    return response.content.decode()


def test_home_shows_the_name_search_box_column_tree_latest_items_and_quick_entries(client, seed):
    publish(title="关于做好扶贫资金管理的通知")
    response = client.get("/")
    page = text(response)
    assert response.status_code == 200
    assert page.count("<h1") == 1 and "芙蓉区政府信息公开平台</h1>" in page
    assert 'name="q"' in page and '<label class="visually-hidden" for="home-search">' in page
    assert "（10） 产品质量" in page  # the tree goes down to the third level
    assert "关于做好扶贫资金管理的通知" in page
    for label, url in (
        ("政府信息公开指南", reverse("disclosure:column", args=("1",))),
        ("政府信息公开制度", reverse("disclosure:column", args=("2",))),
        ("政府文件库", reverse("disclosure:documents")),
        ("政府信息公开年报", reverse("disclosure:column", args=("4",))),
        ("依申请公开", reverse("requests:index")),
    ):
        assert f'<a href="{url}">{label}</a>' in page


def test_home_page_without_items_says_so(client, seed):
    assert "暂无信息" in text(client.get("/"))


def test_parent_column_lists_items_of_its_whole_subtree_newest_first(client, seed):
    publish("3-12-1", title="扶贫旧闻", published_at=timezone.now() - 3 * DAY)
    publish("3-12-2", "区教育局", title="教育新闻", published_at=timezone.now() - DAY)
    publish("3-7", "区财政局", title="预算新闻")
    page = text(client.get(reverse("disclosure:column", args=("3-12",))))
    assert page.index("教育新闻") < page.index("扶贫旧闻")
    assert "预算新闻" not in page
    grandparent = text(client.get(reverse("disclosure:column", args=("3",))))
    assert all(title in grandparent for title in ("扶贫旧闻", "教育新闻", "预算新闻"))


def test_column_page_shows_path_units_subcolumns_and_last_update(client, seed):
    publish("3-12-1", title="扶贫信息一", published_at=timezone.make_aware(datetime.datetime(2024, 5, 6, 10)))
    page = text(client.get(reverse("disclosure:column", args=("3-12",))))
    assert '<nav class="breadcrumbs" aria-label="当前位置">' in page
    assert "法定主动公开内容</a>" in page and '<li aria-current="page">重大民生信息</li>' in page
    assert "下级栏目" in page and "（1） 扶贫信息</a>" in page
    assert "最近更新：<time" in page and "2024-05-06" in page
    leaf = text(client.get(reverse("disclosure:column", args=("3-12-1",))))
    assert "区农业农村局</a>" in leaf  # the responsible unit from the breakdown table


def test_empty_column_says_so_honestly(client, seed):
    page = text(client.get(reverse("disclosure:column", args=("3-9",))))
    assert "暂无信息" in page and "尚无信息" in page


def test_column_filters_by_year_and_unit(client, seed):
    publish("3-12-4", "区人力资源和社会保障局", title="社保2023", published_at=timezone.make_aware(datetime.datetime(2023, 3, 1)))
    publish("3-12-4", "区医疗保障局", title="医保2024", published_at=timezone.make_aware(datetime.datetime(2024, 3, 1)))
    url = reverse("disclosure:column", args=("3-12-4",))
    by_year = text(client.get(url, {"year": 2023}))
    assert "社保2023" in by_year and "医保2024" not in by_year
    assert '<a href="?year=2024">2024年</a>' in by_year  # year links make every year one click away
    by_unit = text(client.get(url, {"unit": unit("区医疗保障局").pk}))
    assert "医保2024" in by_unit and "社保2023" not in by_unit


def test_column_filters_kept_for_unfiltered_pages_never_show_a_visitors_choice(client, seed):
    publish("3-12-4", "区医疗保障局", title="医保2024", published_at=timezone.make_aware(datetime.datetime(2024, 3, 1)))
    url = reverse("disclosure:column", args=("3-12-4",))
    chosen = unit("区医疗保障局").pk
    for params in ({}, {"year": 2024, "unit": chosen}, {"page": 1}, {"year": "abc"}, {}):
        page = text(client.get(url, params))
        filtered = bool(params.get("year") or params.get("unit"))
        assert ('<a href="?year=2024" aria-current="true">' in page) is (params.get("year") == 2024)
        assert (f'<option value="{chosen}" selected>' in page) is bool(params.get("unit"))
        assert ('<a href="/columns/3-12-4/" aria-current="true">全部年份</a>' in page) is not filtered


def test_document_library_form_kept_for_unfiltered_pages_never_shows_a_visitors_choice(client, seed):
    url = reverse("disclosure:documents")
    for params in ({}, {"validity": "repealed"}, {"page": 1}, {"year": "abc"}, {}):
        page = client.get(url, params).content.decode()
        assert ('<option value="repealed" selected>' in page) is (params.get("validity") == "repealed")
        assert ('class="errorlist"' in page) is (params.get("year") == "abc")


def test_column_pagination_links_every_page_and_keeps_the_filters(client, seed):
    for number in range(45):
        publish("3-12-1", title=f"扶贫第{number}号", published_at=timezone.make_aware(datetime.datetime(2022, 1, 1 + number % 28)))
    page = text(client.get(reverse("disclosure:column", args=("3-12-1",)), {"year": 2022, "page": 2}))
    assert '<span aria-current="page">2</span>' in page
    assert 'href="?year=2022&amp;page=3"' in page
    assert "共 45 条" in page


def test_unknown_column_is_a_404_in_the_sites_layout(client, seed):
    response = client.get("/columns/no-such-column/")
    assert response.status_code == 404
    assert "页面不存在" in text(response) and 'lang="zh-CN"' in text(response)


def test_item_page_shows_metadata_in_the_statutory_order(client, seed):
    item = publish(
        "3-1", "区司法局", title="芙蓉区行政规范性文件管理办法", doc_number="芙司发〔2024〕3号",
        written_on=datetime.date(2024, 2, 20), published_at=timezone.make_aware(datetime.datetime(2024, 3, 1, 9)),
        is_normative=True, validity=Item.Validity.VALID, validity_since=datetime.date(2024, 3, 1),
        body="<p>第一条 为规范管理……</p>", keywords="规范性文件",
    )  # fmt: skip
    page = text(client.get(item.get_absolute_url()))
    order = ["索引号", "主题分类", "发布机构", "成文日期", "文号", "发布日期", "有效性"]
    positions = [page.index(f'<th scope="row">{label}</th>') for label in order]
    assert positions == sorted(positions)
    for value in (item.index_number, "区司法局", "2024-02-20", "芙司发〔2024〕3号", "2024-03-01", "有效", "第一条 为规范管理"):
        assert value in page
    assert page.count("<h1") == 1


def test_item_metadata_escapes_every_text_and_marks_what_is_missing(client, seed):
    item = publish(title="无文号的通知", doc_number="", written_on=None, keywords='<script>"关键词"</script>')
    page = text(client.get(item.get_absolute_url()))
    assert '<th scope="row">文号</th><td>—</td>' in page and '<th scope="row">成文日期</th><td>—</td>' in page
    assert "&lt;script&gt;&quot;关键词&quot;&lt;/script&gt;" in page and "<script>" not in page
    assert '<th scope="row">公开方式</th><td>主动公开</td>' in page
    normative = publish(
        "3-1", "区司法局", title="规范性文件", is_normative=True, validity=Item.Validity.EXPIRED,
        validity_since=datetime.date(2025, 1, 2),
    )  # fmt: skip
    page = text(client.get(normative.get_absolute_url()))
    assert '<span class="badge badge-expired">失效</span> <span class="muted">（自 2025-01-02）</span>' in page


def test_repealed_document_stays_readable_marked_and_links_its_successor(client, seed):
    successor = publish("3-1", "区司法局", title="新办法", is_normative=True, validity=Item.Validity.VALID)
    old = publish(
        "3-1", "区司法局", title="旧办法", is_normative=True, validity=Item.Validity.REPEALED,
        validity_since=datetime.date(2025, 1, 1), successor=successor,
    )  # fmt: skip
    page = text(client.get(old.get_absolute_url()))
    assert "本文件已废止" in page and "2025年1月1日" in page
    assert f'<a href="{successor.get_absolute_url()}">新办法</a>' in page
    assert "旧办法" in text(client.get(successor.get_absolute_url()))  # 本文件替代的文件


def test_interpretation_and_document_link_to_each_other(client, seed):
    document = publish("3-1", "区司法局", title="芙蓉区法治建设实施意见", is_normative=True, validity=Item.Validity.VALID)
    interpretation = publish("3-1", "区司法局", title="《芙蓉区法治建设实施意见》政策解读", interprets=document)
    assert interpretation.get_absolute_url() in text(client.get(document.get_absolute_url()))
    assert document.get_absolute_url() in text(client.get(interpretation.get_absolute_url()))


def test_unpublished_interpretation_is_not_linked_from_the_document(client, seed):
    document = publish("3-1", "区司法局", title="文件", is_normative=True, validity=Item.Validity.VALID)
    draft = publish("3-1", "区司法局", title="未发布的解读", interprets=document, state=Item.State.DRAFT,
                    published_at=None, index_number=None)  # fmt: skip
    assert draft.title not in text(client.get(document.get_absolute_url()))


def test_withdrawn_item_answers_410_with_reason_and_date(client, seed):
    item = publish(
        title="撤回的通知", state=Item.State.WITHDRAWN, withdrawn_reason="内容有误，已更正后重新发布。",
        withdrawn_at=timezone.make_aware(datetime.datetime(2025, 6, 1, 10)), body="<p>不应再显示的正文</p>",
    )  # fmt: skip
    response = client.get(item.get_absolute_url())
    page = text(response)
    assert response.status_code == 410
    assert "该信息已撤回" in page and "内容有误，已更正后重新发布。" in page and "2025年6月1日" in page
    assert "不应再显示的正文" not in page


def test_draft_and_scheduled_items_are_not_public(client, seed):
    draft = publish(state=Item.State.DRAFT, published_at=None, index_number=None)
    scheduled = publish(published_at=timezone.now() + DAY)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_scheduled_item_appears_once_its_time_has_come(client, seed):
    item = publish(title="定时发布的通知", published_at=timezone.now() + datetime.timedelta(seconds=1))
    assert "定时发布的通知" not in text(client.get("/"))
    # Its time brought forward rather than the clock: a write outside the services, which
    # renew the page cache's generation themselves (the clock's own way is in test_pagecache).
    Item.objects.filter(pk=item.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    generation_renew()
    assert "定时发布的通知" in text(client.get("/"))


def test_attachment_is_listed_with_size_and_type_and_downloads_under_its_name(client, seed):
    item = publish(title="带附件的通知")
    attachment = attach(item, "docx", name="申报表.docx")
    page = text(client.get(item.get_absolute_url()))
    assert "申报表.docx" in page and "Word 文档" in page and "wordprocessingml" not in page
    assert f"{attachment.size} B" in page or " KB" in page
    response = client.get(reverse("disclosure:attachment", args=(attachment.pk,)))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and "%E7%94%B3%E6%8A%A5%E8%A1%A8.docx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_attachment_of_an_unpublished_item_is_not_served(client, seed):
    attachment = attach(publish(state=Item.State.DRAFT, published_at=None, index_number=None))
    assert client.get(reverse("disclosure:attachment", args=(attachment.pk,))).status_code == 404


def test_document_library_lists_normative_documents_with_status_and_filters(client, seed):
    publish("3-1", "区司法局", title="有效的办法", doc_number="芙司发〔2023〕1号", is_normative=True, validity="valid",
            published_at=timezone.make_aware(datetime.datetime(2023, 5, 1)))  # fmt: skip
    publish("3-7", "区财政局", title="废止的办法", doc_number="芙财发〔2019〕7号", is_normative=True, validity="repealed",
            published_at=timezone.make_aware(datetime.datetime(2019, 5, 1)))  # fmt: skip
    publish(title="普通通知")
    url = reverse("disclosure:documents")
    page = text(client.get(url))
    assert "有效的办法" in page and "废止的办法" in page and "普通通知" not in page
    assert '<span class="badge badge-repealed">废止</span>' in page
    assert '<th scope="col">有效性</th>' in page
    assert "废止的办法" not in text(client.get(url, {"validity": "valid"}))
    assert "有效的办法" not in text(client.get(url, {"year": 2019}))
    assert "有效的办法" not in text(client.get(url, {"unit": unit("区财政局").pk}))
    by_number = text(client.get(url, {"doc_number": "芙财发〔2019〕"}))
    assert "废止的办法" in by_number and "有效的办法" not in by_number


def test_search_filters_by_keyword_column_subtree_unit_dates_theme_and_status(client, seed):
    publish("3-12-1", title="扶贫资金公示", theme="civil", published_at=timezone.make_aware(datetime.datetime(2021, 4, 1)))
    publish("3-7", "区财政局", title="扶贫专项预算", theme="finance", is_normative=True, validity="expired",
            published_at=timezone.make_aware(datetime.datetime(2022, 4, 1)))  # fmt: skip
    url = reverse("disclosure:search")

    def found(**params):
        page = strip_tags(text(client.get(url, params)))  # search terms are highlighted with <mark>
        return {title for title in ("扶贫资金公示", "扶贫专项预算") if title in page}

    assert found(q="扶贫") == {"扶贫资金公示", "扶贫专项预算"}
    assert found(q="扶贫", column=column("3-12").pk) == {"扶贫资金公示"}
    assert found(q="扶贫", unit=unit("区财政局").pk) == {"扶贫专项预算"}
    assert found(q="扶贫", start="2022-01-01") == {"扶贫专项预算"}
    assert found(q="扶贫", end="2021-04-01") == {"扶贫资金公示"}
    assert found(q="扶贫", theme="civil") == {"扶贫资金公示"}
    assert found(q="扶贫", validity="expired") == {"扶贫专项预算"}
    assert found(q="扶贫", validity="normative") == {"扶贫专项预算"}


def test_search_results_show_metadata_and_column_path(client, seed):
    item = publish("3-12-1", title="扶贫资金公示", doc_number="芙农发〔2021〕2号")
    page = text(client.get(reverse("disclosure:search"), {"q": "扶贫"}))
    assert item.index_number in page and "芙农发〔2021〕2号" in page and "区农业农村局" in page
    assert "法定主动公开内容</a> › <a" in page and "扶贫信息</a>" in page


def test_search_sorts_by_date_on_request(client, seed):
    publish(title="扶贫扶贫扶贫扶贫", published_at=timezone.now() - 5 * DAY)
    publish(title="今年扶贫", published_at=timezone.now() - DAY)
    url = reverse("disclosure:search")
    by_relevance = strip_tags(text(client.get(url, {"q": "扶贫"})))
    by_date = strip_tags(text(client.get(url, {"q": "扶贫", "sort": "date"})))
    assert by_relevance.index("扶贫扶贫扶贫扶贫") < by_relevance.index("今年扶贫")
    assert by_date.index("今年扶贫") < by_date.index("扶贫扶贫扶贫扶贫")


def test_invalid_search_shows_the_error_and_no_results(client, seed):
    publish(title="扶贫资金公示")
    page = text(client.get(reverse("disclosure:search"), {"q": "扶贫", "start": "not-a-date"}))
    assert "检索条件有误" in page and "扶贫资金公示" not in page


def test_public_pages_may_be_cached_if_revalidated_and_vary_by_cookie(client, seed):
    item = publish()
    for url in ("/", reverse("disclosure:column", args=("3",)), item.get_absolute_url(), reverse("disclosure:search")):
        response = client.get(url)
        assert "public" in response["Cache-Control"] and "must-revalidate" in response["Cache-Control"]
        assert "Cookie" in response["Vary"] and "Accept-Language" not in response["Vary"]
        assert "csrfmiddlewaretoken" not in text(response)


def test_a_browser_asking_for_english_gets_the_same_chinese_page(client, seed):
    english = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert 'lang="zh-CN"' in text(english) and text(english) == text(client.get("/"))
    assert "Accept-Language" not in english["Vary"]
    assert "用户名" in text(client.get("/admin/login/", headers={"Accept-Language": "en-US,en;q=0.9"}))


def test_pages_for_a_visitor_with_a_session_are_only_privately_cacheable(client, seed):
    client.cookies["sessionid"] = "anything"
    assert "private" in client.get("/")["Cache-Control"]


def test_item_page_answers_not_modified_to_a_conditional_request(client, seed):
    item = publish()
    first = client.get(item.get_absolute_url())
    again = client.get(item.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_elder_mode_is_a_cookie_set_by_a_plain_link_and_rendered_as_a_body_class(client, seed):
    response = client.get(reverse("disclosure:elder-mode"), {"on": "1", "next": "/documents/?year=2020"})
    assert response.status_code == 302 and response["Location"] == "/documents/?year=2020"
    assert "no-store" in response["Cache-Control"]
    page = text(client.get("/"))
    assert '<body class="elder-mode ' in page and "退出长者模式" in page
    client.get(reverse("disclosure:elder-mode"), {"on": "0", "next": "/"})
    assert '<body class="elder-mode' not in text(client.get("/"))


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_elder_mode_never_redirects_off_site(client, seed, target):
    response = client.get(reverse("disclosure:elder-mode"), {"on": "1", "next": target})
    assert response["Location"] == "/"


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, seed):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text(response) and "Sitemap: http://testserver/sitemap.xml" in text(response)


@override_settings(DEBUG=False)
def test_server_error_page_is_in_chinese_in_the_sites_layout(seed):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "服务暂时不可用" in page and 'lang="zh-CN"' in page and "跳到主要内容" in page


def test_item_page_is_modified_when_an_interpretation_is_published(client, seed):
    document = publish("3-1", "区司法局", title="文件", is_normative=True, validity=Item.Validity.VALID)
    first = client.get(document.get_absolute_url())
    later = timezone.now() + datetime.timedelta(seconds=5)
    interpretation = publish("3-1", "区司法局", title="解读", interprets=document)
    Item.objects.filter(pk=interpretation.pk).update(updated_at=later)
    again = client.get(document.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200 and "解读" in text(again)


def test_filter_selects_render_like_djangos_own(seed):
    from django import forms

    from disclosure.filters import ItemSearchFilter, Select

    choices = (("", "全部"), ("a", "甲 & 乙"), ("b", "<b>"))
    ours = Select(choices=choices).render("theme", "a", {"id": "id_theme"})
    djangos = forms.Select(choices=choices).render("theme", "a", {"id": "id_theme"})
    assert ours == "".join(line.strip() for line in djangos.splitlines())
    form = ItemSearchFilter({"unit": "x"}, queryset=Item.objects.all()).form
    assert '<select name="unit" aria-describedby="id_unit_error" aria-invalid="true" id="id_unit">' in str(form["unit"])


@pytest.mark.parametrize("query", ["start=0001-01-01", "end=9999-12-31", "start=9999-12-31&end=0001-01-01"])
def test_search_with_dates_at_the_ends_of_the_calendar_answers_normally(client, seed, query):
    assert client.get(reverse("disclosure:search") + "?" + query).status_code == 200
