"""The pages a Chinese government portal must have (国办发〔2017〕47号): footer, 网站地图,
联系我们, 受理机关 contacts; the 文件库's 索引号 and 解读 mark; search snippets."""

import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from responsibility.directory import directory
from responsibility.models import Unit
from tests.disclosure.public_data import attach, publish

pytestmark = pytest.mark.django_db


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


IDENTITY = {
    **settings.SITE_IDENTITY,
    "site_code": "4301020001",
    "icp_number": "湘ICP备05000000号",
    "psb_number": "湘公网安备 43010202000123号",
    "psb_code": "43010202000123",
    "conac_url": "https://example.org/conac?id=1",
    "phone": "0731-84000000",
    "error_report_url": "https://zfwzzc.example/check?siteCode=4301020001",
}


def test_footer_shows_the_identity_numbers_and_required_entries(client, seed):
    with override_settings(SITE_IDENTITY=IDENTITY):
        html = page(client, "/")
    footer = html[html.index("<footer") :]
    for text in ("网站标识码：4301020001", "湘ICP备05000000号", "湘公网安备 43010202000123号", "党政机关网站",
                 "我为政府网站找错", "网站地图", "联系我们", "0731-84000000"):  # fmt: skip
        assert text in footer
    assert "recordcode=43010202000123" in footer and "siteCode=4301020001" in footer


def test_footer_leaves_out_numbers_not_configured(client, seed):
    footer = page(client, "/").split("<footer", 1)[1]
    assert "网站标识码" not in footer and "ICP" not in footer and "党政机关网站" not in footer
    assert "网站地图" in footer and "联系我们" in footer


def test_site_map_lists_every_column_and_the_main_pages(client, seed):
    from responsibility.models import Column

    html = page(client, reverse("disclosure:site-map"))
    for column in Column.objects.all():
        assert f'href="{column.get_absolute_url()}"' in html
    for name in (
        "disclosure:documents",
        "requests:apply",
        "requests:procedure",
        "tasks:work-points",
        "disclosure:contact",
    ):
        assert f'href="{reverse(name)}"' in html


def test_contact_page_and_procedure_show_each_units_address_phone_and_hours(client, seed):
    Unit.objects.filter(name="区财政局").update(
        address="芙蓉区XX路1号", postcode="410011", phone="0731-84111111", office_hours="工作日 9:00—17:00"
    )
    with override_settings(SITE_IDENTITY=IDENTITY):
        contact = page(client, reverse("disclosure:contact"))
        procedure = page(client, reverse("requests:procedure"))
    for html in (contact, procedure):
        assert (
            "区财政局" in html and "芙蓉区XX路1号" in html and "0731-84111111" in html and "工作日 9:00—17:00" in html
        )
        assert "0731-84000000" in html  # the disclosure office
    assert "区教育局" not in contact  # no contact entered: not listed with empty cells


def test_requests_column_and_guide_lead_to_the_online_form(client, seed):
    from responsibility.models import Column

    requests_column = Column.objects.get(parent=None, number="五")
    for slug in (requests_column.slug, "1"):
        html = page(client, reverse("disclosure:column", args=(slug,)))
        assert f'href="{reverse("requests:apply")}"' in html and "受理机关" in html
    assert f'href="{reverse("requests:apply")}"' not in page(client, reverse("disclosure:column", args=("3-7",)))


def test_document_library_shows_index_number_and_interpretation_mark(client, seed):
    interpreted = publish("3-1", "区司法局", title="有解读的办法", is_normative=True, validity="valid")
    publish("3-1", "区司法局", title="对办法的解读", interprets=interpreted)
    plain = publish("3-1", "区司法局", title="没有解读的办法", is_normative=True, validity="valid")
    html = page(client, reverse("disclosure:documents"))
    assert interpreted.index_number in html and plain.index_number in html
    rows = {
        title: row
        for row in html.split("<tr>")
        for title in ("有解读的办法", "没有解读的办法")
        if f">{title}</a>" in row
    }
    assert "badge-interpretation" in rows["有解读的办法"] and "badge-interpretation" not in rows["没有解读的办法"]


def test_document_library_queries_do_not_grow_with_interpretations(client, seed, django_assert_max_num_queries):
    for number in range(15):
        document = publish("3-1", "区司法局", title=f"办法{number}", is_normative=True, validity="valid")
        publish("3-1", "区司法局", title=f"解读{number}", interprets=document)
    directory()  # read once per generation, not per page
    with django_assert_max_num_queries(2):  # the count, the rows
        client.get(reverse("disclosure:documents"))


def test_search_highlights_terms_and_shows_a_snippet(client, seed):
    publish(title="扶贫资金公示", body="<p>" + "说明" * 80 + "</p><p>本年度扶贫专项资金已全部拨付。</p>")
    html = page(client, reverse("disclosure:search"), q="扶贫")
    assert "<mark>扶贫</mark>资金公示" in html
    snippet = re.search(r'<span class="item-snippet">(.*?)</span>', html).group(1)
    assert snippet.startswith("…") and "本年度<mark>扶贫</mark>专项资金已全部拨付" in snippet


def test_attachments_show_kind_and_human_size(client, seed):
    item = publish(title="带附件的通知")
    attach(item, "xlsx", name="预算表.xlsx")
    html = page(client, item.get_absolute_url())
    assert re.search(r"（Excel 表格，[\d.]+ (B|KB)）", html)
    assert "spreadsheetml" not in html


def test_time_elements_carry_dates_the_html_checker_accepts(client, seed):
    item = publish(title="带日期的通知")
    for url in ("/", reverse("disclosure:column", args=("3-12-1",)), item.get_absolute_url()):
        values = re.findall(r'<time datetime="([^"]*)"', page(client, url))
        assert values and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) for value in values)


def test_list_rows_escape_what_staff_typed(client, seed):
    publish(title='<script>alert("x")</script>通知', doc_number="芙政发<b>1</b>号", is_normative=True, validity="valid")
    column = reverse("disclosure:column", args=("3-12-1",))
    for url, params in (("/", {}), (column, {}), (reverse("disclosure:search"), {"q": "通知"})):
        html = page(client, url, **params)
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html and "<script" not in html
        if params:  # the search's rows show the metadata too
            assert "芙政发&lt;b&gt;1&lt;/b&gt;号" in html
