"""The community's feedback on a public recommendation's page: the newest 50 threads,
each with its opening comment and how many comments it has, at a fixed number of queries
however many threads there are and however long; a hidden opening comment stays hidden."""

import pytest
from simple_history.utils import bulk_create_with_history

from public.caching import content_changed
from recommendations import selectors, services
from recommendations.models import Comment, Thread
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


def test_the_page_costs_the_same_with_5_or_80_threads_and_with_10_or_1000_comments(
    client, published, user, django_assert_num_queries
):
    version = published.published_version
    add_threads(version, user, 5, comments=10)
    # Once to fill what any first request fills (the site's shared facts), then afresh.
    client.get(published.get_public_url())
    content_changed()
    with django_assert_num_queries(40, exact=False) as small:
        client.get(published.get_public_url())
    counts = [len(small)]
    add_threads(version, user, 75)
    add_threads(version, user, 1, comments=1000)
    feedback = selectors.public_feedback(recommendation=published)
    assert len(feedback) == 50
    assert feedback[0].comment_count == 1000
    # Written in bulk, without the signals that make the cached page stale: as the
    # load-test data generator does, say the content changed.
    content_changed()
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
