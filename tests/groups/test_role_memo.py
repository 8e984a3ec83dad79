"""Roles are read once per request (strategy/memo.py); a role gained or lost within the
request is seen by the checks after it, because the membership signals forget them."""

import pytest

from groups.models import Membership
from groups.predicates import is_group_member
from strategy import memo
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_a_request():
    token = memo._memo.set({})
    yield
    memo._memo.reset(token)


def test_a_role_gained_within_a_request_is_seen_by_the_checks_after_it(
    in_a_request, working_group, user
):
    assert not is_group_member(user, working_group)
    MembershipFactory(user=user, working_group=working_group)
    assert is_group_member(user, working_group)


def test_a_role_lost_within_a_request_is_seen_by_the_checks_after_it(
    in_a_request, working_group, user
):
    MembershipFactory(user=user, working_group=working_group)
    assert is_group_member(user, working_group)
    Membership.objects.get(user=user, working_group=working_group).delete()
    assert not is_group_member(user, working_group)
