from django.db import migrations


def create_index(apps, schema_editor):
    # A GIN index is a PostgreSQL feature; elsewhere search falls back to plain matching.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS version_search_vector "
            "ON recommendations_version USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS version_search_vector")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0004_public_site")]

    operations = [migrations.RunPython(create_index, drop_index)]
