from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from timeline import selectors
from timeline.models import Milestone, MilestoneShift, Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(working_group, working_group_factory):
    other = working_group_factory()
    Phase.objects.create(title_en="Scoping", starts_on=date(2019, 1, 1), ends_on=date(2019, 3, 31))
    Phase.objects.create(title_en="Drafting", starts_on=date(2019, 4, 1), ends_on=date(2019, 8, 31))
    everyone = Milestone.objects.create(
        title_en="First drafts due", kind="deadline", starts_on=date(2019, 8, 1)
    )
    MilestoneShift.objects.create(
        milestone=everyone,
        working_group=working_group,
        starts_on=date(2019, 8, 15),
        reason_en="A meeting moved.",
    )
    own = Milestone.objects.create(
        title_en="Group meeting",
        kind="meeting",
        starts_on=date(2019, 6, 18),
        ends_on=date(2019, 6, 20),
    )
    own.working_groups.add(other)
    past = Milestone.objects.create(title_en="Kick-off", starts_on=date(2019, 1, 10))
    return {"everyone": everyone, "own": own, "past": past, "other": other}


def test_a_group_sees_its_own_dates_and_only_its_milestones(plan, working_group):
    mine = {
        m.title_en: m
        for m in selectors.with_shift_reasons(
            selectors.milestones_for(group=working_group), group=working_group
        )
    }
    assert set(mine) == {"First drafts due", "Kick-off"}
    assert mine["First drafts due"].on == date(2019, 8, 15)
    assert mine["First drafts due"].shift_reason == "A meeting moved."
    theirs = {m.title_en: m for m in selectors.milestones_for(group=plan["other"])}
    assert theirs["First drafts due"].on == date(2019, 8, 1)
    assert theirs["Group meeting"].until == date(2019, 6, 20)
    assert len(list(selectors.milestones_for())) == 3


def test_timeline_splits_past_now_next_and_finds_the_current_phase(plan):
    found = selectors.timeline(group=plan["other"], today=date(2019, 6, 19))
    assert found.current_phase.title_en == "Drafting"
    assert [m.title_en for m in found.past] == ["Kick-off"]
    assert [m.title_en for m in found.now] == ["Group meeting"]
    assert [m.title_en for m in found.upcoming] == ["First drafts due"]


def test_dates_that_end_before_they_start_are_refused():
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        Milestone(title_en="x", starts_on=date(2019, 2, 2), ends_on=date(2019, 2, 1)).full_clean()


def test_calendar_feed_parses_and_has_the_group_dates(client, plan, working_group):
    """Calendar programs accept the feed: it parses with the icalendar library, and a
    group's feed has that group's shifted date."""
    response = client.get(reverse("public:group_calendar", args=[working_group.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"First drafts due", "Kick-off"}
    assert events["First drafts due"].decoded("dtstart") == date(2019, 8, 15)
    assert events["First drafts due"].decoded("dtend") == date(2019, 8, 16)
    assert "A meeting moved." in str(events["First drafts due"]["description"])
    everyone = Calendar.from_ical(client.get(reverse("public:calendar")).content)
    dates = {str(e["summary"]): e.decoded("dtstart") for e in everyone.walk("VEVENT")}
    assert dates["First drafts due"] == date(2019, 8, 1)
    assert len({str(e["uid"]) for e in everyone.walk("VEVENT")}) == 3


def test_unknown_group_calendar_is_404(client):
    assert client.get("/timeline/nobody/calendar.ics").status_code == 404


@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "Timeline"), ("/zh-hans", "时间线"), ("/arz", "الجدول الزمنى")]
)
def test_timeline_page_in_each_language(client, plan, prefix, heading):
    html = client.get(f"{prefix}/timeline/").content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert "First drafts due" in html


def test_timeline_page_queries_do_not_grow(
    client, plan, working_group, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_num_queries(6):
        client.get(reverse("public:timeline"), {"group": working_group.slug})
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(40):
            milestone = Milestone.objects.create(title_en=f"M{index}", starts_on=date(2019, 5, 1))
            MilestoneShift.objects.create(
                milestone=milestone,
                working_group=working_group,
                starts_on=date(2019, 5, 2),
                reason_en="Later",
            )
    with django_assert_num_queries(6):
        response = client.get(reverse("public:timeline"), {"group": working_group.slug})
    assert response.content.decode().count("s own date:") >= 40


def test_shift_reasons_are_read_in_the_reader_language(plan, working_group):
    from django.utils import translation

    shift = MilestoneShift.objects.get()
    shift.reason_zh_hans = "会议改期。"
    shift.save()
    with translation.override("zh-hans"):
        found = {
            m.title_en: m
            for m in selectors.timeline(group=working_group, today=date(2019, 1, 1)).upcoming
        }
        assert found["First drafts due"].shift_reason == "会议改期。"
    with translation.override("arz"):
        found = {
            m.title_en: m
            for m in selectors.timeline(group=working_group, today=date(2019, 1, 1)).upcoming
        }
        assert found["First drafts due"].shift_reason == "A meeting moved."


def test_a_group_page_shows_its_own_next_dates(client, working_group, plan):
    from datetime import timedelta

    from django.utils import timezone

    soon = Milestone.objects.create(
        title_en="Refinement due", starts_on=timezone.localdate() + timedelta(days=30)
    )
    MilestoneShift.objects.create(
        milestone=soon,
        working_group=working_group,
        starts_on=timezone.localdate() + timedelta(days=44),
        reason_en="Later for us.",
    )
    html = client.get(working_group.get_absolute_url()).content.decode()
    assert "Refinement due" in html
    assert "this group&#x27;s own date" in html or "this group's own date" in html
    day = (timezone.localdate() + timedelta(days=44)).isoformat()
    assert f'datetime="{day}"' in html
