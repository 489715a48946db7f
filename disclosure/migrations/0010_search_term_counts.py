"""How many published items hold each search token, kept exact by the database (PostgreSQL).

A search for a very common token (公, 的, 通知, 公开: in most of a million items) must
show its count "exact up to 10,000". Proving 10,001 matches by reading them costs
10,001 `tsvector`s (~400 ms at 1,000,000 items), and the GIN index does not help: its
posting list for 公 holds 800,000 entries, and every one costs a consistency check and
a heap visit (PostgreSQL 15 no longer skips the visit on all-visible pages). So the
number of published items holding each token is kept in `disclosure_search_term`; a
query of one token is counted as that number minus its scheduled matches (published,
`published_at` still ahead: a few rows, through the date index) — exact, see
`disclosure.search.term_match_count`. The row of the empty term counts the published
items: with it, a query of several common tokens (政府 信息 公开) has a proven lower
bound, |A ∩ B ∩ C| ≥ |A| + |B| + |C| − 2·|published|, which shows "10,000+" when it
is above 10,000.

The counts are maintained by statement-level triggers over the transition tables, so
every write path (services, imports, bulk updates, raw SQL) keeps them in step within
its own transaction, and a bulk statement makes one upsert per distinct token. Terms
are upserted in sorted order so that two concurrent statements lock them in the same
order. SQLite needs none of this: FTS5 reads a token's document list quickly enough.
"""

from django.db import migrations

from ._postgresql import on_postgresql

PG_TABLE = "CREATE TABLE disclosure_search_term (term text PRIMARY KEY, items integer NOT NULL)"
# Recount from scratch (the migration, `rebuild_search_index`, bulk loads with the trigger off).
PG_RECOUNT = (
    "DELETE FROM disclosure_search_term",
    "INSERT INTO disclosure_search_term (term, items) SELECT word, ndoc FROM ts_stat("
    "'SELECT search_vector FROM disclosure_item WHERE state = ''published''')",
    "INSERT INTO disclosure_search_term (term, items) "
    "SELECT '', count(*) FROM disclosure_item WHERE state = 'published'",
)
PG_FUNCTION = """
CREATE FUNCTION disclosure_search_term_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- +1 for each token of a row published after the statement, -1 for each before;
    -- on UPDATE only rows whose state or text changed count. The empty term, which no
    -- text holds, counts the published items themselves.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO disclosure_search_term AS counted (term, items)
            SELECT term, count(*) FROM new_items, unnest(tsvector_to_array(search_vector) || ''::text) AS term
            WHERE state = 'published'
            GROUP BY term ORDER BY term
            ON CONFLICT (term) DO UPDATE SET items = counted.items + excluded.items;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO disclosure_search_term AS counted (term, items)
            SELECT term, -count(*) FROM old_items, unnest(tsvector_to_array(search_vector) || ''::text) AS term
            WHERE state = 'published'
            GROUP BY term ORDER BY term
            ON CONFLICT (term) DO UPDATE SET items = counted.items + excluded.items;
    ELSE
        INSERT INTO disclosure_search_term AS counted (term, items)
            SELECT term, sum(change) FROM (
                SELECT o.search_vector AS vector, -1 AS change
                FROM old_items o JOIN new_items n ON n.id = o.id
                WHERE o.state = 'published' AND (n.state <> 'published' OR n.search_text <> o.search_text)
                UNION ALL
                SELECT n.search_vector, 1
                FROM old_items o JOIN new_items n ON n.id = o.id
                WHERE n.state = 'published' AND (o.state <> 'published' OR n.search_text <> o.search_text)
            ) AS changed, unnest(tsvector_to_array(vector) || ''::text) AS term
            GROUP BY term HAVING sum(change) <> 0 ORDER BY term
            ON CONFLICT (term) DO UPDATE SET items = counted.items + excluded.items;
    END IF;
    RETURN NULL;
END
$$
"""
# TRUNCATE fires no row or statement trigger of the other kinds (Django's test flush truncates).
PG_TRUNCATE_FUNCTION = """
CREATE FUNCTION disclosure_search_term_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM disclosure_search_term;
    RETURN NULL;
END
$$
"""
PG_TRIGGERS = (
    "CREATE TRIGGER disclosure_item_search_terms_insert AFTER INSERT ON disclosure_item "
    "REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION disclosure_search_term_count()",
    "CREATE TRIGGER disclosure_item_search_terms_update AFTER UPDATE ON disclosure_item "
    "REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items "
    "FOR EACH STATEMENT EXECUTE FUNCTION disclosure_search_term_count()",
    "CREATE TRIGGER disclosure_item_search_terms_delete AFTER DELETE ON disclosure_item "
    "REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION disclosure_search_term_count()",
    "CREATE TRIGGER disclosure_item_search_terms_truncate AFTER TRUNCATE ON disclosure_item "
    "FOR EACH STATEMENT EXECUTE FUNCTION disclosure_search_term_clear()",
)
PG_TRIGGER_NAMES = ("disclosure_item_search_terms_insert", "disclosure_item_search_terms_update",
                    "disclosure_item_search_terms_delete", "disclosure_item_search_terms_truncate")  # fmt: skip
PG_FORWARD = (PG_TABLE, PG_FUNCTION, PG_TRUNCATE_FUNCTION, *PG_TRIGGERS, *PG_RECOUNT)
PG_BACKWARD = (
    *(f"DROP TRIGGER IF EXISTS {name} ON disclosure_item" for name in PG_TRIGGER_NAMES),
    "DROP FUNCTION IF EXISTS disclosure_search_term_count()",
    "DROP FUNCTION IF EXISTS disclosure_search_term_clear()",
    "DROP TABLE IF EXISTS disclosure_search_term",
)


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0009_private_storage"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(PG_FORWARD), on_postgresql(PG_BACKWARD), elidable=False),
    ]
