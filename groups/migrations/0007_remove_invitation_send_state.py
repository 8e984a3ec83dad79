# The invitation's send state lives in the ledger now (0005).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("groups", "0006_invitation_email_in_the_ledger"),
    ]

    operations = [
        migrations.RemoveField(model_name="invitation", name="send_attempts"),
        migrations.RemoveField(model_name="invitation", name="send_error"),
        migrations.RemoveField(model_name="invitation", name="send_state"),
        migrations.RemoveField(model_name="invitation", name="sent_at"),
    ]
