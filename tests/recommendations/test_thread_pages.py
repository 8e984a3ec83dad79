"""A version's threads, however many and however long: the version page shows a page of
them, each with its first and latest comments; "More threads" and "show N earlier replies"
bring the rest a fragment at a time, each at a fixed number of queries."""

import re

import pytest
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from groups.models import Role
from recommendations import services
from recommendations.models import Comment, Thread
from recommendations.selectors.review import thread_passages
from recommendations.views import review as review_views
from strategy import generations
from tests.factories import CoreTeamFactory, MembershipFactory, review_version

pytestmark = pytest.mark.django_db

BODY = "We recommend a global hub for advocacy.\n\nFunding follows the people.\n"


@pytest.fixture
def member(working_group, user_factory):
    person = user_factory(first_name="Mei", last_name="Lin")
    MembershipFactory(user=person, working_group=working_group, role=Role.COORDINATOR)
    return person


@pytest.fixture
def version(working_group, member):
    return review_version(working_group, member, body=BODY)


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    # A session's first request writes its idle limit (strategy/sessions.py); the query
    # counts measure the requests after it.
    client.get(reverse("workspace"))
    return client


def add_threads(version, count, *, quote=""):
    """`count` threads on `version`, each with an opening comment by its author."""
    threads = bulk_create_with_history(
        [
            Thread(version=version, quote=quote, quote_start=0 if quote else None)
            for _ in range(count)
        ],
        Thread,
    )
    author = version.created_by
    bulk_create_with_history(
        [
            Comment(thread=thread, author=author, body=f"Opening {index}")
            for index, thread in enumerate(threads)
        ],
        Comment,
    )
    # Written around the services' saves: said as a bulk write in a service would say it.
    generations.model_changed("recommendations.Thread")
    generations.model_changed("recommendations.Comment")
    return threads


def add_comments(thread, author, count, start=0):
    bulk_create_with_history(
        [
            Comment(thread=thread, author=author, body=f"Reply {index}")
            for index in range(start, start + count)
        ],
        Comment,
    )
    generations.model_changed("recommendations.Comment")


def replies_url(thread, before):
    url = reverse(
        "recommendations:thread_replies", args=[thread.version.recommendation_id, thread.pk]
    )
    return f"{url}?before={before.pk}"


def more_url(version, page):
    url = reverse("recommendations:version_threads", args=[version.recommendation_id, version.pk])
    return f"{url}?page={page}"


def test_200_threads_cost_the_version_page_what_10_cost(
    signed_in, version, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The page and the "More threads" fragment run the same queries at 30 and 200 threads,
    and show one page of them; once kept, the threads cost the page no query, and a
    change shows at once."""
    with django_capture_on_commit_callbacks(execute=True):
        add_threads(version, 30, quote="global hub")
    signed_in.get(version.get_absolute_url())
    # Kept: the threads' page, the passages they mark, the earlier versions' open ones,
    # the suggestions.
    with django_assert_num_queries(8) as page:
        signed_in.get(version.get_absolute_url())
    warm = len(page)  # now: the next request empties the connection's log
    with django_assert_num_queries(6) as fragment:
        signed_in.get(more_url(version, 2))
    fragment_queries = len(fragment)
    with django_capture_on_commit_callbacks(execute=True):
        add_threads(version, 170, quote="global hub")
    html = signed_in.get(version.get_absolute_url()).content.decode()
    with django_assert_num_queries(warm):
        signed_in.get(version.get_absolute_url())
    assert html.count('<article class="thread') == review_views.THREADS_PER_PAGE
    assert "More threads (20 of 200 shown)" in html
    with django_assert_num_queries(fragment_queries):
        html = signed_in.get(more_url(version, 2)).content.decode()
    assert html.count('<article class="thread') == review_views.THREADS_PER_PAGE
    assert "More threads (40 of 200 shown)" in html


def test_a_thread_of_1000_comments_costs_its_earlier_replies_what_one_of_10_costs(
    signed_in, version, member, django_assert_num_queries
):
    small = services.thread_start(version=version, user=member, body="Small thread")
    add_comments(small, member, 9)
    latest = small.comments.order_by("-created_at", "-pk").first()
    with django_assert_num_queries(6) as first:
        signed_in.get(replies_url(small, latest))
    large = services.thread_start(version=version, user=member, body="Large thread")
    add_comments(large, member, 999)
    latest = large.comments.order_by("-created_at", "-pk").first()
    with django_assert_num_queries(len(first) + 1):  # and how many remain before them
        html = signed_in.get(replies_url(large, latest)).content.decode()
    assert html.count('class="comment') == review_views.REPLIES_PER_FETCH


def test_earlier_replies_come_fifty_at_a_time_until_the_opening_comment(signed_in, version, member):
    """Following "show N earlier replies" from the version page brings every reply
    between the opening comment and the latest ones once, oldest first in each fragment,
    each fragment saying how many remain; the last says none."""
    thread = services.thread_start(version=version, user=member, body="Opening words")
    add_comments(thread, member, 120)
    html = signed_in.get(version.get_absolute_url()).content.decode()
    assert "Show 117 earlier replies" in html
    # Without script the link opens the thread's page where those replies end.
    assert f'href="{thread.get_absolute_url()}?page=3"' in html
    seen = re.findall(r"Reply (\d+)", html)
    assert seen == ["117", "118", "119"]
    fragment = re.search(r'data-fragment="([^"]+)"', html).group(1).replace("&amp;", "&")
    fetched = []
    while fragment:
        html = signed_in.get(fragment).content.decode()
        numbers = [int(number) for number in re.findall(r"Reply (\d+)", html)]
        assert numbers == sorted(numbers)
        fetched = numbers + fetched
        found = re.search(r'data-fragment="([^"]+)"', html)
        fragment = found.group(1).replace("&amp;", "&") if found else None
        if fragment:
            remaining = 117 - len(fetched)
            assert f"Show {remaining} earlier replies" in html
    assert fetched == list(range(117))
    assert "Opening words" not in html


def test_a_hidden_comment_stays_hidden_on_the_version_page_and_in_its_fragments(
    signed_in, version, member
):
    core_team = CoreTeamFactory()
    thread = services.thread_start(version=version, user=member, body="Opening words")
    add_comments(thread, member, 6)
    hidden = thread.comments.get(body="Reply 1")
    services.comment_hide(comment=hidden, user=core_team, reason="Off topic")
    shown = thread.comments.get(body="Reply 5")
    services.comment_hide(comment=shown, user=core_team, reason="Spam")
    page = signed_in.get(version.get_absolute_url()).content.decode()
    fragment = signed_in.get(replies_url(thread, thread.comments.get(body="Reply 3"))).content
    fragment = fragment.decode()
    assert "Reply 5" not in page
    assert "Hidden by the moderators: Spam" in page
    assert "Reply 1" not in fragment
    assert "Hidden by the moderators: Off topic" in fragment
    assert "Reply 2" in fragment
    assert "Reply 0" in fragment
    whole = signed_in.get(thread.get_absolute_url()).content.decode()
    assert "Reply 1" not in whole
    assert "Hidden by the moderators: Off topic" in whole


def test_earlier_replies_before_a_comment_of_another_thread_are_not_found(
    signed_in, version, member
):
    thread = services.thread_start(version=version, user=member, body="One")
    other = services.thread_start(version=version, user=member, body="Two")
    assert signed_in.get(replies_url(thread, other.comments.get())).status_code == 404
    url = reverse("recommendations:thread_replies", args=[version.recommendation_id, thread.pk])
    assert signed_in.get(f"{url}?before=x").status_code == 404


def test_without_a_comment_to_come_before_the_latest_replies_come(signed_in, version, member):
    thread = services.thread_start(version=version, user=member, body="Opening words")
    add_comments(thread, member, 60)
    url = reverse("recommendations:thread_replies", args=[version.recommendation_id, thread.pk])
    html = signed_in.get(url).content.decode()
    numbers = [int(number) for number in re.findall(r"Reply (\d+)", html)]
    assert numbers == list(range(10, 60))
    assert "Show 10 earlier replies" in html


def test_the_text_marks_a_bounded_number_of_passages(signed_in, version, monkeypatch):
    for word in ("We", "recommend", "global", "hub", "advocacy"):
        Thread.objects.create(version=version, quote=word, quote_start=BODY.index(word))
    assert len(thread_passages(version=version, limit=3)) == 4, "one more: there are more"
    monkeypatch.setattr(review_views, "PASSAGES_MARKED", 3)
    html = signed_in.get(version.get_absolute_url()).content.decode()
    assert html.count('<mark class="quoted">') == 3
    assert "The text marks the first 3 commented passages." in html
