"""The working groups: the list, and a group's page (its people, published recommendations,
next dates; with its invitations for those who manage them)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from groups import selectors
from public.caching import public_page
from recommendations.views.watching import watch_box
from timeline import selectors as timeline_selectors


@public_page
def group_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.group_list()
    return render(request, "public/group_list.html", {"groups": groups})


@public_page
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(selectors.group_detail_queryset(), slug=slug)
    published, published_count = selectors.group_published(group=group, language=get_language())
    return render(
        request,
        "public/group_detail.html",
        {
            "group": group,
            "published": published,
            "published_count": published_count,
            "people": selectors.group_people(group),
            "milestones": timeline_selectors.with_shift_reasons(
                timeline_selectors.next_milestones(group=group, count=5), group=group
            ),
            "can_invite": request.user.has_perm("groups.invite_member", group),
            "invitations": (
                selectors.group_invitations_pending(group=group)
                if request.user.has_perm("groups.manage_invitations", group)
                else None
            ),
            "next_steps": selectors.group_next_steps(group=group, user=request.user),
            "watch": watch_box(request, group),
        },
    )
