"""Dates in one format per language, times in a stated zone; a milestone for some groups
says which on the whole process's timeline and calendar; each calendar links to its own
timeline."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from timeline.models import Milestone, MilestoneShift

pytestmark = pytest.mark.django_db

# The formats readers see, each one per language (Django's locale formats); the machine
# formats are for datetime="" attributes only.
READER_FORMATS = {"DATE_FORMAT", "DATETIME_FORMAT", "YEAR_MONTH_FORMAT"}
MACHINE_FORMATS = {"c", "Y-m-d"}
_DATE_FILTER = re.compile(r"""\|date:(["'])(?P<format>[^"']*)\1""")


def _templates():
    """The project's own templates: the site's and each app's (no installed package's)."""
    root = Path(settings.BASE_DIR)
    for path in [*root.glob("templates/**/*"), *root.glob("*/templates/**/*")]:
        if path.suffix in (".html", ".txt") and "node_modules" not in path.parts:
            yield path


def test_every_template_shows_dates_in_the_languages_own_formats():
    """No "12/01/2026 6:56 a.m." beside "Dec. 22, 2026": a date a reader sees is formatted
    with a named locale format, and a machine format appears only in a datetime attribute."""
    wrong = []
    for path in _templates():
        text = path.read_text()
        for match in _DATE_FILTER.finditer(text):
            shown = match["format"]
            if shown in READER_FORMATS:
                continue
            before = text[max(0, match.start() - 60) : match.start()]
            if shown in MACHINE_FORMATS and 'datetime="' in before:
                continue
            wrong.append(f"{path.relative_to(settings.BASE_DIR)}: {shown}")
    assert wrong == []


@pytest.fixture
def milestones(working_group_factory):
    board = working_group_factory(name_en="Board liaison", slug="board")
    every = Milestone.objects.create(title_en="Drafts due", starts_on=date(2026, 12, 10))
    only = Milestone.objects.create(title_en="Group retreat", starts_on=date(2026, 12, 22))
    only.working_groups.add(board)
    return {"board": board, "every": every, "only": only}


@pytest.mark.parametrize(
    ("prefix", "shown"),
    [("", "Dec. 10, 2026"), ("/fr", "10 décembre 2026"), ("/de", "10. Dezember 2026")],
)
def test_the_timeline_dates_are_in_the_readers_language(client, milestones, prefix, shown):
    html = client.get(prefix + reverse("public:timeline")).content.decode()
    assert shown in html


def test_pages_state_the_time_zone_of_their_times(client, milestones):
    html = client.get(reverse("public:timeline")).content.decode()
    assert f"Times are in the {settings.TIME_ZONE} time zone." in html


def test_the_whole_timeline_names_the_groups_of_a_group_only_milestone(client, milestones):
    html = client.get(reverse("public:timeline")).content.decode()
    retreat = html.split("Group retreat", 1)[1].split("</li>", 1)[0]
    assert "For Board liaison only" in retreat
    drafts = html.split("Drafts due", 1)[1].split("</li>", 1)[0]
    assert "only" not in drafts


def _events(client, url):
    calendar = Calendar.from_ical(client.get(url).content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_the_calendar_names_the_groups_and_links_to_its_own_timeline(client, milestones):
    whole = _events(client, reverse("public:calendar"))
    assert set(whole) == {"Drafts due", "Group retreat (Board liaison only)"}
    assert {str(event["url"]) for event in whole.values()} == {
        settings.SITE_URL + reverse("public:timeline")
    }
    board = _events(client, reverse("public:group_calendar", args=["board"]))
    assert {str(event["url"]) for event in board.values()} == {
        settings.SITE_URL + reverse("public:timeline") + "?group=board"
    }


@pytest.mark.parametrize(("url", "queries"), [("timeline", 4), ("calendar", 2)])
def test_the_whole_timeline_and_calendar_queries_do_not_grow(
    client,
    milestones,
    working_group_factory,
    url,
    queries,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """The same queries with 2 and with 32 milestones, half of them for some groups."""
    path = reverse(f"public:{url}")
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(30):
            made = Milestone.objects.create(title_en=f"M{index}", starts_on=date(2026, 5, 1))
            if index % 2:
                made.working_groups.add(working_group_factory())
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "Dec. 22, 2026"), ("zh-hans", "2026\u5e7412\u670822\u65e5")],
)
def test_a_shifted_date_is_named_with_its_date_in_the_readers_language(milestones, language, shown):
    """A shift's name (the admin's lists, messages and history show it) carries its date in
    the active language's format, not as ISO."""
    shift = MilestoneShift.objects.create(
        milestone=milestones["every"],
        working_group=milestones["board"],
        starts_on=date(2026, 12, 22),
        reason="Retreat week",
    )
    with translation.override(language):
        assert str(shift) == f"Drafts due \u00b7 Board liaison: {shown}"


def test_the_admin_confirms_a_shifted_date_with_its_date_in_words(admin_client, milestones):
    """The admin's message after saving a shift names it with its date as people read it."""
    response = admin_client.post(
        reverse("admin:timeline_milestoneshift_add"),
        {
            "milestone": milestones["every"].pk,
            "working_group": milestones["board"].pk,
            "starts_on": "2026-12-22",
            "reason_en": "Retreat week",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Drafts due \u00b7 Board liaison: Dec. 22, 2026" in html
    assert "2026-12-22\u201d" not in html
