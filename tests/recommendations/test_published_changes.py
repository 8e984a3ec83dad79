"""A published recommendation edited since says so, with a diff against what was published."""

import re

import pytest
from django.urls import reverse

from recommendations import selectors, services
from tests.factories import iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

CHANGED = "Published, with changes since"


def published(working_group, coordinator, *, revisions=1, **text):
    draft = make(working_group, coordinator, revisions=revisions, **text)
    services.recommendation_publish(recommendation=draft, user=coordinator, iteration=iteration())
    draft.refresh_from_db()
    return draft


def edit(recommendation, coordinator, body):
    return services.recommendation_update(
        recommendation=recommendation,
        user=coordinator,
        title=recommendation.title_en,
        summary=recommendation.summary_en,
        body=body,
        base_revision=selectors.revision_latest(recommendation=recommendation).history_id,
    )


def test_published_and_unchanged_says_published(coordinator_client, working_group, coordinator):
    recommendation = published(working_group, coordinator)
    for url in (reverse("workspace"), recommendation.get_absolute_url()):
        html = coordinator_client.get(url).content.decode()
        assert ">Published<" in html
        assert CHANGED not in html


def test_an_edit_after_publishing_shows_changes_since_with_the_diff(
    coordinator_client, working_group, coordinator
):
    recommendation = published(
        working_group, coordinator, revisions=3, body="Open minutes for every meeting.\n"
    )
    # Revisions 1 to 3 were edits, 4 the published text's state change; so the published
    # version froze revision 3.
    edit(recommendation, coordinator, "Open minutes for every meeting, in two languages.\n")
    for url in (reverse("workspace"), recommendation.get_absolute_url()):
        html = coordinator_client.get(url).content.decode()
        assert CHANGED in html
        link = re.search(r'href="([^"]*/diff/\?from=(\d+))"', html)
        assert link, html
        assert link.group(2) == "3"
    diff = coordinator_client.get(link.group(1)).content.decode()
    assert "Revision 3 against revision 5" in diff
    assert re.search(r"<ins>[^<]*in two languages", diff)


def test_editing_back_to_the_published_text_is_no_change(
    coordinator_client, working_group, coordinator
):
    recommendation = published(working_group, coordinator, body="Kept.\n")
    recommendation = edit(recommendation, coordinator, "Changed.\n")
    edit(recommendation, coordinator, "Kept.\n")
    html = coordinator_client.get(recommendation.get_absolute_url()).content.decode()
    assert CHANGED not in html


def test_the_detail_page_costs_the_same_at_2_and_40_revisions(
    coordinator_client, working_group, coordinator, django_assert_num_queries
):
    few = published(working_group, coordinator, revisions=2, title="Few")
    many = published(working_group, coordinator, revisions=40, title="Many")
    counts = []
    for recommendation in (few, many):
        edit(recommendation, coordinator, "Changed.\n")
        with django_assert_num_queries(20, exact=False) as queries:
            html = coordinator_client.get(recommendation.get_absolute_url()).content.decode()
        assert CHANGED in html
        counts.append(len(queries))
    assert counts[0] == counts[1]
