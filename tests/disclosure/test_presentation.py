"""What the public reads: sizes, file kinds, HTML dates, highlighted search terms, list rows."""

import datetime

from django.utils import timezone

from disclosure.presentation import excerpt, file_kind, highlight, html_date, human_size, item_rows, pagination


def test_sizes_use_one_unit_system():
    assert human_size(606) == "606 B"
    assert human_size(5017) == "4.9 KB"
    assert human_size(1024) == "1 KB"
    assert human_size(12 * 1024 * 1024 + 1) == "12 MB"
    assert human_size(None) == "—"


def test_file_kinds_are_named_as_people_call_them():
    assert (
        file_kind("申报表.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        == "Word 文档"
    )
    assert file_kind("预算.XLS", "") == "Excel 表格"
    assert file_kind("公告.ofd") == "OFD 版式文档"
    assert file_kind("无扩展名", "image/png") == "图片"
    assert file_kind("未知.xyz", "application/octet-stream") == "文件"


def test_html_dates_have_no_fractions_and_use_local_time():
    moment = datetime.datetime(2020, 5, 31, 17, 30, 0, 123456, tzinfo=datetime.UTC)  # 01:30 on 1 June in 长沙
    assert html_date(moment) == "2020-06-01"
    assert html_date(datetime.date(2020, 5, 31)) == "2020-05-31"
    assert html_date(None) == ""
    assert html_date(timezone.now()).count("-") == 2


def test_highlight_marks_every_term_and_escapes_the_rest():
    assert highlight("关于扶贫<资金>的扶贫通知", "扶贫 通知") == (
        "关于<mark>扶贫</mark>&lt;资金&gt;的<mark>扶贫</mark><mark>通知</mark>"
    )
    assert highlight("Budget 2020", "budget") == "<mark>Budget</mark> 2020"
    assert highlight("<b>x</b>", "") == "&lt;b&gt;x&lt;/b&gt;"


def test_highlight_cannot_be_used_to_inject_markup():
    assert "<script" not in highlight("标题", "<script>alert(1)</script>")


def test_excerpt_is_taken_around_the_first_term():
    body = "<p>" + "前文" * 60 + "</p><p>本区扶贫资金共计一百万元。</p>" + "<p>" + "后文" * 100 + "</p>"
    text = excerpt(body, "扶贫")
    assert text.startswith("…") and text.endswith("…")
    assert "本区扶贫资金共计一百万元" in text and len(text) <= 122


def test_excerpt_without_a_match_is_the_opening():
    assert excerpt("<p>第一段。</p><p>第二段。</p>", "预算") == "第一段。 第二段。"
    assert excerpt("", "预算") == ""


def test_item_rows_show_badges_metadata_and_the_column_path(seed):
    from tests.disclosure.public_data import publish

    document = publish("3-12-1", title="扶贫资金管理办法", doc_number="芙政发〔2020〕1号", is_normative=True, validity="repealed")
    document.pinned = True
    html = item_rows([document], show_meta=True, show_path=True, show_pin=True, query="扶贫")
    assert f'<a href="{document.get_absolute_url()}"><mark>扶贫</mark>资金管理办法</a>' in html
    assert '<span class="badge badge-repealed">废止</span> <span class="badge">置顶</span>' in html
    assert f"区农业农村局 · 芙政发〔2020〕1号 · 索引号 {document.index_number} · 栏目：" in html
    assert html.count("</a> › <a") == 2 and '<a href="/columns/3-12-1/">扶贫信息</a></span>' in html
    assert "item-meta" not in item_rows([document]) and "置顶" not in item_rows([document], show_meta=True)


def test_page_links_keep_the_query_as_djangos_querystring_tag_does():
    from django.core.paginator import Paginator
    from django.template import engines
    from django.test import RequestFactory

    from disclosure.views import BoundedPaginator

    # The markup the {% include %} of the links rendered before they were written in Python.
    template = engines["django"].from_string(
        "{% if page_obj.has_other_pages %}{% for number in page_range %}"
        '{% if number == page_obj.number %}[{{ number }}]{% elif number == page_obj.paginator.ELLIPSIS %}…'
        '{% else %}<a href="{% querystring page=number %}">{% endif %}{% endfor %}{% endif %}'
    )
    paginator = BoundedPaginator(list(range(10_001)), 20, count=lambda limit: 10_001)
    for query in ("", "page=7", "year=2024&page=7", "page=7&unit=3&q=a%26b<>'", "a=1&a=2&page=x&page=y&b="):
        request = RequestFactory().get(f"/columns/3/?{query}")
        page = Paginator.page(paginator, 7)
        page_range = list(paginator.get_elided_page_range(7, on_each_side=3, on_ends=2))
        links = pagination(page, page_range, request.GET)
        expected = template.render({"page_obj": page, "page_range": page_range, "request": request}, request)
        assert expected.count("<a href=") == 11  # 1–6 [7] 8–10 … 499 500
        assert [part.split('"')[1] for part in expected.split("<a href=")[1:]] == [
            part.split('"')[1] for part in links.split("<a href=")[1:] if "aria-label" in part
        ]
        assert "共 10,000+ 条，第 7/500 页（更早的信息" in links and '<span aria-current="page">7</span>' in links
