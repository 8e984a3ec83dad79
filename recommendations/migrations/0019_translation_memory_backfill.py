"""The translations stored before the translation memory existed, put into it (the same
service as `manage.py translation_memory_fill`, with this migration's models)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from recommendations.services.translations import translation_memory_backfill

    translation_memory_backfill(
        recommendations=apps.get_model("recommendations", "Recommendation"),
        history=apps.get_model("recommendations", "HistoricalRecommendation"),
        memory=apps.get_model("recommendations", "TranslationMemory"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0020_field_labels_list_item_units"),
    ]

    operations = [
        # Undone, the memory keeps what it was given: it is the memory of what was public.
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
