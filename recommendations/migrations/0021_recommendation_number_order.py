"""Each recommendation keeps the sort key of its number (text/numbering.py), in its history
too, so that lists sort by number on every database without computing it per row."""

from django.db import migrations, models

from recommendations.text.numbering import number_order

BATCH = 2000


def fill(apps, schema_editor):
    for name in ("Recommendation", "HistoricalRecommendation"):
        model = apps.get_model("recommendations", name)
        rows = []
        for row in model.objects.only("pk", "number").iterator(chunk_size=BATCH):
            row.number_order = number_order(row.number)
            rows.append(row)
            if len(rows) == BATCH:
                model.objects.bulk_update(rows, ["number_order"])
                rows = []
        model.objects.bulk_update(rows, ["number_order"])


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0019_translation_memory_backfill"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrecommendation",
            name="number_order",
            field=models.CharField(default="", editable=False, max_length=24),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="number_order",
            field=models.CharField(default="", editable=False, max_length=24),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
