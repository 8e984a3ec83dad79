"""Recommendation numbers sort as people read them (1, 2, 6, 6A, 10, 11, then letters) in
every list that sorts by number, not as text (1, 10, 11, 2)."""

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.models import Recommendation
from recommendations.text.numbering import by_number, number_order
from tests.factories import CoreTeamFactory, iteration
from tests.factories import recommendation as make
from tests.public.conftest import listed

pytestmark = pytest.mark.django_db

NATURAL = ["1", "2", "6", "6A", "6B", "10", "11", "B"]
# Made in an order that neither text nor creation order would sort right.
MADE = ["10", "2", "B", "11", "6B", "1", "6A", "6"]


@pytest.fixture
def numbered(working_group_factory, synthesis_group, writer, user):
    """A thematic group whose recommendations, published, carry MADE's numbers, and as
    many synthesized recommendations numbered the same way, each reflecting the source
    with its number."""
    group = working_group_factory()
    second = iteration()
    versions = {}
    for number in MADE:
        source = make(group, user, title=f"Source {number}", number=number)
        versions[number] = services.recommendation_publish(
            recommendation=source, user=user, iteration=second
        )
    for number in MADE:
        synthesized = make(synthesis_group, writer, title=f"Synthesized {number}", number=number)
        services.source_link(synthesized=synthesized, source_version=versions[number], user=writer)
    return group


@pytest.fixture
def core(client):
    client.force_login(CoreTeamFactory())
    return client


def numbers(recommendations, group) -> list[str]:
    return [item.number for item in recommendations if item.working_group_id == group.pk]


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [("1", "2"), ("2", "10"), ("6", "6A"), ("6A", "6B"), ("6B", "10"), ("9999999999", "A")],
)
def test_the_sort_key_orders_numbers_as_people_read_them(smaller, larger):
    assert number_order(smaller) < number_order(larger)


def test_the_key_follows_the_number_on_every_save(working_group, user):
    made = make(working_group, user, title="Renumbered", number="12")
    made.number = "3B"
    made.save(update_fields=["number"])
    made.refresh_from_db()
    assert made.number_order == number_order("3B")
    assert made.history.latest().number_order == number_order("3B")


def test_the_migration_gives_every_recommendation_and_revision_its_key(numbered):
    from importlib import import_module

    from django.apps import apps

    fill = import_module("recommendations.migrations.0021_recommendation_number_order").fill
    Recommendation.objects.update(number_order="")
    Recommendation.history.update(number_order="")
    fill(apps, None)
    assert all(row.number_order == number_order(row.number) for row in Recommendation.objects.all())
    assert not Recommendation.history.filter(number_order="").exists()


def test_the_ordering_is_the_leading_integer_then_the_rest(numbered):
    ordered = Recommendation.objects.filter(working_group=numbered).order_by(*by_number())
    assert [item.number for item in ordered] == NATURAL


def test_the_sources_choice(core, numbered, synthesis_group):
    synthesized = Recommendation.objects.filter(working_group=synthesis_group).first()
    response = core.get(reverse("synthesis:sources", args=[synthesized.pk]))
    choices = response.context["form"].fields["source_version"].queryset
    assert numbers([version.recommendation for version in choices], numbered) == NATURAL


def test_the_overlaps_choice_and_members(core, numbered, user):
    response = core.get(reverse("synthesis:overlaps"))
    choices = response.context["form"].fields["members"].queryset
    assert numbers(choices, numbered) == NATURAL
    services.overlap_create(
        members=list(Recommendation.objects.filter(working_group=numbered)),
        note="All of them",
        user=user,
    )
    (cluster,) = core.get(reverse("synthesis:overlaps")).context["clusters"]
    assert numbers(cluster.members.all(), numbered) == NATURAL


def test_the_inputs_choice_and_list(core, numbered, user):
    response = core.get(reverse("synthesis:inputs"))
    choices = response.context["form"].fields["recommendations"].queryset
    assert numbers(choices, numbered) == NATURAL
    services.input_create(
        kind="research",
        title="A report",
        recommendations=list(Recommendation.objects.filter(working_group=numbered)),
        user=user,
    )
    (item,) = core.get(reverse("synthesis:inputs")).context["inputs"]
    assert numbers(item.recommendations.all(), numbered) == NATURAL


def test_the_coverage_list(core, numbered):
    report = core.get(reverse("synthesis:coverage")).context["groups"]
    (group,) = [entry for entry in report if entry.group == numbered]
    assert [row.source.number for row in group.rows] == NATURAL


def test_the_synthesis_overview(core, numbered, synthesis_group):
    listed = core.get(reverse("synthesis:overview")).context["synthesized"]
    assert [item.number for item in listed] == NATURAL


def test_the_public_list_of_a_group_without_ranks(client, numbered):
    """Within a group the public list follows the group's ranking; unranked
    recommendations come after the ranked ones, by number."""
    # Setup only: the group has not ranked them (the ranking page sets ranks otherwise).
    Recommendation.objects.filter(working_group=numbered).update(rank=None)
    response = client.get(reverse("public:list"), {"group": numbered.slug})
    shown = [version.recommendation.number for version in listed(response.context["page"])]
    assert shown == NATURAL
