"""An "incorporated" outcome is cited by the published version that carries the change,
and shown to the public only once that version is public."""

import pytest
from django.urls import reverse
from django.utils import translation

from recommendations import selectors, services
from tests.factories import iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

NEW_WORDS = "in two languages"
WAITING = "Accepted: it will be in the next published version"


def incorporate(recommendation, user, thread):
    """Edit the working copy with NEW_WORDS and resolve `thread` citing that revision."""
    recommendation = services.recommendation_update(
        recommendation=recommendation,
        user=user,
        title=recommendation.title_en,
        summary=recommendation.summary_en,
        body=f"Open minutes, {NEW_WORDS}.\n",
        base_revision=selectors.revision_latest(recommendation=recommendation).history_id,
    )
    services.thread_resolve(
        thread=thread,
        user=user,
        outcome="incorporated",
        note=f"Added “{NEW_WORDS}”.",
        revision_number=selectors.revision_count(recommendation=recommendation),
    )
    return recommendation


@pytest.fixture
def published(working_group, user):
    draft = make(working_group, user, body="Open minutes.\n")
    services.recommendation_publish(recommendation=draft, user=user, iteration=iteration())
    draft.refresh_from_db()
    return draft


def test_incorporated_waits_for_the_version_that_carries_it(
    client, published, user, django_capture_on_commit_callbacks
):
    thread = services.feedback_start(
        version=published.published_version, user=user, body="Translate them?"
    )
    recommendation = incorporate(published, user, thread)
    pages = (published.get_public_url(), reverse("public:feedback_thread", args=[thread.pk]))
    for url in pages:
        html = client.get(url).content.decode()
        assert WAITING in html
        assert NEW_WORDS not in html, url
        assert "Incorporated" not in html

    third = iteration("third-iteration", "Third iteration, 2026")
    # After the commit, the cached public pages are made stale (public/caching.py).
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_publish(recommendation=recommendation, user=user, iteration=third)
    for url in pages:
        html = client.get(url).content.decode()
        assert "Incorporated in Third iteration, 2026" in html
        assert f"Added “{NEW_WORDS}”." in html
        assert WAITING not in html
    # In a language the iteration's name has no translation in, its English name.
    with translation.override("zh-hans"):
        html = client.get(published.get_public_url()).content.decode()
    assert "Third iteration, 2026" in html


def test_other_outcomes_show_as_before(client, published, user):
    thread = services.feedback_start(version=published.published_version, user=user, body="Why?")
    services.thread_resolve(thread=thread, user=user, outcome="answered", note="See the minutes.")
    html = client.get(published.get_public_url()).content.decode()
    assert "Answered" in html
    assert "See the minutes." in html


def test_the_public_page_costs_the_same_with_1_or_10_incorporated_threads(
    client, working_group, user, user_factory, django_assert_num_queries
):
    counts = []
    for size in (1, 10):
        draft = make(working_group, user, title=f"Size {size}", body="Open minutes.\n")
        services.recommendation_publish(recommendation=draft, user=user, iteration=iteration())
        draft.refresh_from_db()
        for index in range(size):
            thread = services.feedback_start(
                version=draft.published_version, user=user_factory(), body=f"Point {index}"
            )
            draft = incorporate(draft, user, thread)
        with django_assert_num_queries(40, exact=False) as queries:
            html = client.get(draft.get_public_url()).content.decode()
        assert html.count(WAITING) == size * 2  # in "You said, we did" and in the thread list
        counts.append(len(queries))
    assert counts[0] == counts[1]
