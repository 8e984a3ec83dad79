import pytest

from groups.models import Role, WorkingGroup
from recommendations import services
from tests.factories import MembershipFactory, UserFactory, iteration
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
