"""Dates in the admin as people read them, in the language's own format: no "2026-12-01
15:57:46.158582+00:00" beside "Dec. 1, 2026, 4:04 p.m." (strategy/dates.py). The values of
the admin's date inputs stay ISO: they are what the inputs take."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from groups import services as group_services
from recommendations import selectors, services
from recommendations.models import Thread
from strategy.dates import moment, readable
from strategy.models import AuditEvent
from tests.factories import iteration, review_version

pytestmark = pytest.mark.django_db

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Text(HTMLParser):
    """The text a page shows: its text nodes outside scripts and styles, and the labels of
    its choices (an <option>'s text is a text node). Attribute values are not shown."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def shown_text(response) -> str:
    assert response.status_code == 200
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)


def iso_dates_in(response) -> list[str]:
    text = shown_text(response)
    return [text[max(0, m.start() - 40) : m.end() + 20] for m in ISO.finditer(text)]


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "Dec. 1, 2026, 3:57 p.m."), ("zh-hans", "2026\u5e7412\u67081\u65e5 15:57")],
)
def test_a_moment_is_in_the_languages_own_format(language, shown):
    at = datetime(2026, 12, 1, 15, 57, 46, 158582, tzinfo=UTC)
    with translation.override(language):
        assert moment(at) == shown
        assert readable(at) == shown
        assert readable("2026-12-01") == "2026-12-01"  # not a date: left as it is


def test_an_audit_event_is_named_with_its_time_as_people_read_it(user):
    event = AuditEvent.objects.create(kind="sign_in", subject=user, subject_name=user.username)
    with translation.override("en"):
        assert str(event) == f"{moment(event.at)} Signed in {user.username}"
    assert not ISO.search(str(event))


def test_admin_pages_show_no_iso_dates(
    admin_client, working_group, user, django_capture_on_commit_callbacks
):
    """The pages where the walk through the admin found them: an audit event, an invitation
    (when its e-mail left), a version (its revision), a thread's history (the revision that
    incorporated it) and an iteration's history (when it was closed)."""
    version = review_version(working_group, user)
    made = version.recommendation
    thread = services.thread_start(version=version, user=user, body="Say who pays.")
    services.thread_resolve(
        thread=thread,
        user=user,
        outcome=Thread.Outcome.INCORPORATED,
        revision_number=selectors.revision_count(recommendation=made),
    )
    closed = services.iteration_close(iteration=iteration(), user=user)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = group_services.invitation_create(
            email="noor.aziz@example.org", working_group=working_group
        )
    event = AuditEvent.objects.create(kind="sign_in", subject=user, subject_name=user.username)
    record = Thread.history.filter(id=thread.pk).first()
    pages = {
        "audit event": reverse("admin:strategy_auditevent_change", args=[event.pk]),
        "invitation": reverse("admin:groups_invitation_change", args=[invitation.pk]),
        "version": reverse("admin:recommendations_version_change", args=[version.pk]),
        "thread's history": reverse(
            "admin:recommendations_thread_simple_history", args=[thread.pk, record.history_id]
        ),
        "iteration's history": reverse("admin:recommendations_iteration_history", args=[closed.pk]),
    }
    found = {name: iso_dates_in(admin_client.get(url)) for name, url in pages.items()}
    assert {name: dates for name, dates in found.items() if dates} == {}

    # Each shows the time as people read it instead.
    invitation.refresh_from_db()
    assert moment(invitation.notice.sent_at) in shown_text(admin_client.get(pages["invitation"]))
    revision = selectors.revision_latest(recommendation=made)
    assert f"as of {moment(revision.history_date)}" in shown_text(
        admin_client.get(pages["thread's history"])
    )
    assert moment(closed.closed_at) in shown_text(admin_client.get(pages["iteration's history"]))
