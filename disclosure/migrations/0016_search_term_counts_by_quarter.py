"""The term counts of migration 0012 also kept per column and quarter of publication (PostgreSQL).

A search narrowed by dates must show its count "exact up to 10,000" too, and counting by
reading its matches costs a heap visit each: 扶贫 in column 三 from 2023-01-01 to
2024-06-30 at 1,000,000 items is 6,300 matches, ~70 ms however the indexes are combined.
`disclosure_search_term_period` counts the published items holding each token per
(quarter, column): a date range, in the whole collection or a column subtree, is counted
from the quarters it covers whole, and only the parts at its edges are read
(`disclosure.search.term_match_count`). A unit with dates is still counted by reading.

Why quarters and no unit: the rows of a finer table approach one per posting of the GIN
index. In a 30 % sample of the 100,000 demo items (9.7 million postings), the distinct
(token, column, unit, quarter) were 2.5 million, (token, column, quarter) 1.1 million,
(token, column, unit, year) 1.3 million; in a 10 % sample, (token, column, unit, month)
2.1 million of 3.2 million postings. A quarter is also how reports divide the year
(季度, 上半年, 全年): such ranges have no edges at all. The quarters are those of
Asia/Shanghai, the site's time zone, written here rather than read from the settings:
the trigger and `disclosure.search.period_start` must agree whatever the settings say
later (a site in another zone would read a few hours at each edge of its ranges, and
count them exactly all the same).

The trigger function of 0012 is replaced by one that upserts both tables from one pass
over the transition tables (an UPDATE also counts when an item's quarter changes); the
recount counts both. The statements are imported by `disclosure.search` and the
1,000,000-item benchmark.
"""

from importlib import import_module

from django.db import migrations

from ._postgresql import on_postgresql

# The quarter an item counts in; `disclosure.search.period_start` computes the same in Python.
PERIOD_ZONE = "Asia/Shanghai"
PERIOD = "date_trunc('quarter', {published_at}, '%s')" % PERIOD_ZONE
PG_TABLE = (
    "CREATE TABLE disclosure_search_term_period (term text NOT NULL, period timestamptz NOT NULL, "
    "column_id bigint NOT NULL, items integer NOT NULL, PRIMARY KEY (term, period, column_id))"
)
PREVIOUS = import_module("disclosure.migrations.0012_search_term_counts_by_column_and_unit")
# Recount from scratch (this migration, `rebuild_search_index`, bulk loads with the triggers off):
# ts_stat once per (column, quarter), then the 0012 table as 0012 counts it.
PG_RECOUNT_PERIODS = (
    "DELETE FROM disclosure_search_term_period",
    "INSERT INTO disclosure_search_term_period (term, period, column_id, items) "
    "SELECT stat.word, slot.period, slot.column_id, stat.ndoc "
    f"FROM (SELECT DISTINCT column_id, {PERIOD.format(published_at='published_at')} AS period "
    "FROM disclosure_item WHERE state = 'published') AS slot, "
    "LATERAL ts_stat('SELECT search_vector FROM disclosure_item WHERE state = ''published'' "
    "AND column_id = ' || slot.column_id || ' AND published_at >= ' || quote_literal(slot.period) || "
    "' AND published_at < ' || "
    f"quote_literal((slot.period AT TIME ZONE '{PERIOD_ZONE}' + interval '3 months') AT TIME ZONE '{PERIOD_ZONE}')) AS stat",
    "INSERT INTO disclosure_search_term_period (term, period, column_id, items) "
    f"SELECT '', {PERIOD.format(published_at='published_at')}, column_id, count(*) "
    "FROM disclosure_item WHERE state = 'published' GROUP BY 2, 3",
)
PG_RECOUNT = (*PG_RECOUNT_PERIODS, *PREVIOUS.PG_RECOUNT)
# Both tables from one statement. Its sub-INSERT, which nothing reads, runs after the main
# one: every statement locks period rows, then pair rows, each in key order, so two
# concurrent writers wait for each other instead of deadlocking.
UPSERT = """
        WITH changed AS MATERIALIZED (
            SELECT term, column_id, unit_id, {period} AS period, sum(change) AS items
            FROM ({rows}) AS changed_rows, unnest(tsvector_to_array(vector) || ''::text) AS term
            GROUP BY term, column_id, unit_id, period HAVING sum(change) <> 0
        ), by_pair AS (
            INSERT INTO disclosure_search_term AS counted (term, column_id, unit_id, items)
                SELECT term, column_id, unit_id, sum(items) FROM changed
                GROUP BY term, column_id, unit_id HAVING sum(items) <> 0 ORDER BY term, column_id, unit_id
                ON CONFLICT (term, column_id, unit_id) DO UPDATE SET items = counted.items + excluded.items
        )
        INSERT INTO disclosure_search_term_period AS counted (term, period, column_id, items)
            SELECT term, period, column_id, sum(items) FROM changed
            GROUP BY term, period, column_id HAVING sum(items) <> 0 ORDER BY term, period, column_id
            ON CONFLICT (term, period, column_id) DO UPDATE SET items = counted.items + excluded.items;"""
CHANGED = (
    "o.state <> n.state OR n.search_text <> o.search_text OR n.column_id <> o.column_id OR n.unit_id <> o.unit_id "
    f"OR {PERIOD.format(published_at='n.published_at')} IS DISTINCT FROM {PERIOD.format(published_at='o.published_at')}"
)
ROWS = {
    "insert": "SELECT search_vector AS vector, column_id, unit_id, published_at, 1 AS change "
    "FROM new_items WHERE state = 'published'",
    "delete": "SELECT search_vector AS vector, column_id, unit_id, published_at, -1 AS change "
    "FROM old_items WHERE state = 'published'",
    "update": "SELECT o.search_vector AS vector, o.column_id, o.unit_id, o.published_at, -1 AS change "
    f"FROM old_items o JOIN new_items n ON n.id = o.id WHERE o.state = 'published' AND ({CHANGED}) "
    "UNION ALL SELECT n.search_vector, n.column_id, n.unit_id, n.published_at, 1 "
    f"FROM old_items o JOIN new_items n ON n.id = o.id WHERE n.state = 'published' AND ({CHANGED})",
}
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION disclosure_search_term_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- +1 for each token of a row published after the statement, -1 for each before,
    -- under the row's column and unit, and its column and quarter; on UPDATE only rows
    -- whose state, text, column, unit or quarter changed count. The empty term, which no text holds, counts
    -- the published items themselves.
    IF TG_OP = 'INSERT' THEN{UPSERT.format(period=PERIOD.format(published_at="published_at"), rows=ROWS["insert"])}
    ELSIF TG_OP = 'DELETE' THEN{UPSERT.format(period=PERIOD.format(published_at="published_at"), rows=ROWS["delete"])}
    ELSE{UPSERT.format(period=PERIOD.format(published_at="published_at"), rows=ROWS["update"])}
    END IF;
    RETURN NULL;
END
$$
"""
# TRUNCATE fires no row or statement trigger of the other kinds (Django's test flush truncates).
PG_CLEAR_FUNCTION = """
CREATE OR REPLACE FUNCTION disclosure_search_term_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM disclosure_search_term;
    DELETE FROM disclosure_search_term_period;
    RETURN NULL;
END
$$
"""
# The triggers of 0010/0012 stay; they call these functions by name.
PG_TRIGGER_NAMES = PREVIOUS.PG_TRIGGER_NAMES
# The 0012 table is exact already: only this one is counted.
PG_FORWARD = (PG_TABLE, PG_FUNCTION, PG_CLEAR_FUNCTION, *PG_RECOUNT_PERIODS, "ANALYZE disclosure_search_term_period")
PG_BACKWARD = (
    PREVIOUS.PG_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
    PREVIOUS.PREVIOUS.PG_TRUNCATE_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
    "DROP TABLE IF EXISTS disclosure_search_term_period",
)


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0015_item_published_brin"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(PG_FORWARD), on_postgresql(PG_BACKWARD), elidable=False),
    ]
