"""Migration operations shared by the apps."""

from django.db import migrations


def substring_index(table: str, column: str, *, prefix_column: str = "") -> migrations.RunPython:
    """On PostgreSQL, a trigram index that answers `column LIKE '%text%'` (a search box on a
    folded name: a scan of every row without it) and, with `prefix_column`, a pattern index
    that answers `prefix_column LIKE 'text%'` beside it (a search asking either). SQLite has
    neither: its tables here stay small enough to scan."""
    name = f"{table}_{column}_trgm"
    prefix_name = f"{table}_{prefix_column}_prefix"

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )
        if prefix_column:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {prefix_name} ON {table} "
                f"({prefix_column} text_pattern_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {prefix_name}")

    return migrations.RunPython(create, drop, elidable=False)
