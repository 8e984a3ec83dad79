"""The community's feedback on a public recommendation's page: the newest 50 threads,
each with its opening comment and how many comments it has, at a fixed number of queries
however many threads there are and however long; a hidden opening comment stays hidden."""

import pytest
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from public.caching import content_changed
from recommendations import selectors, services
from recommendations.models import Comment, Thread
from strategy import generations
from tests.factories import CoreTeamFactory, iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(working_group, user):
    draft = make(working_group, user, title="Open minutes", body="Every meeting.\n")
    services.recommendation_publish(recommendation=draft, user=user, iteration=iteration())
    draft.refresh_from_db()
    return draft


def add_threads(version, author, count, *, comments=1):
    threads = bulk_create_with_history(
        [Thread(version=version, public=True) for _ in range(count)], Thread
    )
    bulk_create_with_history(
        [
            Comment(thread=thread, author=author, body=f"Said {index}.{number}")
            for index, thread in enumerate(threads)
            for number in range(comments)
        ],
        Comment,
    )
    return threads


def _written_in_bulk(capture):
    """Written in bulk, without the signals that make the cached page and the kept feedback
    stale: as the load-test data generator does, say the content changed."""
    content_changed()
    with capture(execute=True):
        generations.model_changed("recommendations.Thread")
        generations.model_changed("recommendations.Comment")


def test_the_page_costs_the_same_with_5_or_80_threads_and_with_10_or_1000_comments(
    client, published, user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Counted with the feedback read afresh (not kept)."""
    version = published.published_version
    add_threads(version, user, 5, comments=10)
    # Once to fill what any first request fills (the site's shared facts), then afresh.
    client.get(published.get_public_url())
    _written_in_bulk(django_capture_on_commit_callbacks)
    with django_assert_num_queries(40, exact=False) as small:
        client.get(published.get_public_url())
    counts = [len(small)]
    add_threads(version, user, 75)
    add_threads(version, user, 1, comments=1000)
    feedback = selectors.public_feedback(recommendation=published)
    assert len(feedback) == 50
    assert feedback[0].comment_count == 1000
    _written_in_bulk(django_capture_on_commit_callbacks)
    with django_assert_num_queries(counts[0]):
        html = client.get(published.get_public_url()).content.decode()
    assert "1000 comments" in html
    assert html.count('aria-label="Feedback"') == 50


def test_a_hidden_opening_comment_stays_hidden_on_the_page(client, published, user):
    (thread,) = add_threads(published.published_version, user, 1)
    content_changed()
    services.comment_hide(comment=thread.comments.get(), user=CoreTeamFactory(), reason="Spam")
    html = client.get(published.get_public_url()).content.decode()
    assert "Said 0.0" not in html
    assert "Hidden by the moderators: Spam" in html


def test_older_feedback_is_a_page_away_and_its_pages_cost_the_same(
    client, published, user, django_assert_num_queries
):
    """Beyond the 50 newest threads the page shows, "Older feedback" opens the feedback
    pages (anyone may: the recommendation is public), 50 a page, newest first, at the same
    queries for a page of 10 threads as for one of 50 with a thread of 1,000 comments."""
    version = published.published_version
    add_threads(version, user, 60)
    content_changed()
    html = client.get(published.get_public_url()).content.decode()
    url = reverse("public:feedback_list", args=[published.working_group.slug, published.number])
    assert f'href="{url}?page=2">Older feedback</a>' in html
    client.get(f"{url}?page=2")
    content_changed()
    with django_assert_num_queries(40, exact=False) as small:
        html = client.get(f"{url}?page=2").content.decode()
    assert html.count('aria-label="Feedback"') == 10
    assert "60 threads, newest first" in html
    assert "Said 0.0" in html  # the oldest, on the last page
    assert "Said 59.0" not in html
    add_threads(version, user, 1, comments=1000)
    add_threads(version, user, 40)
    content_changed()
    with django_assert_num_queries(len(small)):
        html = client.get(f"{url}?page=1").content.decode()
    assert html.count('aria-label="Feedback"') == 50
    assert "1000 comments" in html


def test_a_recommendation_with_50_threads_or_fewer_links_to_no_older_feedback(
    client, published, user
):
    add_threads(published.published_version, user, 50)
    content_changed()
    assert "Older feedback" not in client.get(published.get_public_url()).content.decode()
