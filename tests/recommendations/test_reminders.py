"""Review reminders through a real Celery worker on Redis, with the clock set by
time-machine (which the worker thread sees too)."""

from datetime import date

import pytest
import time_machine

from groups.models import Role
from recommendations import services
from recommendations.tasks import review_reminders_send
from strategy.models import Notice
from tests.factories import MembershipFactory, UserFactory, review_version
from tests.processes import wait_until

pytestmark = pytest.mark.worker


def sent(kind):
    return Notice.objects.filter(kind=f"review.{kind}", state="sent")


def test_reminders_before_on_and_after_the_due_date_each_once(
    celery_worker, working_group, mailoutbox
):
    coordinator = UserFactory(first_name="Kofi")
    MembershipFactory(user=coordinator, working_group=working_group, role=Role.COORDINATOR)
    reviewer = UserFactory(first_name="Rania")
    with time_machine.travel("2030-01-01 09:00Z"):
        version = review_version(working_group, coordinator)
        services.assignment_create(
            version=version, reviewer=reviewer, assigned_by=coordinator, due_on=date(2030, 1, 10)
        )
        wait_until(lambda: sent("assigned").count() == 1)

    def run_on(day, *, expect):
        with time_machine.travel(f"{day} 08:00Z"):
            # Twice, as two beat instances would.
            first, second = review_reminders_send.delay(), review_reminders_send.delay()
            first.get(timeout=30)
            second.get(timeout=30)
            wait_until(lambda: Notice.objects.filter(state="sent").count() == expect)
            assert not Notice.objects.exclude(state="sent").exists()

    run_on("2030-01-07", expect=1)  # three days before: nothing yet
    run_on("2030-01-08", expect=2)  # two days before
    run_on("2030-01-10", expect=3)  # on the day
    run_on("2030-01-11", expect=5)  # overdue, to the reviewer and the coordinator
    run_on("2030-01-12", expect=5)  # still overdue: no second reminder

    for kind, recipient in (
        ("assigned", reviewer),
        ("due_soon", reviewer),
        ("due_today", reviewer),
        ("overdue", reviewer),
        ("overdue_coordinator", coordinator),
    ):
        assert list(sent(kind).values_list("recipient", flat=True)) == [recipient.pk], kind
    subjects = sorted(message.subject for message in mailoutbox)
    assert len(subjects) == 5
    assert any(s.startswith("Overdue review by Rania") for s in subjects)
    assert any(s.startswith("Review due today") for s in subjects)
