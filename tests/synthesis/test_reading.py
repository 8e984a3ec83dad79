"""Who reads what in the synthesis (docs/permissions.md, "Synthesis and community feedback"
and "read the working copy"): the synthesis group reads its own working copies and the
published versions of the sources, not the sources' working copies."""

import pytest
from django.urls import reverse

from recommendations import selectors, services
from recommendations.models import Input
from tests.factories import iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "community", "thematic_member", "writer", "connector", "reviewer", "core_team"]


def expect(table):
    return pytest.mark.parametrize(("who", "status"), list(zip(WHO, table, strict=True)))


def _edit(recommendation, user, title):
    return services.recommendation_update(
        recommendation=recommendation,
        user=user,
        title=title,
        summary="",
        body="Working text.\n",
        base_revision=selectors.revision_latest(recommendation=recommendation).history_id,
    )


@pytest.fixture
def source(working_group, user):
    """A thematic recommendation, published, then edited without publishing."""
    made = make(working_group, user, title="Published source")
    services.recommendation_publish(recommendation=made, user=user, iteration=iteration())
    made.refresh_from_db()
    return _edit(made, user, "Working source title")


@pytest.fixture
def synthesis_draft(synthesis_group, writer):
    return make(synthesis_group, writer, title="Synthesis draft", revisions=2)


@pytest.fixture
def published_synthesized(synthesis_group, writer, source):
    made = make(synthesis_group, writer, title="Published synthesized")
    services.source_link(synthesized=made, source_version=source.published_version, user=writer)
    services.recommendation_publish(recommendation=made, user=writer, iteration=iteration())
    made.refresh_from_db()
    return made


@expect([404, 404, 404, 200, 200, 200, 200])
def test_who_reads_a_synthesis_draft(as_, synthesis_draft, who, status):
    """The synthesis group's people (a connector too) and the core team; the queryset and
    the rule say the same."""
    client = as_(who)
    assert client.get(synthesis_draft.get_absolute_url()).status_code == status
    user = client.get(reverse("home")).wsgi_request.user
    assert user.has_perm("recommendations.read_working_copy", synthesis_draft) == (status == 200)


@expect([404, 404, 404, 200, 200, 200, 200])
def test_who_sees_the_history_of_a_synthesis_draft(as_, synthesis_draft, who, status):
    url = reverse("recommendations:history", args=[synthesis_draft.pk])
    assert as_(who).get(url).status_code == status


@expect([302, 302, 200, 302, 302, 302, 200])
def test_who_reads_the_working_copy_of_a_source(as_, source, who, status):
    """Synthesis writers work from the sources' published versions: their working copies
    are the thematic group's."""
    response = as_(who).get(source.get_absolute_url())
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == source.get_public_url()


@expect([302, 403, 403, 200, 200, 200, 200])
def test_who_sees_the_sources_of_a_published_synthesized_recommendation(
    as_, published_synthesized, who, status
):
    """The sources page shows the connectors' internal inputs: the synthesis group and the
    core team only, even once the synthesized recommendation is public."""
    url = reverse("synthesis:sources", args=[published_synthesized.pk])
    assert as_(who).get(url).status_code == status


def test_a_connectors_inputs_form_offers_what_they_may_read(
    client, connector, source, synthesis_draft, working_group_factory, user
):
    """Another group's draft is not offered, and posting its id is a form error, not an
    input on a draft the connector cannot open; a source is named as published."""
    elsewhere = make(working_group_factory(), user, title="Another group's draft")
    client.force_login(connector)
    response = client.get(reverse("synthesis:inputs"))
    choices = dict(response.context["form"].fields["recommendations"].choices)
    labels = " | ".join(str(label) for label in choices.values())
    assert "Published source" in labels
    assert "Working source title" not in labels
    assert "Synthesis draft" in labels
    assert "Another group's draft" not in labels
    answer = client.post(
        reverse("synthesis:inputs"),
        {"kind": "research", "title": "Sneaked in", "recommendations": [elsewhere.pk]},
    )
    assert answer.status_code in (200, 422)  # the form again, with its error
    assert "recommendations" in answer.context["form"].errors
    assert not Input.objects.exists()
    assert client.get(elsewhere.get_absolute_url()).status_code == 404


def test_the_overlaps_form_names_sources_as_published(client, writer, source):
    client.force_login(writer)
    html = client.get(reverse("synthesis:overlaps")).content.decode()
    assert "Published source" in html
    assert "Working source title" not in html


def test_public_coverage_names_only_published_synthesized_recommendations(
    client, writer, source, published_synthesized, synthesis_draft
):
    """Once the synthesis is public, a draft that reflects a source is not named, and the
    published one is named as published."""
    services.source_link(
        synthesized=synthesis_draft, source_version=source.published_version, user=writer
    )
    _edit(published_synthesized, writer, "Working synthesized title")
    for url in (reverse("synthesis:coverage"), reverse("synthesis:coverage_csv")):
        body = client.get(url).content.decode()
        assert "Published synthesized" in body
        assert "Working synthesized title" not in body
        assert "Synthesis draft" not in body
        assert "Working source title" not in body


def test_private_coverage_counts_drafts(client, writer, source, synthesis_draft):
    """Before the synthesis is public, the report is the synthesis group's: drafts count."""
    services.source_link(
        synthesized=synthesis_draft, source_version=source.published_version, user=writer
    )
    client.force_login(writer)
    response = client.get(reverse("synthesis:coverage"))
    assert response.context["reflected"] == 1
    assert "Synthesis draft" in response.content.decode()


def test_inputs_and_overlaps_queries_do_not_grow(client, connector, working_group_factory, user):
    """The inputs and overlaps pages cost the same with 2 and with 12 more recommendations."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(connector)
    client.get(reverse("synthesis:inputs"))  # the session's first request writes it
    counts = []
    for size in (2, 12):
        group = working_group_factory()
        made = []
        for index in range(size):
            recommendation = make(group, user, title=f"{group.slug} {index}")
            services.recommendation_publish(
                recommendation=recommendation, user=user, iteration=iteration()
            )
            made.append(recommendation)
        services.input_create(
            kind="research", title=f"Input {size}", recommendations=made, user=connector
        )
        services.overlap_create(members=made[:2], note=f"Overlap {size}", user=connector)
        for name in ("synthesis:inputs", "synthesis:overlaps"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:], counts


@pytest.mark.parametrize("name", ["synthesis:sources", "synthesis:coverage"])
def test_sources_and_coverage_queries_do_not_grow(
    client, writer, connector, synthesis_group, working_group_factory, user, name
):
    """The sources page and the public coverage report cost the same with 2 and with 12
    more sources, each with an input."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    synthesized = make(synthesis_group, writer, title="Synthesized")
    services.recommendation_publish(recommendation=synthesized, user=writer, iteration=iteration())
    client.force_login(writer)
    url = reverse(name, args=[synthesized.pk]) if name == "synthesis:sources" else reverse(name)
    client.get(url)  # the session's first request writes it
    counts = []
    for size in (2, 12):
        group = working_group_factory()
        for index in range(size):
            made = make(group, user, title=f"{group.slug} {index}")
            version = services.recommendation_publish(
                recommendation=made, user=user, iteration=iteration()
            )
            services.source_link(synthesized=synthesized, source_version=version, user=writer)
            services.input_create(
                kind="research", title=f"Input {index}", recommendations=[made], user=connector
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
