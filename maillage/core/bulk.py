"""Bulk loading for the big data paths: COPY on PostgreSQL, executemany on SQLite.

No model `save()`, no signal, no history: callers convert values to what the database stores
and record the operation as a whole.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

from maillage.core.figures import data_changed


def bulk_insert(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    meta = model._meta
    columns = [str(meta.get_field(name).column) for name in fields]  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg import sql

            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(meta.db_table),
                sql.SQL(", ").join(sql.Identifier(c) for c in columns),
            )
            # The raw psycopg cursor bypasses Django's error translation: restore it, so callers
            # catch django.db.IntegrityError whatever the database.
            with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
            data_changed()  # COPY does not pass through the connection's execute wrappers
        else:
            quote = connection.ops.quote_name
            placeholders = ", ".join(["%s"] * len(columns))
            names = ", ".join(quote(c) for c in columns)
            cursor.executemany(
                f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({placeholders})",  # noqa: S608
                rows,  # type: ignore[arg-type]
            )


def analyse(*models: type[models.Model]) -> None:
    """Refresh the planner's statistics of tables a bulk load changed: their joins choose
    their indexes from them (PostgreSQL's autovacuum would do it, later)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def db_datetime(value) -> Any:
    """A datetime as the current database stores it, for bulk_insert rows."""
    return connection.ops.adapt_datetimefield_value(value)
