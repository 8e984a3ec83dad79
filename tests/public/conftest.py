import pytest

from recommendations import services
from tests.factories import iteration
from tests.factories import recommendation as make


@pytest.fixture
def iterations(db):
    first = iteration("first-draft", "First draft, August 2019")
    first.position = 1
    first.save()
    second = iteration("second-iteration", "Second iteration, September 2019")
    second.position = 2
    second.save()
    return first, second


def listed(page) -> list:
    """The versions a page of the public list shows (its rows are rendered: public/listing.py),
    in its order."""
    from public.api.pagination import in_order
    from recommendations.models import Version

    versions = Version.objects.select_related("revision", "recommendation")
    return in_order(versions, [row["version_id"] for row in page])


def publish(recommendation, user, iteration_, **text):
    if text:
        from recommendations import selectors

        current = services.source_text(recommendation)
        services.recommendation_update(
            recommendation=recommendation,
            user=user,
            **{**current, **text},
            base_revision=selectors.revision_latest(recommendation=recommendation).history_id,
        )
    services.recommendation_publish(recommendation=recommendation, user=user, iteration=iteration_)
    recommendation.refresh_from_db()
    return recommendation


@pytest.fixture
def published(working_group, user, iterations):
    """Two published recommendations (one changed between iterations), one draft."""
    first, second = iterations
    hub = make(
        working_group,
        user,
        title="Advocacy hub",
        body="We recommend a global hub.\n\nIt coordinates campaigns.\n",
    )
    publish(hub, user, first)
    publish(
        hub,
        user,
        second,
        body="We recommend a regional hub.\n\nIt coordinates "
        "campaigns.\n\nEach region hires one person.\n",
    )
    minutes = make(
        working_group, user, title="Open minutes", body="Every meeting publishes minutes.\n"
    )
    publish(minutes, user, second)
    draft = make(working_group, user, title="Secret draft", body="Confidential wording.\n")
    return {"hub": hub, "minutes": minutes, "draft": draft}
