"""Every public place that names a recommendation names its published version, never the
working copy edited since (docs/permissions.md, "read the published version")."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import WorkingGroup
from public.caching import forget_local
from recommendations import selectors, services
from tests.factories import UserFactory, iteration
from tests.factories import recommendation as make

from .conftest import publish

pytestmark = pytest.mark.django_db

WORKING = "Unpublished wording"


def _edit(recommendation, user):
    recommendation.refresh_from_db()
    services.recommendation_update(
        recommendation=recommendation,
        user=user,
        title=f"{WORKING} title",
        summary=f"{WORKING} summary",
        body=f"{WORKING} body.\n",
        base_revision=selectors.revision_latest(recommendation=recommendation).history_id,
    )


@pytest.fixture
def edited(published, user):
    """The hub, published in two iterations, then edited without publishing."""
    _edit(published["hub"], user)
    return published["hub"]


def test_the_list_and_its_search_name_the_published_version(client, edited, working_group):
    html = client.get(reverse("public:list"), {"group": working_group.slug}).content.decode()
    assert "Advocacy hub" in html
    assert WORKING not in html


def test_the_compare_page_title_is_the_published_title(client, edited):
    url = reverse("public:compare", args=[edited.working_group.slug, edited.number])
    html = client.get(url).content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Advocacy hub" in title
    assert WORKING not in html


def test_the_feedback_thread_names_the_version_commented_on(client, published, user):
    hub = published["hub"]
    thread = services.feedback_start(version=hub.published_version, user=user, body="Good.")
    _edit(hub, user)
    html = client.get(reverse("public:feedback_thread", args=[thread.pk])).content.decode()
    assert "Advocacy hub" in html
    assert WORKING not in html


def test_reflected_in_names_the_published_synthesized_recommendation(client, published, user):
    synthesis = WorkingGroup.objects.create(
        name_en="Synthesis", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
    )
    hub = published["hub"]
    synthesized = make(synthesis, user, title="Invest in hubs")
    services.source_link(synthesized=synthesized, source_version=hub.published_version, user=user)
    services.recommendation_publish(
        recommendation=synthesized, user=user, iteration=iteration("synthesis-2020")
    )
    _edit(synthesized, user)
    html = client.get(hub.get_public_url()).content.decode()
    assert "Reflected in" in html
    assert "Invest in hubs" in html
    assert WORKING not in html


def test_a_translator_gets_404_on_a_withdrawn_recommendation(client, published, user):
    """Translators translate what the public reads; a withdrawn recommendation has none."""
    hub = published["hub"]
    translator = UserFactory()
    translator.user_permissions.add(Permission.objects.get(codename="translate_recommendation"))
    client.force_login(translator)
    url = reverse("translations:edit", args=[hub.pk, "fr"])
    assert client.get(url).status_code == 200
    services.recommendation_withdraw(recommendation=hub, user=user, reason="Superseded.")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["list", "detail", "compare", "feedback"])
def test_public_pages_cost_the_same_with_more_recommendations(
    client, working_group, user, iterations, name
):
    """The pages that name published versions read them in a fixed number of queries."""
    first, second = iterations
    counts = []
    for size in (2, 12):
        made = []
        for index in range(size):
            recommendation = make(working_group, user, title=f"Number {size}-{index}")
            publish(recommendation, user, first)
            publish(recommendation, user, second, body=f"Changed {index}.\n")
            _edit(recommendation, user)
            made.append(recommendation)
        thread = services.feedback_start(
            version=made[0].published_version, user=UserFactory(), body="A remark."
        )
        for _ in range(size):
            services.feedback_reply(thread=thread, user=UserFactory(), body="Me too.")
        url = {
            "list": reverse("public:list") + f"?group={working_group.slug}",
            "detail": made[0].get_public_url(),
            "compare": reverse("public:compare", args=[working_group.slug, made[0].number]),
            "feedback": reverse("public:feedback_thread", args=[thread.pk]),
        }[name]
        # Measured as built, not as cached.
        cache.clear()
        forget_local()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert WORKING not in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
