"""Roles are read once per request (strategy/memo.py), and kept for the person across
requests (strategy/fragments.py); a role gained or lost within the request is seen by the
checks after it, because the membership signals forget them."""

from datetime import timedelta

import pytest
from django.utils import timezone

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


@pytest.fixture
def request_of():
    """Each call answers like a new request (its own memo)."""

    def answer(check):
        token = memo._memo.set({})
        try:
            return check()
        finally:
            memo._memo.reset(token)

    return answer


def test_roles_are_kept_across_requests_until_a_membership_changes(
    request_of, working_group, user, django_assert_num_queries
):
    """Kept for the person (groups/predicates.py): a later request reads no membership,
    and one after a change reads the change."""
    assert not request_of(lambda: is_group_member(user, working_group))
    with django_assert_num_queries(0):
        assert not request_of(lambda: is_group_member(user, working_group))
    membership = MembershipFactory(user=user, working_group=working_group)
    assert request_of(lambda: is_group_member(user, working_group))
    membership.left_on = timezone.localdate()
    membership.save()
    assert not request_of(lambda: is_group_member(user, working_group))


def test_a_membership_that_ends_today_holds_no_longer(request_of, working_group, user, monkeypatch):
    """The roles kept are those of the day they were read on: a membership's last day
    passes without any change to a row."""
    today = timezone.localdate()
    MembershipFactory(
        user=user,
        working_group=working_group,
        joined_on=today - timedelta(days=30),
        left_on=today + timedelta(days=1),
    )
    assert request_of(lambda: is_group_member(user, working_group))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timedelta(days=1))
    assert not request_of(lambda: is_group_member(user, working_group))
