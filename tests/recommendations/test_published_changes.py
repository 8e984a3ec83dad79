"""A published recommendation edited since says so, with a diff against what was published."""

import re

import pytest
from django.urls import reverse

from groups.models import Role
from recommendations import selectors, services
from tests.factories import MembershipFactory, iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

CHANGED = "Published, with changes since"


@pytest.fixture
def member(working_group, user_factory):
    person = user_factory()
    MembershipFactory(user=person, working_group=working_group, role=Role.COORDINATOR)
    return person


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    client.get(reverse("workspace"))  # the session's first request writes its idle limit
    return client


def published(working_group, member, *, revisions=1, **text):
    draft = make(working_group, member, revisions=revisions, **text)
    services.recommendation_publish(recommendation=draft, user=member, iteration=iteration())
    draft.refresh_from_db()
    return draft


def edit(recommendation, member, body):
    return services.recommendation_update(
        recommendation=recommendation,
        user=member,
        title=recommendation.title_en,
        summary=recommendation.summary_en,
        body=body,
        base_revision=selectors.revision_latest(recommendation=recommendation).history_id,
    )


def test_published_and_unchanged_says_published(member_client, working_group, member):
    recommendation = published(working_group, member)
    for url in (reverse("workspace"), recommendation.get_absolute_url()):
        html = member_client.get(url).content.decode()
        assert ">Published<" in html
        assert CHANGED not in html


def test_an_edit_after_publishing_shows_changes_since_with_the_diff(
    member_client, working_group, member
):
    recommendation = published(
        working_group, member, revisions=3, body="Open minutes for every meeting.\n"
    )
    # Revisions 1 to 3 were edits, 4 the published text's state change; so the published
    # version froze revision 3.
    edit(recommendation, member, "Open minutes for every meeting, in two languages.\n")
    for url in (reverse("workspace"), recommendation.get_absolute_url()):
        html = member_client.get(url).content.decode()
        assert CHANGED in html
        link = re.search(r'href="([^"]*/diff/\?from=(\d+))"', html)
        assert link, html
        assert link.group(2) == "3"
    diff = member_client.get(link.group(1)).content.decode()
    assert "Revision 3 against revision 5" in diff
    assert re.search(r"<ins>[^<]*in two languages", diff)


def test_editing_back_to_the_published_text_is_no_change(member_client, working_group, member):
    recommendation = published(working_group, member, body="Kept.\n")
    recommendation = edit(recommendation, member, "Changed.\n")
    edit(recommendation, member, "Kept.\n")
    html = member_client.get(recommendation.get_absolute_url()).content.decode()
    assert CHANGED not in html


def test_the_detail_page_costs_the_same_at_2_and_40_revisions(
    member_client, working_group, member, django_assert_num_queries
):
    few = published(working_group, member, revisions=2, title="Few")
    many = published(working_group, member, revisions=40, title="Many")
    counts = []
    for recommendation in (few, many):
        edit(recommendation, member, "Changed.\n")
        with django_assert_num_queries(20, exact=False) as queries:
            html = member_client.get(recommendation.get_absolute_url()).content.decode()
        assert CHANGED in html
        counts.append(len(queries))
    assert counts[0] == counts[1]
