"""Invitations made before their e-mail went through the ledger: each becomes a row of the
ledger in the state it had, and the ones still waiting are sent once, by the sweep."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

# The ledger's migrations, with the person's affiliation (strategy 0007) not yet there, as
# when they first ran.
BEFORE = [
    ("groups", "0004_invitation_languages_read_when_used"),
    ("strategy", "0006_notice_to_an_address"),
]
AFTER = [("groups", "0007_remove_invitation_send_state"), ("strategy", "0007_person_affiliation")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    """The migrations made since AFTER too: the models of the code read the tables as the
    latest migrations leave them, and the tests after these expect that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_each_invitation_keeps_its_email_state_and_a_waiting_one_is_sent_once(mailoutbox):
    from groups import services
    from groups.models import Invitation
    from strategy.models import Notice
    from strategy.tasks import notices_sweep

    old = migrate(BEFORE)
    now = timezone.now()
    user = old.get_model("strategy", "User").objects.create(
        username="core", first_name="Noor", last_name="Aziz"
    )
    group = old.get_model("groups", "WorkingGroup").objects.create(
        name="Steering", name_en="Steering", name_zh_hans="指导小组", slug="s", kind="steering"
    )
    made = {}
    for name, language, state, extra in [
        ("sent", "en", "sent", {"sent_at": now - timedelta(days=1), "send_attempts": 1}),
        ("waiting", "en", "pending", {}),
        ("waiting-zh", "zh-hans", "pending", {}),
        ("doubt", "en", "in_doubt", {"send_error": "Cut off", "send_attempts": 1}),
        ("failed", "en", "failed", {"send_error": "Refused", "send_attempts": 5}),
        ("accepted", "en", "pending", {"accepted_at": now - timedelta(hours=1)}),
        ("expired", "en", "failed", {"expires_at": now - timedelta(hours=1)}),
    ]:
        made[name] = old.get_model("groups", "Invitation").objects.create(
            email=f"{name}@example.org",
            working_group=group,
            role="coordinator",
            language=language,
            invited_by=user,
            nonce=f"{name:0<32}"[:32],
            send_state=state,
            **{"expires_at": now + timedelta(days=7), **extra},
        )

    # Made an hour ago: longer than the sweep waits for a worker to pick one up.
    old.get_model("groups", "Invitation").objects.update(created_at=now - timedelta(hours=1))
    migrate(AFTER)
    migrate_to_latest()
    states = {
        invitation.email.split("@")[0]: (
            invitation.notice.state,
            invitation.notice.attempts,
            invitation.notice.last_error,
        )
        for invitation in Invitation.objects.select_related("notice")
    }
    assert states == {
        "sent": ("sent", 1, ""),
        "waiting": ("pending", 0, ""),
        "waiting-zh": ("pending", 0, ""),
        "doubt": ("in_doubt", 1, "Cut off"),
        "failed": ("failed", 5, "Refused"),
        "accepted": ("cancelled", 0, ""),
        "expired": ("cancelled", 0, ""),
    }
    sent = Notice.objects.get(email="sent@example.org")
    assert sent.sent_at == made["sent"].sent_at
    assert sent.created_at == now - timedelta(hours=1)
    assert Notice.objects.filter(recipient__isnull=False).count() == 0

    # The sweep sends what waits, once: the text as the invitation's e-mail is now.
    assert notices_sweep() == 2
    assert notices_sweep() == 0
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {"waiting@example.org", "waiting-zh@example.org"}
    english = by_address["waiting@example.org"]
    assert english.subject == "You are invited to join Steering"
    assert "You are invited to join Steering as Coordinator." in english.body
    assert "Sent by Noor Aziz for the core team." in english.body
    assert by_address["waiting-zh@example.org"].subject == "您受邀加入指导小组"
    assert "/zh-hans/groups/invitations/" in by_address["waiting-zh@example.org"].body
    token = english.body.split("/groups/invitations/")[1].split("/")[0]
    assert services.invitation_from_token(token).pk == made["waiting"].pk


def test_going_back_gives_the_invitations_their_state_again(mailoutbox):
    from groups import services
    from groups.models import WorkingGroup
    from strategy.models import Notice

    group = WorkingGroup.objects.create(name_en="Steering", slug="s", kind="steering")
    sent = services.invitation_create(email="sent@example.org", working_group=group)
    revoked = services.invitation_create(email="revoked@example.org", working_group=group)
    # Revoked before a worker had its e-mail.
    Notice.objects.filter(pk=revoked.notice_id).update(
        state=Notice.State.CANCELLED, attempts=0, claimed_at=None, sent_at=None
    )
    claimed_at = Notice.objects.get(pk=sent.notice_id).claimed_at
    old = migrate(BEFORE)
    rows = {row.email: row for row in old.get_model("groups", "Invitation").objects.all()}
    assert (rows["sent@example.org"].send_state, rows["sent@example.org"].send_attempts) == (
        "sent",
        1,
    )
    assert rows["sent@example.org"].sent_at == claimed_at
    # A cancelled e-mail had waited, and been skipped, before.
    assert (rows["revoked@example.org"].send_state, rows["revoked@example.org"].sent_at) == (
        "pending",
        None,
    )
    migrate(AFTER)
    migrate_to_latest()
