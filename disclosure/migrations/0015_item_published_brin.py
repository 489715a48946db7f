"""A BRIN index on `published_at` (PostgreSQL) for the ranking's window of recent dates.

A ranked search looks for its newest candidates among the items published since a
moment (`disclosure.search.rank_window`): the GIN index's matches ANDed with the items
of that window. From the B-tree on `published_at` that window is a bitmap of every row
id in it (90,000 for 扶贫 at 1,000,000 items, 14-40 ms); a BRIN index gives the heap's
page ranges whose dates overlap it (a few hundred entries, ~3 ms), and the few matches
on those pages are checked again on the row. Items are written roughly in the order
they are published, so the ranges are narrow; the planner weighs that (it keeps the
correlation of `published_at` with the rows' places) and falls back to the B-tree where
they are not. A few kilobytes; SQLite has no such index and needs none.
"""

from django.db import migrations

from ._postgresql import on_postgresql

PG_FORWARD = ("CREATE INDEX item_published_brin ON disclosure_item USING brin (published_at)",)
PG_BACKWARD = ("DROP INDEX IF EXISTS item_published_brin",)


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0014_item_column_unit_without_own_index"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(PG_FORWARD), on_postgresql(PG_BACKWARD), elidable=False),
    ]
