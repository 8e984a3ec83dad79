"""The demo's data for the browser tests, kept as rows: `manage.py demo_data` takes seconds;
writing its rows back into the tables takes a fraction of one (tests/browser/conftest.py:
`demo`)."""

import io
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction


@dataclass(frozen=True)
class DemoRows:
    """The rows of every table once the demo is loaded, as PostgreSQL's COPY writes them
    (binary), and a digest of each table's rows (`table_digests`)."""

    tables: dict[str, bytes]
    digests: dict[str, str]


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def demo_rows() -> DemoRows:
    """The rows of every table as they are now (the demo, once loaded)."""
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables():
            data = io.BytesIO()
            name = connection.ops.quote_name(table)
            cursor.copy_expert(f"COPY {name} TO STDOUT (FORMAT binary)", data)
            tables[table] = data.getvalue()
    return DemoRows(tables=tables, digests=table_digests())


def table_digests() -> dict[str, str]:
    """An MD5 of each table's rows, in a fixed order: two states of the database with the same
    digests hold the same rows."""
    with connection.cursor() as cursor:
        digests = {}
        for table in _tables():
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {name} t")
            digests[table] = cursor.fetchone()[0]
        return digests


def demo_restore(rows: DemoRows) -> None:
    """Make the database hold the demo's rows and nothing else, whatever it held before:
    every table emptied, then written back from `rows`, in one transaction (the foreign keys
    are checked at its commit); the sequences then continue after the demo's ids."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(map(connection.ops.quote_name, rows.tables)))
        for table, data in rows.tables.items():
            name = connection.ops.quote_name(table)
            cursor.copy_expert(f"COPY {name} FROM STDIN (FORMAT binary)", io.BytesIO(data))
        for statement in connection.ops.sequence_reset_sql(
            no_style(), apps.get_models(include_auto_created=True)
        ):
            cursor.execute(statement)
    # The content types are the demo's rows now, with the demo's ids.
    ContentType.objects.clear_cache()
