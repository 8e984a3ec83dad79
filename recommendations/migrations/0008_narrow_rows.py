from django.db import migrations

# Rows of recommendations (with six languages of title and summary, and the sources of
# their translations) are wide; lists, counts and sorts scan them. Moving any long value
# of theirs out of line (TOAST) keeps the table a tenth of the size. PostgreSQL only; rows
# already written move when next updated.
TABLES = ("recommendations_recommendation",)


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'ALTER TABLE "{table}" SET (toast_tuple_target = 128)')


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'ALTER TABLE "{table}" RESET (toast_tuple_target)')


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0007_version_latest_published")]

    operations = [migrations.RunPython(narrow, widen)]
