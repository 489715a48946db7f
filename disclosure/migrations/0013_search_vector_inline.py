"""Each item's `tsvector` kept in its row instead of the TOAST table (PostgreSQL).

The vectors are ~4.3 kB (some 320 tokens with their positions) and pglz gives up on
them (it must save something within the first kilobyte), so PostgreSQL stored them
uncompressed out of line: every read of a vector — ranking a search's candidates,
checking a phrase, checking the match on each row of a walk of the date index — was a
descent of the TOAST index and three chunks, ~5 µs even from shared buffers (1,000
candidates ranked: ~17 ms of a two-character search at 100,000 items; ~6 ms inline).
`STORAGE MAIN` keeps a value in the row unless the row would not fit in a page; the
body and the search text, which compress, still go out of line first.

The table grows (about one row per heap page instead of seven) and the TOAST table
shrinks by as much; nothing reads items by a sequential scan (EXPLAIN tests). Existing
vectors move when their row is rewritten: `VACUUM FULL` here rewrites the table once
(it cannot run in a transaction, hence `atomic = False`; it locks the table for its
duration: ~30 s at 100,000 items, ~5 min at 1,000,000 on 2 cores, the GIN index rebuilt included).
"""

from django.db import migrations

from ._postgresql import on_postgresql

# VACUUM FULL leaves the visibility map empty: the plain VACUUM after it sets it again,
# or every index-only walk (counts, the ranking window's start) would visit the heap.
REWRITE = ("VACUUM FULL disclosure_item", "VACUUM ANALYZE disclosure_item")
# With the larger heap the planner prices the older matches' branch of the ranking's
# candidates (0011) above `jit_above_cost`, and compiling it took 12-20 ms of a 30 ms
# statement that never runs that branch far: no JIT for that function.
PG_FORWARD = (
    "ALTER TABLE disclosure_item ALTER COLUMN search_vector SET STORAGE MAIN",
    *REWRITE,
    "ALTER FUNCTION disclosure_item_ids_by_bitmaps(text) SET jit = off",
)
PG_BACKWARD = (
    "ALTER FUNCTION disclosure_item_ids_by_bitmaps(text) RESET jit",
    "ALTER TABLE disclosure_item ALTER COLUMN search_vector SET STORAGE EXTENDED",
    *REWRITE,
)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("disclosure", "0012_search_term_counts_by_column_and_unit"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(PG_FORWARD), on_postgresql(PG_BACKWARD), elidable=False),
    ]
