from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from groups.models import Membership, Role, WorkingGroup

pytestmark = pytest.mark.django_db


def test_thematic_group_needs_an_area():
    """A thematic working group without a thematic area is refused, with a clear code."""
    group = WorkingGroup(name="Loose", slug="loose", kind=WorkingGroup.Kind.THEMATIC)
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "missing_area" in str(error.value.error_dict) or error.value.messages == [
        "A thematic working group needs a thematic area."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        group.save()


def test_synthesis_and_steering_groups_have_no_area():
    for kind in (WorkingGroup.Kind.SYNTHESIS, WorkingGroup.Kind.STEERING):
        group = WorkingGroup(name=kind.label, slug=kind.value, kind=kind)
        group.full_clean()
        group.save()
    assert WorkingGroup.objects.thematic().count() == 0


def test_a_person_may_hold_several_roles_but_each_once(user, working_group):
    """A synthesis member may be writer and reviewer; the same current role twice is not."""
    Membership.objects.create(user=user, working_group=working_group, role=Role.WRITER)
    Membership.objects.create(user=user, working_group=working_group, role=Role.REVIEWER)
    duplicate = Membership(user=user, working_group=working_group, role=Role.WRITER)
    with pytest.raises(ValidationError, match="already holds this role"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_past_role_may_be_taken_again(user, working_group):
    Membership.objects.create(
        user=user,
        working_group=working_group,
        role=Role.MEMBER,
        joined_on=date(2018, 7, 20),
        left_on=date(2019, 11, 1),
    )
    again = Membership(user=user, working_group=working_group, role=Role.MEMBER)
    again.full_clean()
    again.save()
    assert Membership.objects.active().filter(user=user).count() == 1


def test_leaving_before_joining_is_refused(user, working_group):
    membership = Membership(
        user=user,
        working_group=working_group,
        joined_on=date(2019, 1, 2),
        left_on=date(2019, 1, 1),
    )
    with pytest.raises(ValidationError, match="cannot leave before joining"):
        membership.full_clean()


def test_active_memberships_exclude_future_and_past(user, working_group, membership_factory):
    today = date(2019, 6, 1)
    membership_factory(user=user, working_group=working_group, joined_on=date(2018, 7, 20))
    membership_factory(
        working_group=working_group, joined_on=date(2018, 7, 20), left_on=date(2019, 1, 1)
    )
    membership_factory(working_group=working_group, joined_on=date(2019, 9, 1))
    active = Membership.objects.active(on=today)
    assert list(active.values_list("user", flat=True)) == [user.pk]


def test_every_change_to_a_group_is_in_its_history(working_group, user):
    working_group.name = "Product & Technology"
    working_group._change_reason = "Renamed after the conference"
    working_group.save()
    history = list(working_group.history.all())
    assert len(history) == 2
    assert history[0].name == "Product & Technology"
    assert history[0].history_change_reason == "Renamed after the conference"
    assert history[0].history_type == "~"


def test_translated_name_falls_back_to_english(thematic_area):
    group = WorkingGroup.objects.create(
        name_en="Advocacy", name_zh_hans="倡导", slug="advocacy", thematic_area=thematic_area
    )
    with translation.override("zh-hans"):
        assert WorkingGroup.objects.get(pk=group.pk).name == "倡导"
    with translation.override("arz"):
        assert WorkingGroup.objects.get(pk=group.pk).name == "Advocacy"
    # The translated columns are kept in history too.
    assert group.history.first().name_zh_hans == "倡导"
