"""The accounts that existed before sign-up had e-mail verification were made by the core
team or through an invitation link sent to their address: their addresses count as
verified, so that signing in does not stop them to verify."""

from django.db import migrations
from django.db.models.functions import Lower


def verify_existing_addresses(apps, schema_editor):
    User = apps.get_model("strategy", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.annotate(low=Lower("email")).values_list("user_id", "low"))
    has_primary = set(EmailAddress.objects.filter(primary=True).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(
                user_id=user_id,
                email=email.lower(),
                verified=True,
                primary=user_id not in has_primary,
            )
            for user_id, email in User.objects.exclude(email="").values_list("id", "email")
            if (user_id, email.lower()) not in known
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0004_notice_in_doubt_announcements"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(verify_existing_addresses, migrations.RunPython.noop),
    ]
