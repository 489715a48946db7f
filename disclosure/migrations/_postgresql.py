"""For the migrations that only PostgreSQL needs (the search's triggers, functions and
indexes): SQLite keeps its FTS5 table and needs none of them. Its name starts with an
underscore, so Django's migration loader does not take it for a migration."""


def on_postgresql(statements):
    """A RunPython function executing `statements` in order on PostgreSQL, nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run
