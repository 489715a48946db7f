"""The term counts of migration 0010 kept per column and publishing unit (PostgreSQL).

A search narrowed to a column subtree or a unit must show its count "exact up to
10,000" too. Counting its matches by reading them costs a heap visit each (预算 in
column 三 at 1,000,000 items: 31,000 matches, ~230 ms), so `disclosure_search_term`
now counts the published items holding each token per (column, unit): the whole
collection's count is the sum of a token's rows, a column subtree's the sum of the
rows of its columns, a unit's the sum of the rows of that unit. A token has at most a
row per (column, unit) pair that publishes (a few hundred), read through the primary
key. The empty term counts each pair's published items, as before for the whole.

The triggers are those of 0010 with the pair in the key; an UPDATE now also counts
when an item moves to another column or unit. The recount runs `ts_stat` once per
pair (one pass over the vectors, as before), the statements are imported by
`disclosure.search` and the 1,000,000-item benchmark.
"""

from importlib import import_module

from django.db import migrations

from ._postgresql import on_postgresql

PG_TABLE = (
    "CREATE TABLE disclosure_search_term (term text NOT NULL, column_id bigint NOT NULL, unit_id bigint NOT NULL, "
    "items integer NOT NULL, PRIMARY KEY (term, column_id, unit_id))"
)
# Recount from scratch (the migration, `rebuild_search_index`, bulk loads with the triggers off).
PG_RECOUNT = (
    "DELETE FROM disclosure_search_term",
    "INSERT INTO disclosure_search_term (term, column_id, unit_id, items) "
    "SELECT stat.word, pair.column_id, pair.unit_id, stat.ndoc "
    "FROM (SELECT DISTINCT column_id, unit_id FROM disclosure_item WHERE state = 'published') AS pair, "
    "LATERAL ts_stat('SELECT search_vector FROM disclosure_item WHERE state = ''published'' "
    "AND column_id = ' || pair.column_id || ' AND unit_id = ' || pair.unit_id) AS stat",
    "INSERT INTO disclosure_search_term (term, column_id, unit_id, items) "
    "SELECT '', column_id, unit_id, count(*) FROM disclosure_item WHERE state = 'published' "
    "GROUP BY column_id, unit_id",
)
PG_FUNCTION = """
CREATE FUNCTION disclosure_search_term_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- +1 for each token of a row published after the statement, -1 for each before,
    -- under the row's column and unit; on UPDATE only rows whose state, text, column or
    -- unit changed count. The empty term, which no text holds, counts the published
    -- items themselves.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO disclosure_search_term AS counted (term, column_id, unit_id, items)
            SELECT term, column_id, unit_id, count(*)
            FROM new_items, unnest(tsvector_to_array(search_vector) || ''::text) AS term
            WHERE state = 'published'
            GROUP BY term, column_id, unit_id ORDER BY term, column_id, unit_id
            ON CONFLICT (term, column_id, unit_id) DO UPDATE SET items = counted.items + excluded.items;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO disclosure_search_term AS counted (term, column_id, unit_id, items)
            SELECT term, column_id, unit_id, -count(*)
            FROM old_items, unnest(tsvector_to_array(search_vector) || ''::text) AS term
            WHERE state = 'published'
            GROUP BY term, column_id, unit_id ORDER BY term, column_id, unit_id
            ON CONFLICT (term, column_id, unit_id) DO UPDATE SET items = counted.items + excluded.items;
    ELSE
        INSERT INTO disclosure_search_term AS counted (term, column_id, unit_id, items)
            SELECT term, column_id, unit_id, sum(change) FROM (
                SELECT o.search_vector AS vector, o.column_id, o.unit_id, -1 AS change
                FROM old_items o JOIN new_items n ON n.id = o.id
                WHERE o.state = 'published' AND (n.state <> 'published' OR n.search_text <> o.search_text
                    OR n.column_id <> o.column_id OR n.unit_id <> o.unit_id)
                UNION ALL
                SELECT n.search_vector, n.column_id, n.unit_id, 1
                FROM old_items o JOIN new_items n ON n.id = o.id
                WHERE n.state = 'published' AND (o.state <> 'published' OR n.search_text <> o.search_text
                    OR n.column_id <> o.column_id OR n.unit_id <> o.unit_id)
            ) AS changed, unnest(tsvector_to_array(vector) || ''::text) AS term
            GROUP BY term, column_id, unit_id HAVING sum(change) <> 0 ORDER BY term, column_id, unit_id
            ON CONFLICT (term, column_id, unit_id) DO UPDATE SET items = counted.items + excluded.items;
    END IF;
    RETURN NULL;
END
$$
"""
# 0010's function and triggers, replaced (the same triggers, on the new function); its
# TRUNCATE trigger (clear the table) stays.
PREVIOUS = import_module("disclosure.migrations.0010_search_term_counts")
PG_TRIGGERS = PREVIOUS.PG_TRIGGERS[:3]
PG_TRIGGER_NAMES = ("disclosure_item_search_terms_insert", "disclosure_item_search_terms_update",
                    "disclosure_item_search_terms_delete", "disclosure_item_search_terms_truncate")  # fmt: skip
PG_DROP = (
    *(f"DROP TRIGGER IF EXISTS {name} ON disclosure_item" for name in PG_TRIGGER_NAMES[:3]),
    "DROP FUNCTION IF EXISTS disclosure_search_term_count()",
    "DROP TABLE IF EXISTS disclosure_search_term",
)
PG_FORWARD = (*PG_DROP, PG_TABLE, PG_FUNCTION, *PG_TRIGGERS, *PG_RECOUNT)


def _backward(apps, schema_editor):
    """0010's table, function and triggers again, recounted."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (*PG_DROP, PREVIOUS.PG_TABLE, PREVIOUS.PG_FUNCTION, *PG_TRIGGERS, *PREVIOUS.PG_RECOUNT):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0011_ids_by_bitmaps"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(PG_FORWARD), _backward, elidable=False),
    ]
