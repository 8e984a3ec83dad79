"""The triage form (under /workspace/, never on the public thread page) offers the
revisions since the feedback to choose from: number, author, time, and where the reader may
read the working copy, the summary and the changed words; not a number to type that
connectors could not look up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import selectors, services
from tests.factories import CoreTeamFactory, iteration
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db

NEW_WORDS = "in two languages"


def edit(recommendation, user, body, summary="Reworded"):
    return services.recommendation_update(
        recommendation=recommendation,
        user=user,
        title=recommendation.title_en,
        summary=recommendation.summary_en,
        body=body,
        edit_summary=summary,
        base_revision=selectors.revision_latest(recommendation=recommendation).history_id,
    )


def published_with_feedback(group, user):
    made = make(group, user, title="Open minutes", body="Open minutes.\n")
    made = publish(made, user, iteration("second-iteration"))
    thread = services.feedback_start(version=made.published_version, user=user, body="Translate?")
    return made, thread


def triage_page(client, thread):
    return client.get(reverse("feedback:triage", args=[thread.pk])).content.decode()


def test_a_connector_chooses_among_the_synthesis_revisions_with_a_preview(
    client, synthesis_group, writer, connector
):
    recommendation, thread = published_with_feedback(synthesis_group, writer)
    edit(recommendation, writer, f"Open minutes, {NEW_WORDS}.\n", summary="Translations")
    client.force_login(connector)
    html = triage_page(client, thread)
    number = selectors.revision_count(recommendation=recommendation)
    assert f"#{number} · Wanjiru Kamau" in html
    assert "Translations" in html
    # Only the changed words ("Open" is the same in both), against the revision before.
    assert (
        '<span class="diff-preview" dir="auto"><del>minutes.</del> '
        f"<ins>minutes, {NEW_WORDS}.</ins></span>"
    ) in html
    assert 'name="revision"' in html
    assert 'name="revision" type="number"' not in html


def test_a_connector_sees_no_words_of_a_thematic_groups_working_copy(
    client, working_group, user, connector
):
    """Connectors do not read a thematic group's working copy (reading.py): the revisions
    are listed by number, author and time, without their summary or changed words."""
    recommendation, thread = published_with_feedback(working_group, user)
    edit(recommendation, user, f"Open minutes, {NEW_WORDS}.\n", summary="Secret summary")
    client.force_login(connector)
    html = triage_page(client, thread)
    number = selectors.revision_count(recommendation=recommendation)
    assert f"#{number} · {user.display_name}" in html
    assert NEW_WORDS not in html
    assert "Secret summary" not in html


def test_the_triage_records_the_chosen_revision(client, synthesis_group, writer, connector):
    recommendation, thread = published_with_feedback(synthesis_group, writer)
    edit(recommendation, writer, f"Open minutes, {NEW_WORDS}.\n")
    chosen = selectors.revision_latest(recommendation=recommendation)
    edit(recommendation, writer, f"Open minutes, {NEW_WORDS}. Later.\n")
    client.force_login(connector)
    response = client.post(
        reverse("feedback:triage", args=[thread.pk]),
        {"outcome": "incorporated", "note": "Done.", "revision": chosen.history_id},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == "resolved"
    assert thread.outcome_revision_id == chosen.history_id


@pytest.mark.parametrize("value", ["999999999", "abc", "", "-1"])
def test_a_bad_revision_is_a_form_error(client, synthesis_group, writer, connector, value):
    recommendation, thread = published_with_feedback(synthesis_group, writer)
    edit(recommendation, writer, f"Open minutes, {NEW_WORDS}.\n")
    client.force_login(connector)
    response = client.post(
        reverse("feedback:triage", args=[thread.pk]),
        {"outcome": "incorporated", "note": "Done.", "revision": value},
    )
    assert response.status_code == 422
    errors = response.context["form"].errors.as_data()["revision"]
    assert errors[0].code in ("invalid_choice", "revision_required")
    thread.refresh_from_db()
    assert thread.status == "open"


def test_another_recommendations_revision_is_a_form_error(
    client, synthesis_group, writer, connector
):
    recommendation, thread = published_with_feedback(synthesis_group, writer)
    edit(recommendation, writer, "Open minutes, later.\n")
    other = make(synthesis_group, writer, title="Other", body="Other.\n")
    foreign = selectors.revision_latest(recommendation=other)
    client.force_login(connector)
    response = client.post(
        reverse("feedback:triage", args=[thread.pk]),
        {"outcome": "incorporated", "note": "Done.", "revision": foreign.history_id},
    )
    assert response.status_code == 422
    assert response.context["form"].errors.as_data()["revision"][0].code == ("invalid_choice")
    thread.refresh_from_db()
    assert thread.outcome_revision_id is None


def test_only_revisions_since_the_feedback_are_offered(client, synthesis_group, writer):
    recommendation, thread = published_with_feedback(synthesis_group, writer)
    before = selectors.revision_latest(recommendation=recommendation)
    edit(recommendation, writer, "Open minutes, later.\n")
    client.force_login(CoreTeamFactory())
    html = triage_page(client, thread)
    assert f'value="{before.history_id}"' not in html
    latest = selectors.revision_latest(recommendation=recommendation)
    assert f'value="{latest.history_id}"' in html


def test_the_triage_page_queries_do_not_grow_with_the_revisions(
    client, synthesis_group, writer, connector
):
    counts, offered = [], []
    for size in (3, 20):
        recommendation, thread = published_with_feedback(synthesis_group, writer)
        for index in range(size):
            edit(recommendation, writer, f"Open minutes, change {index}.\n")
        client.force_login(connector)
        triage_page(client, thread)  # what the site caches for every page, out of the count
        with CaptureQueriesContext(connection) as queries:
            html = triage_page(client, thread)
        counts.append(len(queries))
        offered.append(html.count('name="revision"'))
    assert offered == [3, 20]
    assert counts[0] == counts[1], counts


def test_the_public_pages_say_nothing_of_the_unpublished_words(
    client, synthesis_group, writer, connector
):
    recommendation, thread = published_with_feedback(synthesis_group, writer)
    edit(recommendation, writer, f"Open minutes, {NEW_WORDS}.\n")
    chosen = selectors.revision_latest(recommendation=recommendation)
    client.force_login(connector)
    client.post(
        reverse("feedback:triage", args=[thread.pk]),
        {"outcome": "incorporated", "note": "Translated.", "revision": chosen.history_id},
    )
    client.logout()
    for url in (
        recommendation.get_public_url(),
        reverse("public:feedback_thread", args=[thread.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Accepted: it will be in the next published version" in html, url
        assert NEW_WORDS not in html, url
