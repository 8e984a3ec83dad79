"""A person's affiliation, stated once on their profile, where it was recorded only per
membership. An account whose current memberships all record the same affiliation starts
with that one; one whose memberships differ, or who has none, starts with none stated."""

from django.db import migrations, models
from django.db.models import Count, Max, Q


def affiliation_from_memberships(apps, schema_editor):
    User = apps.get_model("strategy", "User")
    Membership = apps.get_model("groups", "Membership")
    unanimous = (
        Membership.objects.filter(left_on__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(kinds=Count("affiliation", distinct=True), kind=Max("affiliation"))
        .filter(kinds=1)
    )
    for row in unanimous.iterator():
        User.objects.filter(pk=row["user_id"], affiliation="").update(
            affiliation=row["kind"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0006_notice_to_an_address"),
        ("groups", "0003_invitation_send_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="affiliation",
            field=models.CharField(
                blank=True,
                choices=[
                    ("staff", "Organized group staff"),
                    ("board", "Organized group board"),
                    ("individual", "Individual contributor"),
                ],
                max_length=20,
                verbose_name="affiliation",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="organization",
            field=models.CharField(
                blank=True,
                help_text=(
                    "For staff and board members: which organized group, for example "
                    "Wikimedia Deutschland."
                ),
                max_length=200,
                verbose_name="organized group",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=Q(organization="") | Q(affiliation__in=["staff", "board"]),
                name="user_organization_needs_organized_affiliation",
                violation_error_code="organization_without_organized_affiliation",
                violation_error_message=(
                    "Name an organized group only if you are on its staff or its board: an "
                    "individual contributor takes part for themselves. Choose your "
                    "affiliation, or leave the organized group empty."
                ),
            ),
        ),
        migrations.RunPython(affiliation_from_memberships, migrations.RunPython.noop),
    ]
