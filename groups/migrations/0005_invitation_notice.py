# Each migration of the move into the ledger (0005-0007) is a transaction of its own, so
# that no table is altered while rows written in the same transaction wait to be checked.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("groups", "0004_invitation_languages_read_when_used"),
        ("strategy", "0006_notice_to_an_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="notice",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="invitation",
                to="strategy.notice",
                verbose_name="e-mail",
            ),
        ),
    ]
