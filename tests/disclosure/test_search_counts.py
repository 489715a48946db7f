"""Search counts that do not read the matches: the term counts (PostgreSQL) stay exact
through every kind of write, and a ranked search counts its candidates from the total."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosure import search, views
from disclosure.models import Item
from disclosure.search import SearchQuery, search_index_update, search_terms_recount, term_match_count
from tests.disclosure.public_data import column, publish
from tests.disclosure.public_data import unit as public_unit

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the term counts exist on PostgreSQL")

TOKENS = ("扶", "扶贫", "资金", "通知", "的", "2024")


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


# Date ranges [start, end) in local time (UTC+8): whole quarters with a few hours at each
# edge, a range that begins or ends on a quarter's UTC start, open ranges, none at all.
DATE_RANGES = (
    (None, None),
    (local(2024, 1, 1), local(2025, 1, 1)),
    (local(2023, 11, 15), local(2024, 8, 20)),
    (datetime.datetime(2024, 4, 1, tzinfo=datetime.timezone.utc), datetime.datetime(2024, 10, 1, tzinfo=datetime.timezone.utc)),
    (local(2024, 3, 1), None),
    (None, local(2024, 7, 10)),
)


def assert_counts_exact(now=None):
    """Every token's count from the term counts equals the count of the matches read, in
    the whole collection, in a column subtree and for a unit, over several date ranges."""
    from disclosure.models import column_subtree_ids

    now = now or timezone.now()
    subtree, unit = column_subtree_ids(column("3-12").pk), public_unit("区农业农村局").pk
    scopes = ({}, {"columns": subtree}, {"unit": unit}, {"columns": subtree, "unit": unit})
    for token in TOKENS:
        query = SearchQuery.parse(token)
        for scope in scopes:
            for start, end in DATE_RANGES:
                matches = Item.objects.published(now).search(token)
                if "columns" in scope:
                    matches = matches.filter(column__in=scope["columns"])
                if "unit" in scope:
                    matches = matches.filter(unit=scope["unit"])
                if start:
                    matches = matches.filter(published_at__gte=start)
                if end:
                    matches = matches.filter(published_at__lt=end)
                known = term_match_count(query, now, 1000, start=start, end=end, **scope)
                if "unit" in scope and (start or end):
                    assert known is None  # not kept per unit and quarter: counted by reading
                else:
                    assert known == matches.count(), (token, scope, start, end)


def publish_dated(*args, **fields):
    """Items spread over 2023-2025 (a few hours either side of quarters' starts too)."""
    return [
        publish(*args, published_at=moment, **fields)
        for moment in (local(2023, 12, 31, 20), local(2024, 1, 1, 3), local(2024, 5, 5), local(2024, 9, 30, 23),
                       local(2024, 10, 1, 7), local(2025, 2, 1))
    ]  # fmt: skip


@postgresql_only
def test_term_counts_follow_publication_edits_withdrawal_and_deletion(seed):
    first = publish(title="关于扶贫资金的通知", body="<p>2024年的扶贫工作</p>", published_at=local(2024, 2, 1))
    second = publish(title="扶贫通知", published_at=local(2024, 4, 1, 5))
    draft = publish(title="扶贫资金草稿", state=Item.State.DRAFT, published_at=None, index_number=None)
    publish_dated(title="扶贫的通知")
    publish_dated("3-1", "区财政局", title="资金通知")
    assert_counts_exact()
    first.title = "关于教育经费的说明"
    first.save()
    search_index_update([first])
    assert_counts_exact()
    Item.objects.filter(pk=second.pk).update(state=Item.State.WITHDRAWN, withdrawn_reason="错误", withdrawn_at=timezone.now())
    assert_counts_exact()
    Item.objects.filter(pk=draft.pk).update(state=Item.State.PUBLISHED, published_at=timezone.now(), index_number="X/1")
    assert_counts_exact()
    Item.objects.filter(pk=first.pk).update(validity="")  # no change of state or text: no change of counts
    assert_counts_exact()
    Item.objects.filter(pk=first.pk).update(column=column("3-1"))  # out of the subtree
    assert_counts_exact()
    Item.objects.filter(pk=draft.pk).update(unit=public_unit("区财政局"))
    assert_counts_exact()
    Item.objects.filter(pk=second.pk).update(state=Item.State.PUBLISHED, published_at=local(2024, 3, 31, 23))
    assert_counts_exact()
    Item.objects.filter(pk=first.pk).update(published_at=local(2024, 9, 1))  # another quarter, same column
    assert_counts_exact()
    Item.objects.filter(pk=first.pk).update(published_at=local(2024, 9, 2))  # the same quarter
    assert_counts_exact()
    Item.objects.filter(pk=draft.pk).delete()
    assert_counts_exact()


@postgresql_only
def test_term_counts_follow_bulk_writes_and_a_recount_agrees(seed):
    for number in range(6):
        publish(title=f"扶贫通知第{number}号", body="<p>资金的使用</p>" if number % 2 else "",
                published_at=local(2024, 1 + 2 * number, 1))  # fmt: skip
    Item.objects.filter(title__contains="第1号").update(state=Item.State.WITHDRAWN, withdrawn_reason="撤", withdrawn_at=timezone.now())
    items = list(Item.objects.all())
    for item in items:
        item.body = "<p>2024年的通知</p>"
    Item.objects.bulk_update(items, ["body"])
    search_index_update(items)
    assert_counts_exact()
    Item.objects.filter(title__contains="第2号").update(published_at=local(2023, 6, 1))
    assert_counts_exact()
    maintained = term_count_rows()
    assert maintained[1]  # counted per quarter too
    search_terms_recount()
    assert term_count_rows() == maintained


def term_count_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT term, column_id, unit_id, items FROM disclosure_search_term WHERE items <> 0 ORDER BY 1, 2, 3")
        by_pair = cursor.fetchall()
        cursor.execute(
            "SELECT term, period, column_id, items FROM disclosure_search_term_period WHERE items <> 0 ORDER BY 1, 2, 3"
        )
        return by_pair, cursor.fetchall()


@postgresql_only
def test_a_scheduled_publication_is_counted_only_once_it_is_due(seed):
    now = timezone.now()
    publish(title="扶贫通知")
    publish(title="扶贫公告", published_at=now + datetime.timedelta(hours=2))
    publish(title="扶贫公报", published_at=now + datetime.timedelta(days=200))  # a later quarter
    assert term_match_count(SearchQuery.parse("扶贫"), now, 10) == 1
    assert term_match_count(SearchQuery.parse("扶贫"), now + datetime.timedelta(hours=3), 10) == 2
    assert term_match_count(SearchQuery.parse("扶贫"), now + datetime.timedelta(hours=3), 1) == 2  # "1+"
    year_ago, in_a_year = now - datetime.timedelta(days=366), now + datetime.timedelta(days=366)
    assert term_match_count(SearchQuery.parse("扶贫"), now, 10, start=year_ago, end=in_a_year) == 1
    assert term_match_count(SearchQuery.parse("扶贫"), now, 10, start=year_ago) == 1
    assert_counts_exact(now)


@postgresql_only
def test_several_common_tokens_are_proven_more_than_the_limit_or_counted(seed):
    for number in range(8):
        publish(title=f"政府信息公开第{number}号" if number < 7 else "其他事项")
    publish(title="政府信息公开", published_at=timezone.now() + datetime.timedelta(days=1))  # scheduled
    now = timezone.now()
    query = SearchQuery.parse("政府 信息 公开")
    assert Item.objects.published(now).search("政府 信息 公开").count() == 7
    # Nine published items, each token in eight of them (one scheduled): at least
    # 8 + 8 + 8 - 2 * 9 = 6 hold all three, minus the scheduled match: at least 5.
    assert term_match_count(query, now, 4) == 5  # "more than 4"
    assert term_match_count(query, now, 5) is None  # the bound proves no more than 5: counted by reading
    assert term_match_count(SearchQuery.parse("扶贫资金"), now, 3) is None  # a phrase
    # Over dates, from the whole quarters alone (the items are a day old).
    whole = {"start": now - datetime.timedelta(days=400), "end": now + datetime.timedelta(days=400)}
    assert term_match_count(query, now, 4, **whole) == 5
    assert term_match_count(query, now, 5, **whole) is None


def test_counts_from_term_counts_only_for_one_token_narrowed_by_column_and_unit_at_most(seed):
    from disclosure.filters import ItemSearchFilter

    publish(title="扶贫资金的通知")
    publish("3-1", title="扶贫工作")
    expected = 2 if connection.vendor == "postgresql" else None
    in_subtree = 1 if connection.vendor == "postgresql" else None

    def known(params):
        filterset = ItemSearchFilter(params, queryset=Item.objects.published())
        assert filterset.is_valid(), filterset.errors
        return filterset.match_count(100)

    assert known({"q": "扶贫"}) == expected and known({"q": "扶贫", "sort": "date"}) == expected
    assert known({"q": "扶贫 资金"}) is None and known({"q": "扶贫资金"}) is None  # several tokens, a phrase
    assert known({"q": "扶贫", "theme": "civil"}) is None
    assert known({"q": "扶贫", "start": "2020-01-01"}) == expected
    subtree, other_unit = str(column("3-12").pk), str(public_unit("区财政局").pk)
    assert known({"q": "扶贫", "column": subtree}) == in_subtree
    assert known({"q": "扶贫", "column": subtree, "unit": other_unit}) == (0 if in_subtree else None)
    assert known({"q": "扶贫", "column": subtree, "end": "2030-01-01"}) == in_subtree
    assert known({"q": "扶贫", "unit": other_unit, "end": "2030-01-01"}) is None  # no counts per unit and quarter
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert known({"q": "扶贫", "start": yesterday, "end": yesterday}) is None  # no quarter whole: counted by reading


def test_search_heading_counts_exactly_and_up_to_the_limit(client, seed, monkeypatch):
    monkeypatch.setattr(views, "COUNT_LIMIT", 5)
    for number in range(4):
        publish(title=f"扶贫通知第{number}号")
    publish(title="扶贫公告", published_at=timezone.now() + datetime.timedelta(days=1))  # scheduled: not shown
    page = client.get(reverse("disclosure:search"), {"q": "扶贫", "sort": "date"}).content.decode()
    assert "（4 条）" in page
    for number in range(3):
        publish(title=f"扶贫简报第{number}号")
    page = client.get(reverse("disclosure:search"), {"q": "扶", "page": "1"}).content.decode()
    assert "（5+ 条）" in page


def test_a_ranked_search_selects_its_candidates_once(client, seed, monkeypatch):
    monkeypatch.setattr(search, "RANK_CANDIDATES", 2)
    for number in range(3):
        publish(title=f"扶贫资金第{number}号")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("disclosure:search"), {"q": "扶贫 资金"}).content.decode()
    assert "（3 条）" in page and "按相关度排列其中最新的 2 条" in page
    ranked = [query["sql"] for query in queries if "LIMIT 2" in query["sql"]]
    assert len(ranked) == 1, ranked  # the page; the list's length comes from the total count


@postgresql_only
def test_a_ranked_phrase_search_reads_its_matches_once_for_its_count_and_candidates(client, seed, monkeypatch):
    monkeypatch.setattr(search, "RANK_CANDIDATES", 2)
    now = timezone.now()
    best = publish(title="扶贫资金和扶贫资金第0号", published_at=now - datetime.timedelta(days=3))
    newest = [
        publish(title=f"扶贫资金第{number}号", published_at=now - datetime.timedelta(days=number)) for number in (1, 2)
    ]
    publish(title="扶贫的资金")  # both words, not the phrase
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("disclosure:search"), {"q": "扶贫资金"}).content.decode()
    assert "（3 条）" in page and "按相关度排列其中最新的 2 条" in page
    assert page.index("第1号") < page.index("第2号") and "第0号" not in page  # equal ranks: the newer first
    reads = [query["sql"] for query in queries if "@@" in query["sql"]]
    assert len(reads) == 1 and "array_agg" in reads[0], reads  # the count with the candidates
    matches = Item.objects.published().search("扶贫资金")
    assert matches.counted_with_newest(3, 2) == (3, [item.pk for item in newest])
    assert matches.counted_with_newest(2, 2) == (3, None)  # more than the limit: not all of them read
    assert Item.objects.published().search("扶贫资金管理").counted_with_newest(3, 2) == (0, [])
    assert best.pk not in matches.counted_with_newest(3, 2)[1]


@postgresql_only
@pytest.mark.parametrize("spans", [(0.5,), (3,), (12,), (0.5, 3), (3, 8), (3, 30), (0.5, 2)])
def test_the_newest_matches_found_through_a_window_are_those_without(seed, spans):
    """Whatever each span of the window holds (nothing, fewer than the limit, enough), the
    candidates are the newest matches; the older spans and then the older items make up
    the rest."""
    now = timezone.now()
    for number in range(30):
        publish(title=f"扶贫通知第{number}号" if number % 5 == 0 else f"部门决算第{number}号",
                published_at=now - datetime.timedelta(days=number + 1))  # fmt: skip
    window = tuple(now - datetime.timedelta(days=days) for days in spans)  # matches on days 1, 6, 11 …
    matches = Item.objects.published(now).search("扶贫")
    newest = list(matches.order_by("-published_at", "-pk").values_list("pk", flat=True)[:3])
    found = Item.objects.filter(pk__in=search.newest_matches(matches, window, 3)).values_list("pk", flat=True)
    assert sorted(found) == sorted(newest)


def matches_since(window, matches) -> int:
    return matches.filter(published_at__gte=window).count()


@postgresql_only
def test_a_ranked_search_over_a_window_ranks_the_same_candidates(seed, monkeypatch):
    from disclosure.filters import ItemSearchFilter

    monkeypatch.setattr(search, "RANK_CANDIDATES", 2)
    now = timezone.now()
    for number in range(80):
        title = f"扶贫{'扶贫' * (number % 3)}通知第{number}号" if number % 5 == 0 else f"部门决算第{number}号"
        publish(title=title, published_at=now - datetime.timedelta(days=number + 1))
    filterset = ItemSearchFilter({"q": "扶贫"}, queryset=Item.objects.published())
    assert filterset.is_valid()
    window = filterset.rank_window()  # 16 matches in 80, one every 5 days: 2 wanted, a quarter more looked for
    assert 2 <= matches_since(window[0], Item.objects.published().search("扶贫")) <= 4
    assert list(filterset.qs) == list(Item.objects.published().search("扶贫").by_relevance("扶贫"))
    assert len(filterset.qs) == 2
    several = ItemSearchFilter({"q": "扶贫 通知"}, queryset=Item.objects.published())
    assert several.is_valid() and several.rank_window() is None


@postgresql_only
def test_the_window_reaches_back_to_the_quarters_that_hold_the_matches(seed, monkeypatch):
    """A token common months ago and rare lately: the quarters' counts say where its newest
    matches are, where an even spread over the whole collection would fall short. One
    statement, on the term counts by quarter."""
    monkeypatch.setattr(search, "RANK_CANDIDATES", 4)
    now, place = timezone.now(), publish()  # its column and unit for the rest, written at once
    items = []
    for day in range(1, 601):
        recent, months_ago, older = day in (3, 10), 120 <= day < 140, 400 <= day < 420
        title = "扶贫通知" if recent or months_ago or older else "部门决算"
        items.append(Item(
            column=place.column, unit=place.unit, state=Item.State.PUBLISHED, index_number=f"WINDOW/{day:04d}",
            title=title, search_text=search.search_text_from(title), published_at=now - datetime.timedelta(days=day),
        ))  # fmt: skip
    Item.objects.bulk_create(items)  # the term counts' triggers count them
    matches = Item.objects.published(now).search("扶贫")
    with CaptureQueriesContext(connection) as queries:
        window = search.rank_window(SearchQuery.parse("扶贫"), now)
    assert len(queries) == 1 and "disclosure_search_term_period" in queries[0]["sql"]
    # The spans, together, hold enough of them and not the oldest.
    assert 4 <= matches_since(window[-1], matches) < matches.count()
    assert window[-1] > now - datetime.timedelta(days=400)
    found = Item.objects.filter(pk__in=search.newest_matches(matches, window, 4)).values_list("pk", flat=True)
    assert sorted(found) == sorted(matches.order_by("-published_at").values_list("pk", flat=True)[:4])


@postgresql_only
@pytest.mark.parametrize("scope", ["column", "unit"])
def test_a_ranked_search_in_a_column_or_unit_looks_through_a_window_of_its_own_matches(seed, monkeypatch, scope):
    from disclosure.filters import ItemSearchFilter

    monkeypatch.setattr(search, "RANK_CANDIDATES", 1)
    now = timezone.now()
    for number in range(80):
        # Half of the matches in column 3-12's subtree, by 区民政局.
        slug, unit_name = ("3-12-1", "区民政局") if number % 10 == 0 else ("3-1", "区农业农村局")
        title = f"扶贫{'扶贫' * (number % 3)}通知第{number}号" if number % 5 == 0 else f"部门决算第{number}号"
        publish(slug, unit_name, title=title, published_at=now - datetime.timedelta(days=number + 1))
    if scope == "column":
        chosen, narrowed = column("3-12").pk, Item.objects.published().in_column_tree(column("3-12"))
    else:
        chosen = public_unit("区民政局").pk
        narrowed = Item.objects.published().filter(unit=chosen)
    params = {"q": "扶贫", scope: str(chosen)}
    filterset = ItemSearchFilter(params, queryset=Item.objects.published())
    assert filterset.is_valid()
    window = filterset.rank_window()  # 8 matches in 80, one every 10 days: 1 wanted
    assert 1 <= matches_since(window[0], narrowed.search("扶贫")) <= 3
    assert list(filterset.qs) == list(narrowed.search("扶贫").by_relevance("扶贫")) and len(filterset.qs) == 1


@postgresql_only
def test_truncating_the_items_clears_the_term_counts(seed):
    publish(title="扶贫通知")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks
        cursor.execute("TRUNCATE disclosure_item CASCADE")
        cursor.execute("SELECT (SELECT count(*) FROM disclosure_search_term) + (SELECT count(*) FROM disclosure_search_term_period)")
        assert cursor.fetchone()[0] == 0
    assert term_match_count(SearchQuery.parse("扶贫"), timezone.now(), 10) == 0


@postgresql_only
def test_the_quarters_computed_in_python_are_those_the_trigger_counts_in(db):
    migration = __import__(search.TERM_COUNTS_MIGRATION, fromlist=["PERIOD"])
    moments = [
        datetime.datetime(year, month, day, hour, tzinfo=datetime.timezone.utc)
        for year in (1987, 1990, 2024) for month in (1, 3, 4, 6, 7, 9, 10, 12) for day in (1, 30) for hour in (0, 15, 16)
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for moment in moments:
            cursor.execute("SELECT " + migration.PERIOD.format(published_at="%s"), [moment])
            assert cursor.fetchone()[0] == search.period_start(moment), moment


def test_a_range_of_days_covers_the_quarters_between_its_edges():
    first, last = search.whole_periods(local(2023, 1, 1), local(2024, 7, 1))
    assert (first, last) == (local(2023, 1, 1), local(2024, 7, 1))
    assert search.whole_periods(local(2023, 1, 2), local(2024, 6, 30)) == (local(2023, 4, 1), local(2024, 4, 1))
    assert search.whole_periods(local(2023, 10, 2), None) == (local(2024, 1, 1), None)
    assert search.whole_periods(None, local(2023, 12, 31)) == (None, local(2023, 10, 1))
    assert search.whole_periods(local(2023, 1, 2), local(2023, 6, 30)) is None
