"""CJK bigram search: tokens, queries, the write path keeping the index in step, and
EXPLAIN proving that a two-character query is answered from the index."""

import datetime
import io
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure.models import Item
from disclosure.search import SearchQuery, search_index_rebuild, search_index_update, search_text_from, tokenize
from tests.disclosure.public_data import publish

pytestmark = pytest.mark.django_db


def titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


def test_tokenize_cuts_han_runs_into_bigrams_and_keeps_latin_words():
    assert tokenize("扶贫信息 2020年ＡＢ") == ["扶贫", "贫信", "信息", "2020", "年", "ab"]


def test_search_text_strips_html_and_appends_each_han_character_once():
    assert search_text_from("<p>扶贫&amp;预算</p>", "扶") == "扶贫 预算 扶 扶 贫 预 算"


def test_query_of_several_han_characters_is_a_phrase_of_bigrams():
    query = SearchQuery.parse("扶贫信息 2020")
    assert query.as_tsquery() == "('扶贫' <-> '贫信' <-> '信息') & ('2020')"
    assert query.as_fts5() == '"扶贫 贫信 信息" AND "2020"'


def test_query_without_letters_or_han_characters_is_empty():
    assert not SearchQuery.parse("〔〕/ - ！")


def test_two_character_query_finds_title_and_body(seed):
    publish(title="关于做好扶贫资金管理的通知")
    publish(title="年度工作安排", body="<p>本年度继续推进<strong>扶贫</strong>工作。</p>")
    publish(title="关于部门预算公开的通知")
    assert titles(Item.objects.published().search("扶贫")) == ["关于做好扶贫资金管理的通知", "年度工作安排"]


def test_one_character_query_matches_any_text_with_that_character(seed):
    publish(title="芙蓉区教育信息")
    publish(title="芙蓉区统计公报")
    assert titles(Item.objects.search("教")) == ["芙蓉区教育信息"]


def test_phrase_does_not_match_the_same_bigrams_far_apart(seed):
    publish(title="扶贫信息公开")
    publish(title="扶贫工作与贫困地区信息化")
    assert titles(Item.objects.search("扶贫信息")) == ["扶贫信息公开"]


def test_every_word_of_the_query_must_match(seed):
    publish(title="扶贫资金预算")
    publish(title="扶贫工作")
    assert titles(Item.objects.search("预算 扶贫")) == ["扶贫资金预算"]


def test_doc_number_and_index_number_are_searchable_with_full_width_variants(seed):
    publish(title="甲", doc_number="芙政办发〔2020〕13号", index_number="FR0000003/2020-00042")
    publish(title="乙", doc_number="芙政办发〔2021〕13号", index_number="FR0000003/2021-00042")
    assert titles(Item.objects.search("芙政办发〔2020〕13号")) == ["甲"]
    assert titles(Item.objects.search("ＦＲ0000003/2020-00042")) == ["甲"]


def test_latin_words_match_case_insensitively(seed):
    publish(title="芙蓉区 PPP 项目库")
    assert titles(Item.objects.search("ppp")) == ["芙蓉区 PPP 项目库"]


def test_update_through_the_write_path_moves_the_item_in_the_index(seed):
    item = publish(title="关于防汛工作的通知")
    item.title = "关于抗旱工作的通知"
    item.save()
    search_index_update([item])
    assert not Item.objects.search("防汛").exists()
    assert Item.objects.search("抗旱").get() == item


def test_rebuild_recomputes_every_items_search_text(seed):
    item = publish(title="关于垃圾分类的通知")
    Item.objects.filter(pk=item.pk).update(search_text="")
    assert search_index_rebuild() == Item.objects.count()
    assert Item.objects.search("垃圾").get() == item


def test_relevance_puts_the_item_with_more_occurrences_first(seed):
    older = publish(title="扶贫扶贫扶贫：扶贫资金", published_at=timezone.now() - datetime.timedelta(days=9))
    newer = publish(title="今年的扶贫", body="<p>其他内容</p>")
    assert list(Item.objects.published().search("扶贫").by_relevance("扶贫")) == [older, newer]


def test_a_ranked_search_checks_its_conditions_among_the_candidates_only(seed):
    """The ranked statement looks its candidates up by key, without checking the keywords,
    the column and the dates on each again: the candidates met them."""
    from tests.disclosure.public_data import column

    best = publish(title="扶贫资金：扶贫资金的使用")
    other = publish(title="扶贫资金管理办法", published_at=timezone.now() - datetime.timedelta(hours=2))
    publish("3-1", title="扶贫资金扶贫资金扶贫资金")  # another column
    publish(title="扶贫工作和资金")  # not the phrase
    publish(title="扶贫资金扶贫资金扶贫资金", published_at=timezone.now() + datetime.timedelta(days=1))  # scheduled
    matches = Item.objects.published().in_column_tree(column("3-12")).search("扶贫资金")
    ranked = matches.by_relevance("扶贫资金")
    assert list(ranked) == [best, other]
    outer = str(ranked.query).split(" IN (", 1)[0]
    assert re.search(r' WHERE \(?"disclosure_item"\."id"$', outer), outer
    # A condition through a join stays with it: the join alone could repeat or add rows.
    joined = Item.objects.published().filter(column__parent__slug="3-12").search("扶贫资金").by_relevance("扶贫资金")
    assert list(joined) == [best, other]
    assert "responsibility_column" in str(joined.query).split(" IN (", 1)[0]


def _bulk_items(count: int, rare_every: int) -> None:
    """Enough rows for the planner to prefer an index, a few of them with the rare word."""
    from disclosure.search import fts_replace
    from responsibility.models import Column, Unit

    column, unit = Column.objects.get(slug="3-7"), Unit.objects.get(name="区财政局")
    now = timezone.now()
    items = [
        Item(
            column=column, unit=unit, state=Item.State.PUBLISHED, published_at=now - datetime.timedelta(minutes=n),
            index_number=f"EXPLAIN/{n:06d}",
            title=f"关于{'扶贫资金' if n % rare_every == 0 else '部门决算'}公开的通知第{n}号",
            body="<p>为进一步做好财政资金管理工作，现将有关事项通知如下。</p>" * 3,
        )  # fmt: skip
        for n in range(count)
    ]
    for item in items:
        item.search_text = search_text_from(item.title, item.body)
    Item.objects.bulk_create(items, batch_size=1000)
    fts_replace((item.pk, item.search_text) for item in items)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector GIN index exists on PostgreSQL")
def test_postgresql_answers_a_two_character_query_from_the_gin_index(seed):
    _bulk_items(3000, rare_every=300)
    with connection.cursor() as cursor:
        # What autovacuum does in production: merge GIN's pending list, refresh statistics.
        cursor.execute("SELECT gin_clean_pending_list('item_search_vector')")
        cursor.execute("ANALYZE disclosure_item")
    queryset = Item.objects.published().search("扶贫").order_by("-published_at")
    plan = queryset.explain()
    assert "item_search_vector" in plan, plan
    assert "Seq Scan on disclosure_item" not in plan, plan
    assert queryset.count() == 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsquery is PostgreSQL's")
def test_a_search_statement_names_its_tokens_for_the_planner(db):
    """Not a bound parameter: a prepared statement's generic plan would not see them."""
    sql, params = Item.objects.search("扶贫 o'k").by_relevance("扶贫 o'k").query.sql_with_params()
    assert "@@ '(''扶贫'') & (''o'') & (''k'')'::tsquery" in sql
    assert not any("扶贫" in str(param) for param in params)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg prepares statements on PostgreSQL")
def test_a_search_repeated_on_one_connection_is_planned_each_time(client, seed):
    """Never prepared, so never a generic plan blind to its dates, columns and unit."""
    from django.urls import reverse

    publish(title="扶贫资金的通知")
    for number in range(12):  # distinct addresses (the page cache), the same statements
        response = client.get(reverse("disclosure:search"), {"q": "扶贫", "start": "2020-01-01", "n": number})
        assert response.status_code == 200
    with connection.cursor() as cursor:
        for _ in range(6):  # any other statement is prepared on this connection
            cursor.execute("SELECT count(*) FROM disclosure_item WHERE id > %s", (number,))
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("WHERE id >" in statement for statement in prepared), prepared
    assert not any("search_vector" in statement for statement in prepared), prepared


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector column exists on PostgreSQL")
def test_postgresql_keeps_an_items_vector_in_its_row(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'disclosure_item'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == "m"  # MAIN: out of line only if the row cannot fit in a page


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table exists on SQLite")
def test_sqlite_answers_a_two_character_query_from_the_fts5_index(seed):
    _bulk_items(600, rare_every=60)
    queryset = Item.objects.published().search("扶贫")
    plan = queryset.explain()
    assert "disclosure_item_fts VIRTUAL TABLE INDEX" in plan, plan
    assert queryset.count() == 10


def test_inline_markup_inside_a_word_does_not_split_it():
    assert search_text_from('<p>扶<b class="x">贫</b></p><p>资金</p>').split()[:2] == ["扶贫", "资金"]


def test_single_character_queries_are_ordered_by_date(seed):
    older = publish(title="区区区区", published_at=timezone.now() - datetime.timedelta(days=9))
    newer = publish(title="本区")
    assert not SearchQuery.parse("区").rankable and SearchQuery.parse("区 ab").rankable
    assert list(Item.objects.search("区").by_relevance("区")) == [newer, older]


def test_rebuild_command_reindexes_items(seed):
    from django.core.management import call_command

    item = publish(title="关于河长制的通知")
    Item.objects.filter(pk=item.pk).update(search_text="")
    call_command("rebuild_search_index", verbosity=0)
    assert Item.objects.search("河长").get() == item


def _full_scan(plan: str) -> bool:
    if connection.vendor == "postgresql":
        return "Seq Scan on disclosure_item" in plan
    # SQLite: "SCAN t" reads the whole table; "SCAN t USING INDEX i" walks an index in order.
    return any(
        "SCAN disclosure_item" in line and "USING" not in line and "VIRTUAL TABLE INDEX" not in line
        for line in plan.splitlines()
    )


SHAPES = {
    "one character, by date": {"q": "扶"},
    "two characters, by relevance": {"q": "扶贫"},
    "several words": {"q": "扶贫 资金"},
    "two characters, by date": {"q": "扶贫", "sort": "date"},
    "filtered by column and dates": {"q": "扶贫", "column": "COLUMN", "start": "2020-01-01", "end": "2030-12-31"},
    "filtered by column": {"q": "扶贫", "column": "COLUMN"},
    "filtered by unit, by date": {"q": "扶", "unit": "UNIT", "sort": "date"},
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_search_shape_and_its_bounded_count_use_an_index(seed, shape):
    from disclosure.filters import ItemSearchFilter
    from disclosure.views import BoundedPaginator
    from responsibility.models import Column, Unit

    _bulk_items(3000 if connection.vendor == "postgresql" else 600, rare_every=60)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT gin_clean_pending_list('item_search_vector')")
        cursor.execute("ANALYZE disclosure_item" if connection.vendor == "postgresql" else "ANALYZE")
    placeholders = {"COLUMN": str(Column.objects.get(slug="3").pk), "UNIT": str(Unit.objects.get(name="区财政局").pk)}
    params = {key: placeholders.get(value, value) for key, value in SHAPES[shape].items()}
    filterset = ItemSearchFilter(params, queryset=Item.objects.published().for_listing())
    assert filterset.is_valid(), filterset.errors
    page = BoundedPaginator(filterset.qs, 20).page(1).object_list
    count = filterset.matches.order_by().values("pk")[:10_001]
    for queryset in (page, count):
        plan = queryset.explain()
        assert not _full_scan(plan), plan
        # The match is about the sub-select's own row, never a correlated sub-plan.
        assert "SubPlan" not in plan and "CORRELATED" not in plan, plan
    assert list(page)
    # Where the term counts cannot count a ranked search, one read gives its count and
    # candidates (PostgreSQL), and its page looks the candidates up by key.
    with CaptureQueriesContext(connection) as reads:
        _, newest = filterset.matches.counted_with_newest(10_000, 1_000)
    explain = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for read in reads:
        with connection.cursor() as cursor:
            cursor.execute(explain + read["sql"])
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        assert not _full_scan(plan), plan
    if newest is not None and SearchQuery.parse(params["q"]).rankable:
        plan = filterset.matches.by_relevance(params["q"], candidates=newest)[:20].explain()
        assert not _full_scan(plan) and "disclosure_item_pkey" in plan, plan
    # The count from the term counts (one token, or several common ones, narrowed by column
    # and unit at most): the term table by its key, the scheduled matches through the date index.
    with CaptureQueriesContext(connection) as queries:
        known = filterset.match_count(10_000)
    counted = set(SHAPES[shape]) <= {"q", "sort", "column", "unit", "start", "end"} and " " not in SHAPES[shape]["q"]
    if connection.vendor == "postgresql" and counted:
        assert known == count.count()
    # Dates are counted per quarter (the whole quarters), the rest per column and unit.
    term_table = "disclosure_search_term_period_pkey" if "start" in SHAPES[shape] else "disclosure_search_term_pkey"
    for query in queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Seq Scan" not in plan and term_table in plan, plan
        assert re.search(r"Index Cond: \(+published_at >", plan) or "item_state_published" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the date window of the ranking is for PostgreSQL")
def test_the_ranking_candidates_of_a_date_window_come_from_the_gin_index(seed, monkeypatch):
    from disclosure import search

    monkeypatch.setattr(search, "RANK_CANDIDATES", 5)
    _bulk_items(3000, rare_every=60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('item_search_vector')")
        cursor.execute("SELECT gin_clean_pending_list('item_search_vector_recent')")
        cursor.execute("ANALYZE disclosure_item")
    window = search.rank_window(SearchQuery.parse("扶贫"), timezone.now())  # 50 matches in 3,000
    assert window is not None
    candidates = search.newest_matches(Item.objects.published().search("扶贫"), window, 5)
    statement = candidates.params[0]  # what disclosure_item_ids_by_bitmaps runs, as it runs it
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + statement)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The window's matches from the index over recent items (migration 0017).
    assert "Bitmap Index Scan on item_search_vector_recent" in plan and "Seq Scan" not in plan, plan
    assert Item.objects.filter(pk__in=candidates).count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index over recent items exists on PostgreSQL")
def test_the_index_over_recent_items_is_rolled_to_the_start_of_last_year_once(db):
    from django.core.management import call_command

    from disclosure import search

    def local(*args):
        return timezone.make_aware(datetime.datetime(*args))

    assert search.recent_search_index_bound() == local(timezone.localdate().year - 1, 1, 1)  # as migrated
    assert search.recent_search_index_roll(local(2031, 1, 5)) is True
    assert search.recent_search_index_bound() == local(2030, 1, 1)
    with CaptureQueriesContext(connection) as queries:
        assert search.recent_search_index_roll(local(2031, 12, 31, 23)) is False  # the same year: nothing to do
    assert len(queries) == 1
    call_command("roll_recent_search_index", stdout=io.StringIO())  # back to this year's bound
    assert search.recent_search_index_bound() == local(timezone.localdate().year - 1, 1, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 'item_search_vector_recent'::regclass")
        assert cursor.fetchone() == (True,)
