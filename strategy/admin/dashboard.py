"""The core team's dashboard: the state of every group at a glance. A fixed number of
queries, however many groups, recommendations, reviews or notices."""

from dataclasses import dataclass, field

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from groups.models import WorkingGroup
from recommendations.models import Recommendation
from recommendations.selectors import drafting, review, synthesis
from strategy.models import Notice
from strategy.predicates import is_core_team
from timeline import selectors as timeline_selectors
from timeline.models import Milestone

# The states a person sets. "Merged into synthesis" is not one: what became of a source is
# the coverage report's (its fates, below).
STATES = [
    (value, label)
    for value, label in Recommendation.State.choices
    if value != Recommendation.State.MERGED
]


@dataclass
class GroupRow:
    group: WorkingGroup
    states: dict = field(default_factory=dict)
    fates: dict = field(default_factory=dict)
    due: int = 0
    overdue: int = 0
    open_threads: int = 0
    next_milestone: Milestone | None = None
    next_on: object = None
    shifted: list = field(default_factory=list)


def dashboard(*, today=None) -> dict:
    today = today or timezone.localdate()
    groups = {
        group.pk: GroupRow(group) for group in WorkingGroup.objects.order_by("position", "name")
    }
    for (pk, state), count in drafting.state_counts().items():
        groups[pk].states[state] = count
    for pk, due in review.review_due_counts(today=today).items():
        groups[pk].overdue, groups[pk].due = due["overdue"], due["soon"]
    for pk, count in review.open_review_thread_counts().items():
        groups[pk].open_threads = count
    _next_milestones(groups, today)
    notices = dict(Notice.objects.order_by().values_list("state").annotate(Count("pk")))
    # The figures link to the coverage report and the admin's fate filter, which count
    # the drafts' links only until the synthesis is published.
    public = synthesis.synthesis_published()
    for (pk, fate), count in synthesis.coverage_counts(public=public).items():
        groups[pk].fates[fate] = count
    coverage = synthesis.coverage_totals(public=public)
    total, reflected = coverage["total"], coverage["reflected"]
    return {
        "rows": list(groups.values()),
        "states": STATES,
        "fates": list(synthesis.FATE_LABELS.items()),
        "notices": notices,
        "coverage": {
            "total": total,
            "reflected": reflected,
            "percent": round(100 * reflected / total) if total else 0,
        },
        "today": today,
        "due_soon_days": review.DUE_SOON_DAYS,
    }


def _next_milestones(groups: dict, today) -> None:
    """Each group's next milestone and shifted dates, by its own dates (the timeline's)."""
    for pk, seen in timeline_selectors.milestones_by_group(today=today).items():
        row = groups[pk]
        if seen.next is not None:
            row.next_milestone, row.next_on = seen.next, seen.next.on
        row.shifted = [(shift.milestone, shift) for shift in seen.shifted]


def admin_dashboard(request: HttpRequest) -> HttpResponse:
    """Every group at a glance, for the core team (wrapped by admin_view in urls.py, which
    lets in any staff account: the dashboard's counts are the core team's)."""
    if not is_core_team(request.user):
        raise PermissionDenied

    return render(
        request, "admin/dashboard.html", {**admin.site.each_context(request), **dashboard()}
    )
