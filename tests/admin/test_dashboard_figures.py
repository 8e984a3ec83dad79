"""Every figure on the core team's dashboard equals the rows of the list it links to."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import WorkingGroup
from recommendations import services
from recommendations.models import Recommendation
from strategy.models import Notice
from tests.factories import CoreTeamFactory, UserFactory, iteration, review_version
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r'<a data-figure="([\w-]+)"[^>]*?href="([^"]+)"[^>]*>([^<]+)</a>')

FIGURES = [
    *(f"state-{value}" for value in ("draft", "in_review", "published", "withdrawn")),
    *(f"fate-{value}" for value in ("merged", "split", "forwarded", "left_out", "undecided")),
    "due-soon",
    "due-overdue",
    "open-threads",
    "notices-sent",
    "notices-pending",
    "notices-failed",
]


@pytest.fixture
def process(working_group_factory, user):
    """One thematic group with a source of each fate, one synthesized group, reviews
    overdue and due soon, open review threads beside open community feedback, and
    notices in each state."""
    today = timezone.localdate()
    second = iteration()
    advocacy = working_group_factory(name_en="Advocacy", slug="advocacy")
    synthesis = WorkingGroup.objects.create(
        name_en="Synthesis", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
    )
    versions = [
        services.recommendation_publish(
            recommendation=make(advocacy, user, title=f"Source {index}"),
            user=user,
            iteration=second,
        )
        for index in range(6)
    ]
    first, other = (make(synthesis, user, title=f"Synthesized {index}") for index in range(2))
    # Two merged (one link each, one of them twice to the same synthesized one), one split.
    services.source_link(synthesized=first, source_version=versions[0], user=user)
    services.source_link(synthesized=other, source_version=versions[1], user=user)
    for synthesized in (first, other):
        services.source_link(synthesized=synthesized, source_version=versions[2], user=user)
    services.source_fate_set(
        source=versions[3].recommendation, fate="forwarded", reason="To the board", user=user
    )
    services.source_fate_set(
        source=versions[4].recommendation, fate="left_out", reason="Out of scope", user=user
    )
    services.recommendation_withdraw(
        recommendation=make(advocacy, user, title="Gone"), user=user, reason="Duplicate"
    )
    reviewer = UserFactory()
    for index in range(2):
        version = review_version(advocacy, user, name=f"Review {index}")
        for days in (-3, 2, 30):
            services.assignment_create(
                version=version,
                reviewer=reviewer,
                assigned_by=user,
                due_on=today + timedelta(days=days),
            )
        services.thread_start(version=version, user=user, body="Open question")
    resolved = services.thread_start(version=version, user=user, body="Settled")
    services.thread_resolve(thread=resolved, user=user, outcome="declined", note="No")
    services.feedback_start(version=versions[5], user=UserFactory(), body="From outside")
    for index, state in enumerate(["sent", "sent", "pending", "failed"]):
        Notice.objects.create(
            key=f"dashboard-{index}",
            recipient=user,
            kind="test",
            subject="S",
            body="B",
            state=state,
        )
    return advocacy


def listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["cl"].result_count


@pytest.mark.parametrize("figure", FIGURES)
def test_each_figure_equals_the_list_it_links_to(client, process, figure):
    """Follows every link of one kind (one per group, or one for the site) and counts the
    rows of the list it opens: each figure is that count, and the fixture makes each
    kind non-zero somewhere, so a rule that drifts from its list shows."""
    client.force_login(CoreTeamFactory())
    page = client.get(reverse("admin-dashboard")).content.decode()
    links = [
        (html.unescape(href), int(text.split()[0]))
        for name, href, text in FIGURE.findall(page)
        if name == figure
    ]
    assert links, figure
    assert any(shown for _href, shown in links), f"{figure} is 0 everywhere: nothing tested"
    for href, shown in links:
        assert listed(client, href) == shown, href


def test_the_coverage_figure_equals_the_coverage_report(client, process):
    """ "Synthesis coverage: N of M" is the report's own total and reflected count."""
    client.force_login(CoreTeamFactory())
    page = client.get(reverse("admin-dashboard")).content.decode()
    (href,) = [href for name, href, _text in FIGURE.findall(page) if name == "coverage"]
    report = client.get(html.unescape(href)).context
    figures = client.get(reverse("admin-dashboard")).context["coverage"]
    assert (figures["reflected"], figures["total"]) == (report["reflected"], report["total"])
    assert (figures["reflected"], figures["total"]) == (3, 6)


def test_the_merged_figure_counts_the_coverage_reports_merged_sources(client, process):
    """The case that was reported: "Merged into synthesis 0" for a group whose coverage
    says "Merged 2" (no recommendation is ever in the merged state)."""
    client.force_login(CoreTeamFactory())
    rows = client.get(reverse("admin-dashboard")).context["rows"]
    advocacy = next(row for row in rows if row.group == process)
    report = client.get(reverse("synthesis:coverage")).context["groups"]
    (group,) = [entry for entry in report if entry.group == process]
    assert advocacy.fates["merged"] == group.count_merged() == 2
    assert advocacy.fates["split"] == group.count_split() == 1
    assert Recommendation.State.MERGED not in {
        value for value, _label in client.get(reverse("admin-dashboard")).context["states"]
    }
