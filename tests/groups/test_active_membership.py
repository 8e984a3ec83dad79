""" "Active membership" is one rule: joined by today and not yet left. The group list's
count, the membership queries and the profile all say who is in a group alike."""

from datetime import timedelta

import pytest
from django.utils import timezone

from groups.models import Membership, Role
from groups.selectors import group_list, member_group_ids
from strategy.accounts.selectors import user_profile
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(working_group, user_factory):
    today = timezone.localdate()
    month_ago = today - timedelta(days=30)
    tomorrow = today + timedelta(days=1)

    def membership(person, **dates):
        return MembershipFactory(user=person, working_group=working_group, **dates)

    everyone = {name: user_factory() for name in ("in", "leaving", "joining", "left")}
    membership(everyone["in"], role=Role.MEMBER)
    membership(everyone["in"], role=Role.WRITER)
    membership(everyone["leaving"], joined_on=month_ago, left_on=tomorrow)
    membership(everyone["joining"], joined_on=tomorrow)
    membership(everyone["left"], joined_on=month_ago, left_on=today)
    return everyone


def test_the_group_lists_count_is_the_active_memberships(working_group, people):
    """Two people: the one with two roles counted once, the one leaving tomorrow still in;
    not the one joining tomorrow, nor the one who left today."""
    active = Membership.objects.active().filter(working_group=working_group)
    assert set(active.values_list("user", flat=True)) == {people["in"].pk, people["leaving"].pk}
    (listed,) = [group for group in group_list() if group == working_group]
    assert listed.member_count == 2


@pytest.mark.parametrize(
    ("name", "in_group"), [("in", True), ("leaving", True), ("joining", False), ("left", False)]
)
def test_a_persons_groups_and_profile_agree(working_group, people, name, in_group):
    person = people[name]
    groups = set(member_group_ids(user=person).values_list("working_group_id", flat=True))
    assert groups == ({working_group.pk} if in_group else set())
    listed = {
        membership.working_group_id for membership in user_profile(user=person)["memberships"]
    }
    assert listed == groups
