import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from groups.models import Role
from recommendations import services
from recommendations.models import Comment
from strategy import fragments, generations
from tests.factories import MembershipFactory, review_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(working_group, user_factory):
    person = user_factory(first_name="Mei", last_name="Lin")
    MembershipFactory(user=person, working_group=working_group, role=Role.COORDINATOR)
    return person


@pytest.fixture
def version(working_group, member):
    return review_version(
        working_group,
        member,
        body="We recommend a global hub for advocacy.\n\nFunding follows the people.\n",
    )


def add_comments(thread, author, count):
    bulk_create_with_history(
        [Comment(thread=thread, author=author, body=f"Reply {index}") for index in range(count)],
        Comment,
    )
    # Written around the services' saves: said as a bulk write in a service would say it.
    generations.model_changed("recommendations.Comment")


@pytest.mark.parametrize("page", ["version", "thread"])
def test_a_thread_of_1000_comments_costs_what_one_of_10_costs(
    client,
    member,
    version,
    django_assert_num_queries,
    page,
    user_factory,
    django_capture_on_commit_callbacks,
):
    """The version page and the thread page run the same queries at 10 and 1,000 comments,
    and show a bounded number of them."""
    small = services.thread_start(version=version, user=member, body="Small thread")
    add_comments(small, member, 9)
    client.force_login(member)
    # A session's first request writes its idle limit (strategy/sessions.py); the query
    # counts measure the requests after it.
    client.get(reverse("workspace"))
    url = version.get_absolute_url() if page == "version" else small.get_absolute_url()
    # 2 of them the header's kept count of what needs the coordinator (what it is kept by:
    # strategy/needs_me.py), 3 the suggestions (their list, their counts by state, and the
    # open ones of earlier versions).
    with django_assert_num_queries(16 if page == "version" else 8):
        client.get(url)
    # Kept (views/review.py, views/suggestions.py): the version's threads, the passages
    # they mark, the earlier versions' open ones, the suggestions.
    with django_assert_num_queries(8) as first:
        client.get(url)
    warm = len(first)  # now: the next request empties the connection's log
    with django_capture_on_commit_callbacks(execute=True):
        large = services.thread_start(version=version, user=member, body="Large thread")
        add_comments(large, user_factory(), 999)
    url = version.get_absolute_url() if page == "version" else large.get_absolute_url()
    response = client.get(url)
    with django_assert_num_queries(warm):
        client.get(url)
    html = response.content.decode()
    assert html.count('class="comment') <= 60
    if page == "version":
        assert "996 earlier replies" in html
        assert "Reply 998" in html
    else:
        assert "Page 1 of 20" in html


@pytest.mark.parametrize("page", ["version", "thread"])
def test_a_review_page_asks_the_memberships_and_the_visibility_once(
    client, member, version, django_assert_num_queries, page
):
    """Roles are read once per request (groups/predicates.py), and the version fetched
    under the visibility rule is not asked about again by the permission checks."""
    thread = services.thread_start(version=version, user=member, body="A question")
    client.force_login(member)
    client.get(reverse("workspace"))
    url = version.get_absolute_url() if page == "version" else thread.get_absolute_url()
    fragments.forget()  # roles are kept too
    with django_assert_num_queries(20 if page == "version" else 13, exact=False) as queries:
        assert client.get(url).status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    assert sum(sql.startswith('SELECT "groups_membership".') for sql in statements) == 1
    visibility = [
        sql
        for sql in statements
        if sql.startswith('SELECT 1 AS "a" FROM "recommendations_version"')
    ]
    # The version page fetched its version under the rule; the thread page asks it once.
    assert len(visibility) == (0 if page == "version" else 1)
    user_rows = [
        sql for sql in statements if 'FROM "strategy_user" WHERE "strategy_user"."id"' in sql
    ]
    assert len(user_rows) == 1, "only the session's user; the version's author comes with it"


def test_the_version_page_shows_the_frozen_text_and_its_threads(client, member, version):
    thread = services.thread_start(
        version=version, user=member, body="Why global?", quote="global hub"
    )
    client.force_login(member)
    html = client.get(version.get_absolute_url()).content.decode()
    # The commented passage is marked in the text, a link to its thread (no script needed).
    assert (
        f'We recommend a <mark class="quoted"><a href="{thread.get_absolute_url()}" '
        'title="Comment thread on this passage">global hub</a></mark> for advocacy.'
    ) in html
    assert '<blockquote dir="auto">global hub</blockquote>' in html
    assert "Why global?" in html


@pytest.mark.parametrize("quote", ["ho", "ecommend", "global h", " ", "."])
def test_a_quote_of_less_than_a_whole_word_is_refused(client, member, version, quote):
    """The probe: an accidental drag opened a thread quoting "ho"."""
    client.force_login(member)
    response = client.post(
        reverse("recommendations:thread_create", args=[version.recommendation_id, version.pk]),
        {"quote": quote, "body": "My careful comment"},
    )
    if not quote.strip():
        # An empty passage is a comment on the whole.
        assert response.status_code == 302
        return
    assert response.status_code == 422
    html = response.content.decode()
    assert "Quote at least one whole word" in html or "not in this version" in html
    assert "My careful comment" in html
    assert not version.threads.exists()


def test_the_passages_marked_cost_the_same_queries_for_1_and_20_threads(
    client, member, version, django_assert_num_queries, django_capture_on_commit_callbacks
):
    services.thread_start(version=version, user=member, body="One", quote="global hub")
    client.force_login(member)
    client.get(reverse("workspace"))
    with django_assert_num_queries(16):
        client.get(version.get_absolute_url())
    with django_assert_num_queries(8) as first:
        client.get(version.get_absolute_url())
    warm = len(first)  # now: the next request empties the connection's log
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(19):
            services.thread_start(version=version, user=member, body=f"{index}", quote="people")
    html = client.get(version.get_absolute_url()).content.decode()
    with django_assert_num_queries(warm):
        client.get(version.get_absolute_url())
    assert html.count('<mark class="quoted">') == 2


def test_a_quote_not_in_the_text_says_so_and_keeps_the_comment(client, member, version):
    client.force_login(member)
    response = client.post(
        reverse("recommendations:thread_create", args=[version.recommendation_id, version.pk]),
        {"quote": "a regional hub", "body": "My careful comment"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "not in this version" in html
    assert "My careful comment" in html
    assert not version.threads.exists()


def test_a_newer_version_shows_earlier_open_threads_found_again(client, member, working_group):
    version = review_version(
        working_group,
        member,
        body="We recommend a global hub for advocacy.\n\nFunding follows the people, always."
        "\n\nEvery region gets staff.\n\nA third paragraph stays.\n",
    )
    recommendation = version.recommendation
    kept = services.thread_start(
        version=version, user=member, body="On the hub", quote="global hub for advocacy"
    )
    moved = services.thread_start(
        version=version, user=member, body="On funding", quote="follows the people"
    )
    gone = services.thread_start(
        version=version, user=member, body="On staff", quote="Every region gets staff"
    )
    closed = services.thread_start(version=version, user=member, body="Closed one")
    services.thread_resolve(thread=closed, user=member, outcome="answered")
    services.recommendation_update(
        recommendation=recommendation,
        user=member,
        title=recommendation.title_en,
        summary=recommendation.summary_en,
        body="We recommend a global hub for advocacy.\n\nA third paragraph stays.\n\nWhen "
        "money is short, funding follows the people, as it must.\n",
        base_revision=recommendation.history.first().history_id,
    )
    newer = services.recommendation_submit_for_review(
        recommendation=recommendation, user=member, name="Review 2"
    )
    client.force_login(member)
    html = client.get(newer.get_absolute_url()).content.decode()
    section = html[html.index("Open threads from earlier versions") :]
    assert "From Review 1" in section
    for thread, state in ((kept, "still anchored"), (gone, "orphaned"), (moved, "moved")):
        card = section[section.index(f'id="thread-{thread.pk}"') :]
        card = card[: card.index("</article>")]
        assert state in card, thread.quote
    assert f'id="thread-{closed.pk}"' not in section


def test_reviewer_inbox_lists_overdue_first(client, version, user_factory, member):
    reviewer = user_factory()
    today = timezone.localdate()
    later = services.assignment_create(
        version=version, reviewer=reviewer, assigned_by=member, due_on=today + timedelta(days=9)
    )
    overdue = services.assignment_create(
        version=version, reviewer=reviewer, assigned_by=member, due_on=today - timedelta(days=2)
    )
    soon = services.assignment_create(
        version=version, reviewer=reviewer, assigned_by=member, due_on=today + timedelta(days=1)
    )
    done = services.assignment_create(
        version=version, reviewer=reviewer, assigned_by=member, due_on=today - timedelta(days=30)
    )
    services.assignment_complete(assignment=done, user=reviewer)
    client.force_login(reviewer)
    response = client.get(reverse("reviews"))
    order = [assignment.pk for assignment in response.context["assignments"]]
    assert order == [overdue.pk, soon.pk, later.pk, done.pk]
    assert "overdue" in response.content.decode()


def test_outcomes_page_lists_what_was_said_and_done(client, member, version):
    thread = services.thread_start(version=version, user=member, body="Too long.")
    services.thread_resolve(
        thread=thread, user=member, outcome="declined", note="The length is needed."
    )
    open_one = services.thread_start(version=version, user=member, body="Typo here.")
    client.force_login(member)
    html = client.get(
        reverse("recommendations:outcomes", args=[version.recommendation_id, version.pk])
    ).content.decode()
    assert "Too long." in html
    assert "Declined" in html
    assert "The length is needed." in html
    assert "Typo here." in html
    assert "Not resolved yet" in html
    assert open_one.status == "open"


def test_assignment_form_refuses_a_past_date(client, member, version, user_factory):
    reviewer = user_factory()
    MembershipFactory(
        user=reviewer, working_group=version.recommendation.working_group, role=Role.REVIEWER
    )
    client.force_login(member)
    response = client.post(
        reverse("recommendations:assign", args=[version.recommendation_id, version.pk]),
        {"reviewer": reviewer.pk, "due_on": date(2001, 1, 1), "cadence": "once"},
        follow=True,
    )
    assert "The due date is in the past." in response.content.decode()
    assert not version.assignments.exists()


@pytest.mark.parametrize(
    ("language", "shown", "hint"),
    [
        ("en", "Dec. 10, 2031", "(a day: pick it in the calendar)"),
        (
            "zh-hans",
            "2031\u5e7412\u670810\u65e5",
            "(\u65e5\u671f:\u5728\u65e5\u5386\u4e2d\u9009\u62e9)",
        ),
    ],
)
def test_due_dates_are_shown_in_the_readers_language(
    client, member, version, user_factory, language, shown, hint
):
    """The reviewer's inbox and the version page show a due date in the page language's
    format; ISO appears only where machines read it (the datetime attribute). The assignment
    form's date input says what it takes."""
    reviewer = user_factory(first_name="Rania", last_name="Haddad")
    MembershipFactory(
        user=reviewer, working_group=version.recommendation.working_group, role=Role.REVIEWER
    )
    services.assignment_create(
        version=version, reviewer=reviewer, assigned_by=member, due_on=date(2031, 12, 10)
    )
    pages = []
    with translation.override(language):
        client.force_login(reviewer)
        pages.append(client.get(reverse("reviews")).content.decode())
        client.force_login(member)
        pages.append(client.get(version.get_absolute_url()).content.decode())
    for html in pages:
        assert f'lang="{language}"' in html
        assert shown in html
        assert "2031-12-10" not in re.sub(r'datetime="[^"]*"', "", html)
    assert hint in pages[1]


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "Dec. 10, 2031"), ("zh-hans", "2031\u5e7412\u670810\u65e5")]
)
def test_the_assignment_message_gives_the_due_date_in_the_readers_language(
    client, member, version, user_factory, language, shown
):
    """After assigning a review, the message names the due date as the page's language
    writes it, not as ISO."""
    reviewer = user_factory(first_name="Rania", last_name="Haddad")
    MembershipFactory(
        user=reviewer, working_group=version.recommendation.working_group, role=Role.REVIEWER
    )
    client.force_login(member)
    with translation.override(language):
        url = reverse("recommendations:assign", args=[version.recommendation_id, version.pk])
    response = client.post(
        url,
        {"reviewer": reviewer.pk, "due_on": "2031-12-10", "cadence": "once"},
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any(shown in message for message in messages), messages
    assert not any("2031-12-10" in message for message in messages)
