from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from groups import selectors as group_selectors
from recommendations import selectors as recommendation_selectors
from recommendations.models import Iteration
from strategy.caching import public_page
from strategy.predicates import is_core_team
from timeline import selectors as timeline_selectors


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The process at a glance: the current phase, the next dates, the groups, and the
    latest published recommendations."""
    timeline = timeline_selectors.timeline()
    return render(
        request,
        "home.html",
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


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    """For load balancers: whether to send this instance requests. 503 when the database
    is down; the cache and the broker are reported, and the site serves without them
    (strategy/health.py)."""
    from strategy.health import readiness

    ready, states = readiness()
    degraded = any(state["state"] not in ("ok", "not used") for state in states.values())
    status = "ok" if ready and not degraded else ("degraded" if ready else "unavailable")
    response = JsonResponse({"status": status, **states}, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response


def admin_dashboard(request: HttpRequest) -> HttpResponse:
    """Every group at a glance, for the core team (wrapped by admin_view in urls.py, which
    lets in any staff account: the dashboard's counts are the core team's)."""
    from django.contrib import admin

    from strategy.dashboard import dashboard

    if not is_core_team(request.user):
        raise PermissionDenied

    return render(
        request, "admin/dashboard.html", {**admin.site.each_context(request), **dashboard()}
    )
