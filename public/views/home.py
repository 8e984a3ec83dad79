"""The home page: the process at a glance."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from groups import selectors as group_selectors
from public.caching import public_page
from recommendations import selectors as recommendation_selectors
from recommendations.models import Iteration
from timeline import selectors as timeline_selectors

# What each part of the page is worked out from: it is kept under their generations
# (strategy/templatetags/kept.py; connected in public/apps.py).
GLANCE_MODELS = ("timeline.Phase", "timeline.Milestone")
LATEST_MODELS = recommendation_selectors.LATEST_PUBLISHED_MODELS
GROUPS_MODELS = ("groups.WorkingGroup", "groups.ThematicArea", "groups.Membership")
HOME_MODELS = (*GLANCE_MODELS, *LATEST_MODELS, *GROUPS_MODELS)


def _glance(today) -> dict:
    # The home page names no milestone's groups: fetching them is a third of its time.
    timeline = timeline_selectors.timeline(groups_named=False, today=today)
    return {
        "current_phase": timeline.current_phase,
        "next_milestones": timeline.upcoming[:3],
        "next_phase": timeline.next_phase,
        "last_phase": timeline.last_phase,
        # With nothing ahead, what happened last.
        "last_milestone": timeline.past[-1] if timeline.past and not timeline.upcoming else None,
    }


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The process at a glance: the current phase, the next dates, the groups, and the
    latest published recommendations. Each part is read only when it is not kept: what is
    "now" and who is in a group change with the day, which their keys name."""
    today = timezone.localdate()
    return render(
        request,
        "public/home.html",
        {
            "today": today,
            "glance": SimpleLazyObject(lambda: _glance(today)),
            "groups": SimpleLazyObject(lambda: list(group_selectors.group_list())),
            "latest": SimpleLazyObject(recommendation_selectors.latest_published),
            "iterations": SimpleLazyObject(lambda: list(Iteration.objects.all())),
            "glance_models": " ".join(GLANCE_MODELS),
            "latest_models": " ".join(LATEST_MODELS),
            "groups_models": " ".join(GROUPS_MODELS),
        },
    )
