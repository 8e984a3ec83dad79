"""What a version page keeps of its threads (views/review.py: their cards, how many there
are, the passages they mark, the open ones of earlier versions) shows every change at
once when it commits, is its own in each language, holds nothing of who reads it, and
costs the warm page the same queries whatever the number of threads."""

import pytest
from django.urls import reverse
from django.utils import translation

from groups.models import Role
from recommendations import services
from recommendations.services.feedback import comment_hide
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


def page(client, version, language="en") -> str:
    with translation.override(language):
        url = version.get_absolute_url()
    return client.get(url).content.decode()


def test_a_reply_an_edit_a_hidden_comment_and_a_resolution_show_at_once(
    client, member, version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(
            version=version, user=member, body="First words", quote="global hub"
        )
    client.force_login(member)
    html = page(client, version)
    assert "First words" in html
    assert "First words" in page(client, version), "kept"
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.comment_reply(thread=thread, user=member, body="A later reply")
    assert "A later reply" in page(client, version)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_edit(comment=reply, user=member, body="Better words")
    html = page(client, version)
    assert "Better words" in html
    assert "A later reply" not in html
    with django_capture_on_commit_callbacks(execute=True):
        comment_hide(comment=reply, user=CoreTeamFactory(), reason="Off topic")
    html = page(client, version)
    assert "Better words" not in html
    assert "Off topic" in html
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_resolve(thread=thread, user=member, outcome="answered", note="Done")
    html = page(client, version)
    assert "thread thread-resolved" in html


def test_an_authors_new_name_shows_at_once(
    client, member, version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_start(version=version, user=member, body="Signed words")
    client.force_login(member)
    assert "Mei Lin" in page(client, version)
    with django_capture_on_commit_callbacks(execute=True):
        member.first_name = "May"
        member.save()
    assert "May Lin" in page(client, version)


def test_each_language_has_its_own_threads(
    client, member, version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_start(version=version, user=member, body="Words", quote="global hub")
    client.force_login(member)
    english = page(client, version, "en")
    assert "On a passage" in english
    assert "Comment thread on this passage" in english
    with translation.override("zh-hans"):
        on_a_passage = translation.gettext("On a passage")
        marked = translation.gettext("Comment thread on this passage")
    assert on_a_passage != "On a passage"
    chinese = page(client, version, "zh-hans")
    assert on_a_passage in chinese
    assert marked in chinese
    assert "On a passage" in page(client, version, "en")


def test_no_one_elses_controls_are_kept(
    client, member, version, working_group, user_factory, django_capture_on_commit_callbacks
):
    """The kept cards are the same for whoever may see the version: no form, no token;
    the comment form of the page is each reader's own."""
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_start(version=version, user=member, body="Words")
    client.force_login(member)
    mine = page(client, version)
    other = user_factory()
    MembershipFactory(user=other, working_group=working_group, role=Role.MEMBER)
    client.force_login(other)
    theirs = page(client, version)
    token = 'name="csrfmiddlewaretoken" value="'
    assert mine.split(token)[1][:20] != theirs.split(token)[1][:20]
    cards = theirs[theirs.index('<div class="threads"') :]
    assert "csrfmiddlewaretoken" not in cards[: cards.index("</section>")]


def test_the_warm_page_costs_the_same_queries_at_one_and_thirty_threads(
    client, member, version, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_start(version=version, user=member, body="One", quote="global hub")
    client.force_login(member)
    client.get(reverse("workspace"))
    page(client, version)
    with django_assert_num_queries(8) as warm:
        page(client, version)
    queries = len(warm)  # now: the next request empties the connection's log
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(29):
            services.thread_start(version=version, user=member, body=f"Reply {index}")
    html = page(client, version)
    assert "30 threads on this version" in html
    with django_assert_num_queries(queries):
        page(client, version)
