import pytest
from django.urls import reverse

from groups.models import Role
from tests.factories import MembershipFactory


@pytest.fixture
def member(working_group, user_factory):
    """Mei Lin, a member (no other role) of the working group."""
    person = user_factory(first_name="Mei", last_name="Lin")
    MembershipFactory(user=person, working_group=working_group, role=Role.MEMBER)
    return person


@pytest.fixture
def coordinator(working_group, user_factory):
    """A coordinator of the working group."""
    person = user_factory()
    MembershipFactory(user=person, working_group=working_group, role=Role.COORDINATOR)
    return person


@pytest.fixture
def coordinator_client(client, coordinator):
    """The coordinator signed in, past the session's first request (which writes its idle
    limit), so that query counts measure the requests after it. (Not the workspace: it
    keeps what it renders until a change is committed, which a test's are not.)"""
    client.force_login(coordinator)
    client.get(reverse("watching:list"))
    return client
