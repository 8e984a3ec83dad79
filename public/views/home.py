"""The home page: the process at a glance."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from groups import selectors as group_selectors
from public.caching import public_page
from recommendations import selectors as recommendation_selectors
from recommendations.models import Iteration
from timeline import selectors as timeline_selectors


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The process at a glance: the current phase, the next dates, the groups, and the
    latest published recommendations."""
    # The home page names no milestone's groups: fetching them is a third of its time.
    timeline = timeline_selectors.timeline(groups_named=False)
    return render(
        request,
        "public/home.html",
        {
            "groups": group_selectors.group_list(),
            "current_phase": timeline.current_phase,
            "next_milestones": timeline.upcoming[:3],
            "next_phase": timeline.next_phase,
            "last_phase": timeline.last_phase,
            # With nothing ahead, what happened last.
            "last_milestone": timeline.past[-1]
            if timeline.past and not timeline.upcoming
            else None,
            "latest": recommendation_selectors.latest_published(),
            "iterations": Iteration.objects.all(),
        },
    )
