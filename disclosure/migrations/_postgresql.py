"""For the migrations that only PostgreSQL needs (the search's triggers, functions and
indexes): SQLite keeps its FTS5 table and needs none of them.

Part of the migrations' history, not of the live code (no migration imports that:
tests/responsibility/test_roles.py), so it changes only as a migration may. Its name
starts with an underscore, so Django's migration loader does not take it for one."""


def on_postgresql(statements):
    """A RunPython function executing `statements` in order on PostgreSQL, nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run
