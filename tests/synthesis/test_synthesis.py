import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import Role
from recommendations import services
from recommendations.selectors import synthesis as selectors
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory
from tests.factories import recommendation as make
from tests.synthesis.conftest import published_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(working_group_factory, synthesis_group, writer, user):
    groups = [working_group_factory() for _ in range(2)]
    versions = published_sources(groups, 3, user)
    synthesized = make(synthesis_group, writer, title="Invest in skills")
    return {"groups": groups, "versions": versions, "synthesized": synthesized}


def test_linking_sources_records_the_note_and_moves_the_coverage(setting, writer):
    versions, synthesized = setting["versions"], setting["synthesized"]
    before = selectors.coverage(public=False)
    assert sum(group.reflected for group in before) == 0
    assert {row.fate for group in before for row in group.rows} == {"undecided"}
    services.source_link(
        synthesized=synthesized,
        source_version=versions[0],
        user=writer,
        note="Its training part is taken whole.",
    )
    services.source_link(synthesized=synthesized, source_version=versions[3], user=writer)
    other = make(synthesized.working_group, writer, title="Equity in decisions")
    services.source_link(synthesized=other, source_version=versions[3], user=writer)
    services.source_fate_set(
        source=versions[5].recommendation,
        fate="left_out",
        user=writer,
        reason="Out of the movement's reach for now.",
    )
    rows = {row.source.pk: row for group in selectors.coverage(public=False) for row in group.rows}
    assert rows[versions[0].recommendation_id].fate == "merged"
    assert rows[versions[3].recommendation_id].fate == "split"
    assert rows[versions[5].recommendation_id].fate == "left_out"
    assert rows[versions[5].recommendation_id].reason == "Out of the movement's reach for now."
    assert rows[versions[1].recommendation_id].fate == "undecided"
    first_group = selectors.coverage(public=False)[0]
    assert (first_group.reflected, len(first_group.rows), first_group.percent) == (1, 3, 33)


def test_sources_must_be_published_thematic_and_linked_once(setting, writer, user):
    synthesized, version = setting["synthesized"], setting["versions"][0]
    services.source_link(synthesized=synthesized, source_version=version, user=writer)
    with pytest.raises(ValidationError, match="linked already"):
        services.source_link(synthesized=synthesized, source_version=version, user=writer)
    with pytest.raises(ValidationError, match="Only a synthesized"):
        services.source_link(
            synthesized=version.recommendation, source_version=version, user=writer
        )
    review = services.recommendation_submit_for_review(
        recommendation=setting["versions"][1].recommendation, user=user, name="R"
    )
    with pytest.raises(ValidationError, match="published recommendation"):
        services.source_link(synthesized=synthesized, source_version=review, user=writer)
    with pytest.raises(ValidationError, match="Say why"):
        services.source_fate_set(
            source=version.recommendation, fate="left_out", reason=" ", user=writer
        )


def test_overlaps_need_two_and_a_note(setting, writer):
    first, second = (v.recommendation for v in setting["versions"][:2])
    with pytest.raises(ValidationError, match="two recommendations or more"):
        services.overlap_create(members=[first], note="x", user=writer)
    with pytest.raises(ValidationError, match="how they overlap"):
        services.overlap_create(members=[first, second], note=" ", user=writer)
    cluster = services.overlap_create(
        members=[first, second], note="Both fund training.", user=writer
    )
    assert set(cluster.members.all()) == {first, second}


def test_writers_see_the_inputs_of_every_source(setting, writer, connector):
    synthesized, version = setting["synthesized"], setting["versions"][0]
    services.source_link(synthesized=synthesized, source_version=version, user=writer)
    services.input_create(
        kind="feasibility",
        title="Cost of training hubs",
        user=connector,
        recommendations=[version.recommendation],
        text="About 2 FTE.",
    )
    services.input_create(
        kind="research",
        title="Unrelated",
        user=connector,
        recommendations=[setting["versions"][4].recommendation],
    )
    titles = [i.title for i in selectors.inputs_for(recommendation=synthesized, user=writer)]
    assert titles == ["Cost of training hubs"]


def test_coverage_of_89_sources_in_nine_groups_runs_two_queries(
    working_group_factory, synthesis_group, writer, user, django_assert_num_queries
):
    """The coverage report is right for 89 sources across nine groups, and its query
    count does not grow with the number of sources."""
    groups = [working_group_factory() for _ in range(9)]
    versions = published_sources(groups[:1], 2, user)
    with django_assert_num_queries(2):
        assert sum(len(g.rows) for g in selectors.coverage(public=False)) == 2
    versions += published_sources(groups[1:8], 11, user) + published_sources(groups[8:], 10, user)
    synthesized = [make(synthesis_group, writer, title=f"S{i}") for i in range(13)]
    for index, version in enumerate(versions):
        services.source_link(
            synthesized=synthesized[index % 13], source_version=version, user=writer
        )
    with django_assert_num_queries(2):
        report = selectors.coverage(public=False)
    assert sum(len(group.rows) for group in report) == 89
    assert sum(group.reflected for group in report) == 89
    assert len(report) == 9


def test_coverage_totals_agree_with_the_report(
    working_group_factory, synthesis_group, writer, user, django_assert_num_queries
):
    """The dashboard's two numbers, counted by the database, are the report's sums: a
    source split into two counts once, a source left out without a link not at all."""
    versions = published_sources([working_group_factory() for _ in range(2)], 3, user)
    first, second = (make(synthesis_group, writer, title=f"S{i}") for i in range(2))
    for synthesized in (first, second):
        services.source_link(synthesized=synthesized, source_version=versions[0], user=writer)
    services.source_link(synthesized=first, source_version=versions[4], user=writer)
    services.source_fate_set(
        source=versions[2].recommendation, fate="left_out", reason="Out of scope", user=writer
    )
    with django_assert_num_queries(1):
        totals = selectors.coverage_totals(public=False)
    report = selectors.coverage(public=False)
    assert totals == {"total": 6, "reflected": 2}
    assert totals["total"] == sum(len(group.rows) for group in report)
    assert totals["reflected"] == sum(group.reflected for group in report)


@pytest.mark.parametrize(
    ("who", "can_link", "can_map", "can_add_input", "can_see"),
    [
        ("writer", True, True, False, True),
        ("connector", False, True, True, True),
        ("reviewer", False, False, False, True),
        ("thematic_member", False, False, False, False),
        ("core_team", True, True, True, True),
    ],
)
def test_who_does_what_in_the_synthesis(
    client, setting, synthesis_group, working_group, who, can_link, can_map, can_add_input, can_see
):
    if who == "core_team":
        person = CoreTeamFactory()
    else:
        person = UserFactory()
        group = working_group if who == "thematic_member" else synthesis_group
        role = Role.MEMBER if who == "thematic_member" else Role(who)
        MembershipFactory(user=person, working_group=group, role=role)
    client.force_login(person)
    synthesized, version = setting["synthesized"], setting["versions"][0]
    link = client.post(
        reverse("synthesis:sources", args=[synthesized.pk]),
        {"source_version": version.pk, "note": "n"},
    )
    assert (link.status_code == 302) == can_link, link.status_code
    overlap = client.post(
        reverse("synthesis:overlaps"),
        {"members": [v.recommendation_id for v in setting["versions"][:2]], "note": "n"},
    )
    assert (overlap.status_code == 302) == can_map
    added = client.post(
        reverse("synthesis:inputs"),
        {"kind": "research", "title": "T", "recommendations": [version.recommendation_id]},
    )
    assert (added.status_code == 302) == can_add_input
    assert (client.get(reverse("synthesis:coverage")).status_code == 200) == can_see
    edit = client.get(reverse("recommendations:edit", args=[synthesized.pk]))
    assert (edit.status_code == 200) == (who in ("writer", "core_team"))


def test_coverage_is_public_once_the_synthesis_is_published(client, setting, writer):
    url = reverse("synthesis:coverage")
    assert client.get(url).status_code == 302
    from tests.factories import iteration

    services.recommendation_publish(
        recommendation=setting["synthesized"],
        user=writer,
        iteration=iteration("synthesis-2020", "Synthesis 2020"),
    )
    assert client.get(url).status_code == 200
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("synthesis:coverage_csv")).content.decode()))
    )
    assert len(rows) == 6
    assert {row["fate"] for row in rows} == {"undecided"}


def test_public_pages_show_sources_and_where_a_source_went(
    client, setting, writer, django_capture_on_commit_callbacks
):
    from tests.factories import iteration

    synthesized, version = setting["synthesized"], setting["versions"][0]
    services.source_link(
        synthesized=synthesized, source_version=version, user=writer, note="Taken whole."
    )
    source_url = version.recommendation.get_public_url()
    assert "In the synthesis" not in client.get(source_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_publish(
            recommendation=synthesized,
            user=writer,
            iteration=iteration("synthesis-2020", "Synthesis 2020"),
        )
    synthesized.refresh_from_db()
    html = client.get(synthesized.get_public_url()).content.decode()
    assert "Its sources" in html
    assert version.revision.title_en in html
    assert "Taken whole." in html
    went = client.get(source_url).content.decode()
    assert "Reflected in" in went
    assert "Invest in skills" in went
