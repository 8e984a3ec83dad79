"""The dashboard's next milestone of each group is the timeline's: by the group's own
(shifted) dates, among the milestones that concern it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from tests.factories import CoreTeamFactory
from timeline import selectors as timeline_selectors
from timeline.models import Milestone, MilestoneShift

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(working_group_factory):
    """Advocacy shifted "Drafts due" three weeks later, past the retreat that concerns only
    it; Capacity keeps the date, and never sees the retreat; Community keeps it too, with a
    milestone happening now."""
    today = timezone.localdate()
    advocacy = working_group_factory(name_en="Advocacy", slug="advocacy")
    capacity = working_group_factory(name_en="Capacity", slug="capacity")
    community = working_group_factory(name_en="Community", slug="community")
    drafts = Milestone.objects.create(title_en="Drafts due", starts_on=today + timedelta(days=5))
    retreat = Milestone.objects.create(title_en="Retreat", starts_on=today + timedelta(days=10))
    retreat.working_groups.add(advocacy)
    summit = Milestone.objects.create(
        title_en="Summit", starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1)
    )
    summit.working_groups.add(community)
    Milestone.objects.create(title_en="Long past", starts_on=today - timedelta(days=400))
    MilestoneShift.objects.create(
        milestone=drafts,
        working_group=advocacy,
        starts_on=today + timedelta(days=26),
        reason_en="The group meets later.",
    )
    return {"advocacy": advocacy, "capacity": capacity, "community": community}


def test_the_dashboard_shows_a_groups_shifted_date(client, groups):
    client.force_login(CoreTeamFactory())
    response = client.get(reverse("admin-dashboard"))
    rows = {row.group.slug: row for row in response.context["rows"]}
    shifted = timezone.localdate() + timedelta(days=26)
    advocacy = rows["advocacy"]
    assert [(milestone.title, shift.starts_on) for milestone, shift in advocacy.shifted] == [
        ("Drafts due", shifted)
    ]
    assert f"shifted: Drafts due to {date_format(shifted, 'DATE_FORMAT')}" in (
        response.content.decode()
    )
    assert rows["capacity"].shifted == []


@pytest.mark.parametrize("slug", ["advocacy", "capacity", "community"])
def test_each_groups_next_milestone_is_the_timelines_first(client, groups, slug):
    """Shifted past another (advocacy), a milestone for another group left out (capacity),
    one happening now counted (community): whatever the case, the dashboard says what the
    group's own timeline says first."""
    client.force_login(CoreTeamFactory())
    rows = {row.group.slug: row for row in client.get(reverse("admin-dashboard")).context["rows"]}
    (first,) = timeline_selectors.next_milestones(group=groups[slug], count=1)
    assert (rows[slug].next_milestone, rows[slug].next_on) == (first, first.on)
    expected = {"advocacy": "Retreat", "capacity": "Drafts due", "community": "Summit"}
    assert first.title == expected[slug]
