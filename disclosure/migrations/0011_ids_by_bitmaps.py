"""A function that runs a query of item ids with plain index scans off (PostgreSQL).

The planner prices `search_vector @@ query` as one cheap operator per row, but on a
row the check reads the row's `tsvector` from TOAST (~10 µs, the vectors are ~4 kB).
Given a window of recent dates to look for a search's newest matches in, it then
prefers walking the date index over the window, checking the match on every row
(30,000 reads for 教育 at 1,000,000 items, 170 ms), to combining the GIN index with
the date index (BitmapAnd: only the ~2,000 matches of the window are read, 40 ms).
`SET` on a function applies while it runs only, so this steers that one sub-select
and nothing else of the page's query; see `disclosure.search.newest_matches`.
"""

from django.db import migrations

from ._postgresql import on_postgresql

PG_FORWARD = (
    """
    CREATE FUNCTION disclosure_item_ids_by_bitmaps(query text) RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SET enable_indexscan = off AS $$
    BEGIN
        RETURN QUERY EXECUTE query;
    END
    $$
    """,
)
PG_BACKWARD = ("DROP FUNCTION IF EXISTS disclosure_item_ids_by_bitmaps(text)",)


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0010_search_term_counts"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(PG_FORWARD), on_postgresql(PG_BACKWARD), elidable=False),
    ]
