import pytest

from groups.models import Role, WorkingGroup
from recommendations import services
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory, iteration
from tests.factories import recommendation as make


@pytest.fixture
def synthesis_group(db):
    return WorkingGroup.objects.create(
        name_en="Synthesis group", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
    )


@pytest.fixture
def writer(synthesis_group):
    person = UserFactory(first_name="Wanjiru", last_name="Kamau")
    MembershipFactory(user=person, working_group=synthesis_group, role=Role.WRITER)
    return person


@pytest.fixture
def connector(synthesis_group):
    person = UserFactory(first_name="Carlos", last_name="Ibarra")
    MembershipFactory(user=person, working_group=synthesis_group, role=Role.CONNECTOR)
    return person


@pytest.fixture
def as_(client, synthesis_group, working_group):
    """`as_(who)`: the client signed in as a new person in that role of the synthesis (or
    "thematic_member", "community", "core_team"; "anonymous" stays signed out)."""

    def sign_in(who):
        if who == "anonymous":
            return client
        if who == "core_team":
            person = CoreTeamFactory()
        else:
            person = UserFactory()
            if who == "thematic_member":
                MembershipFactory(user=person, working_group=working_group, role=Role.MEMBER)
            elif who != "community":
                MembershipFactory(user=person, working_group=synthesis_group, role=Role(who))
        client.force_login(person)
        return client

    return sign_in


def published_sources(groups, per_group, user):
    """`per_group` published recommendations in each group; returns their versions."""
    second = iteration("second-iteration")
    versions = []
    for group in groups:
        for index in range(per_group):
            made = make(group, user, title=f"{group.slug} {index}")
            versions.append(
                services.recommendation_publish(recommendation=made, user=user, iteration=second)
            )
    return versions
