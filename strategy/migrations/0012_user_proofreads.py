from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0011_user_translates_into"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="proofreads",
            field=models.JSONField(blank=True, default=list, verbose_name="languages proofread"),
        ),
    ]
