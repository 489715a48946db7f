"""A second GIN index of the search vector, over the items published since the start of
last year (PostgreSQL).

A ranked search looks for its newest 1,000 matches within a window of recent dates
(`disclosure.search.rank_window`): PostgreSQL ANDs the GIN index's bitmap of *every*
match of the token with the window's rows. For a token in 7 % of 1,000,000 items that
bitmap alone (70,000 matches over six years) cost 16-27 ms, most of the statement. Over
the items since the start of last year the same index holds a third of the entries at
six years of content: the planner takes it for every window that starts after its bound
(it proves that `published_at >= window` implies the index's predicate), the full index
for everything else. An item dated after the bound is written to both indexes.

The bound is a literal in the index's predicate, the start of last year in Asia/Shanghai
when the index is built; `manage.py roll_recent_search_index` (`disclosure.search.
recent_search_index_roll`, yearly, idempotent) builds it again for a newer bound without
locking writes. Left alone it stays correct and covers more years.
"""

from django.db import migrations

from ._postgresql import on_postgresql

INDEX = "item_search_vector_recent"
# {how}: "" or "CONCURRENTLY"; {name}: INDEX or a name to rename to it; {bound}: a quoted timestamptz.
PG_CREATE = "CREATE INDEX {how} {name} ON disclosure_item USING gin (search_vector) WHERE published_at >= {bound}"
# The start of last year in the site's zone (as `disclosure.search.recent_search_index_roll` computes it).
PG_LAST_YEAR = (
    "(date_trunc('year', now() AT TIME ZONE 'Asia/Shanghai') - interval '1 year') AT TIME ZONE 'Asia/Shanghai'"
)
PG_FORWARD = (
    f"DO $$ BEGIN EXECUTE '{PG_CREATE.format(how='', name=INDEX, bound='')}' || quote_literal({PG_LAST_YEAR}); END $$",
)
PG_DROP = f"DROP INDEX IF EXISTS {INDEX}"
PG_BACKWARD = (PG_DROP,)


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0016_search_term_counts_by_quarter"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(PG_FORWARD), on_postgresql(PG_BACKWARD), elidable=False),
    ]
