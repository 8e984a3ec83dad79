import pytest
from django.urls import reverse

from strategy.models import Notice

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "timeline_phase",
        "timeline_milestone",
        "timeline_milestoneshift",
        "strategy_notice",
        "strategy_noticepreference",
        "django_celery_beat_periodictask",
    ],
)
def test_admin_lists_open(admin_client, name):
    assert admin_client.get(reverse(f"admin:{name}_changelist"), {"q": "x"}).status_code == 200


@pytest.mark.parametrize("state", ["failed", "in_doubt"])
def test_the_core_team_queues_failed_notices_again(
    admin_client, user, mailoutbox, django_capture_on_commit_callbacks, state
):
    failed = Notice.objects.create(
        key="k",
        recipient=user,
        kind="x",
        subject="S",
        body="B",
        state=state,
        attempts=5,
        last_error="refused",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:strategy_notice_changelist"),
            {
                "action": "send_again",
                "_selected_action": [failed.pk],
            },
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == "sent"
    assert len(mailoutbox) == 1


def test_the_beat_schedule_is_in_the_admin(admin_client):
    """The deploy's `sync_beat_schedule` writes the schedule into the database, where the
    core team sees and changes it."""
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("sync_beat_schedule")
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "recommendations.tasks.review_reminders_send",
        "timeline.tasks.milestone_notices_send",
        "strategy.tasks.notices_digest_send",
        "strategy.tasks.notices_sweep",
    } <= names
    html = admin_client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content
    assert b"review-reminders" in html


def test_a_non_core_staff_member_cannot_see_the_ledger(client, user_factory):
    client.force_login(user_factory(is_staff=True))
    assert client.get(reverse("admin:strategy_notice_changelist")).status_code == 403
