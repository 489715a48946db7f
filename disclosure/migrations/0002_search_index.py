"""The full-text index over `Item.search_text` (CJK bigrams, see `disclosure/search.py`).

Neither pg_bigm nor zhparser is packaged for Debian and pg_trgm cannot index
one- or two-character Chinese words, so `search_text` already holds the text cut
into tokens (CJK bigrams and unigrams, Latin words and numbers) separated by
spaces, and each database only has to index whitespace-separated tokens:

- PostgreSQL: a stored generated `tsvector` column with a GIN index. It is not a
  model field (Django cannot express it portably); `disclosure.search` refers
  to it by name. PostgreSQL keeps it in step with `search_text` by itself.
- SQLite: an FTS5 table whose rowid is the item's id. The write path
  (`disclosure.search.search_index_update`) keeps it in step; no signals.
"""

from django.db import migrations

# The index statements are also used by the demo data loader (disclosure/demo.py).
PG_CREATE_INDEX = "CREATE INDEX item_search_vector ON disclosure_item USING gin (search_vector)"
PG_DROP_INDEX = "DROP INDEX IF EXISTS item_search_vector"
PG_FORWARD = (
    "ALTER TABLE disclosure_item ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    PG_CREATE_INDEX,
)
PG_BACKWARD = (
    PG_DROP_INDEX,
    "ALTER TABLE disclosure_item DROP COLUMN IF EXISTS search_vector",
)
SQLITE_FORWARD = (
    "CREATE VIRTUAL TABLE disclosure_item_fts USING fts5(search_text, tokenize = 'unicode61 remove_diacritics 0')",
    "INSERT INTO disclosure_item_fts (rowid, search_text) SELECT id, search_text FROM disclosure_item",
)
SQLITE_BACKWARD = ("DROP TABLE IF EXISTS disclosure_item_fts",)


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
            elidable=False,
        ),
    ]
