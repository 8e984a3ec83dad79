import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import Role
from recommendations import services
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory, review_version
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(working_group, user):
    from tests.factories import iteration
    from tests.factories import recommendation as make

    made = make(
        working_group, user, title="Open minutes", body="Every meeting publishes minutes.\n"
    )
    return publish(made, user, iteration("second-iteration"))


@pytest.fixture
def moderator(synthesis_group):
    person = UserFactory(first_name="Carlos")
    MembershipFactory(user=person, working_group=synthesis_group, role=Role.CONNECTOR)
    return person


def test_signed_in_people_comment_on_published_iterations_only(published, user, working_group):
    thread = services.feedback_start(
        version=published.published_version,
        user=user,
        body="Also the small meetings?",
        quote="minutes",
    )
    assert thread.public
    review = review_version(working_group, user)
    with pytest.raises(ValidationError, match="published iterations only"):
        services.feedback_start(version=review, user=user, body="x")


def test_a_rate_limit_stops_floods_and_says_so(published, user, settings):
    settings.FEEDBACK_PER_HOUR = 2
    version = published.published_version
    thread = services.feedback_start(version=version, user=user, body="one")
    services.feedback_reply(thread=thread, user=user, body="two")
    with pytest.raises(ValidationError, match="2 comments in the last hour"):
        services.feedback_reply(thread=thread, user=user, body="three")


def test_public_page_shows_feedback_and_you_said_we_did(client, published, user, moderator):
    url = published.get_public_url()
    thread = services.feedback_start(
        version=published.published_version, user=user, body="Publish them within a week, please."
    )
    rude = services.feedback_start(
        version=published.published_version, user=user, body="Something rude"
    )
    services.comment_hide(comment=rude.comments.get(), user=moderator, reason="Insults.")
    services.thread_resolve(
        thread=thread,
        user=moderator,
        outcome="out_of_scope",
        note="Deadlines are for each group to set.",
    )
    html = client.get(url).content.decode()
    assert "You said, we did" in html
    assert "Publish them within a week, please." in html
    assert "Out of scope" in html
    assert "Deadlines are for each group to set." in html
    assert "Something rude" not in html
    assert "Hidden by the moderators: Insults." in html
    assert "Sign in to comment" in html
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("public:feedback_csv")).content.decode()))
    )
    assert len(rows) == 2
    assert {row["comment"] for row in rows} == {"Publish them within a week, please.", ""}


def test_out_of_scope_needs_a_reason(published, user, moderator):
    thread = services.feedback_start(version=published.published_version, user=user, body="x")
    with pytest.raises(ValidationError):
        services.thread_resolve(thread=thread, user=moderator, outcome="out_of_scope")


def test_posting_through_the_page(client, published, user):
    client.force_login(user)
    response = client.post(
        reverse("feedback:create", args=[published.working_group.slug, published.number]),
        {"body": "A careful comment", "quote": "not in the text"},
    )
    assert response.status_code == 422
    assert "A careful comment" in response.content.decode()
    response = client.post(
        reverse("feedback:create", args=[published.working_group.slug, published.number]),
        {"body": "A careful comment", "quote": "minutes"},
    )
    assert response.status_code == 302
    assert published.versions.get().threads.get().public


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("community", 403),
        ("group_member", 403),
        ("connector", 302),
        ("core_team", 302),
    ],
)
def test_who_triages_and_moderates(
    client, published, user, synthesis_group, working_group, who, status
):
    thread = services.feedback_start(version=published.published_version, user=user, body="x")
    if who == "core_team":
        client.force_login(CoreTeamFactory())
    elif who != "anonymous":
        person = UserFactory()
        if who == "connector":
            MembershipFactory(user=person, working_group=synthesis_group, role=Role.CONNECTOR)
        elif who == "group_member":
            MembershipFactory(user=person, working_group=working_group)
        client.force_login(person)
    response = client.post(
        reverse("feedback:triage", args=[thread.pk]),
        {"outcome": "answered", "note": "See the minutes."},
    )
    assert response.status_code == status
    thread.refresh_from_db()
    assert (thread.status == "resolved") == (who in ("connector", "core_team"))
    hide = client.post(
        reverse("feedback:moderate", args=[thread.comments.get().pk, "hide"]), {"reason": "Spam"}
    )
    assert hide.status_code == status


def test_review_threads_never_show_publicly(client, published, user, working_group):
    version = services.recommendation_submit_for_review(
        recommendation=published, user=user, name="Review"
    )
    services.thread_start(version=version, user=user, body="Internal review note")
    html = client.get(published.get_public_url()).content.decode()
    assert "Internal review note" not in html
    assert "Internal review note" not in client.get(reverse("public:feedback_csv")).content.decode()
