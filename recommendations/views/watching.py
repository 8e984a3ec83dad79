"""Watching (working pages, under /workspace/): watch or stop watching a recommendation or a
working group (the synthesis too), and the list of what one watches. The public pages show
the form to the signed-in (`watch_box`); the public never sees it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from groups.models import WorkingGroup
from recommendations import selectors
from recommendations.models import Recommendation
from recommendations.selectors import watching as watching_selectors
from recommendations.services.watching import watch_set

# The last part of the form's address: what the button says to do.
ACTIONS = {"watch": True, "unwatch": False}


def watch_box(request: HttpRequest, target: Recommendation | WorkingGroup) -> dict | None:
    """What a page needs to show whether the signed-in person watches `target`, with the
    form that changes it (templates/recommendations/watching/watch_box.html); None for
    anyone signed out, who sees nothing of it."""
    if not request.user.is_authenticated:
        return None
    watching = watching_selectors.watches(user=request.user, target=target)
    action = "unwatch" if watching else "watch"
    if isinstance(target, Recommendation):
        kind = "recommendation"
        url = reverse("watching:recommendation", args=[target.pk, action])
    else:
        kind = "synthesis" if target.kind == WorkingGroup.Kind.SYNTHESIS else "group"
        url = reverse("watching:group", args=[target.slug, action])
    return {"watching": watching, "kind": kind, "url": url, "next": request.get_full_path()}


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """To the page the form was on, if it is a page of this site; else to `fallback`."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(fallback)


@login_required
@require_POST
def recommendation_watch(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Watch or stop watching a recommendation the person may read (404 otherwise)."""
    if action not in ACTIONS:
        raise Http404
    recommendation = selectors.recommendation_readable(user=request.user, pk=pk)
    watch_set(user=request.user, target=recommendation, watching=ACTIONS[action])
    names = {"number": recommendation.number, "group": recommendation.working_group.name}
    if ACTIONS[action]:
        messages.success(
            request,
            _(
                "You watch recommendation %(number)s of %(group)s now: you will hear when it "
                "is published in an iteration or merged into the synthesis."
            )
            % names,
        )
    else:
        messages.success(
            request, _("You no longer watch recommendation %(number)s of %(group)s.") % names
        )
    if selectors.published_readable(recommendation=recommendation):
        fallback = recommendation.get_public_url()
    else:
        fallback = recommendation.get_absolute_url()
    return _back(request, fallback)


@login_required
@require_POST
def group_watch(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """Watch or stop watching a working group, or the synthesis (the synthesis group)."""
    if action not in ACTIONS:
        raise Http404
    group = watching_selectors.group_to_watch(slug=slug)
    watch_set(user=request.user, target=group, watching=ACTIONS[action])
    if ACTIONS[action]:
        messages.success(
            request,
            _(
                "You watch %(group)s now: you will hear when one of its recommendations is "
                "published in an iteration or merged into the synthesis."
            )
            % {"group": group.name},
        )
    else:
        messages.success(request, _("You no longer watch %(group)s.") % {"group": group.name})
    return _back(request, group.get_absolute_url())


@login_required
@require_GET
def watching_list(request: HttpRequest) -> HttpResponse:
    """What the person watches: groups (as a member, or because they said so), and the
    recommendations they chose to watch or to stop watching."""
    user = request.user
    return render(
        request,
        "recommendations/watching/watching_list.html",
        {
            "groups": list(watching_selectors.watched_groups(user=user)),
            "watched": list(watching_selectors.watch_records(user=user, watching=True)),
            "unwatched": list(watching_selectors.watch_records(user=user, watching=False)),
        },
    )
