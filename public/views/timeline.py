"""The timeline: phases and milestones (overall or by one group's dates), and their
iCalendar feeds."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from groups.models import WorkingGroup
from public.caching import public_page
from timeline import selectors


@public_page(reads=("group",))
def timeline_index(request: HttpRequest) -> HttpResponse:
    """The process's phases and milestones, past, now and next; with ?group=, by that
    group's own dates."""
    group = None
    if slug := request.GET.get("group"):
        group = get_object_or_404(WorkingGroup, slug=slug)
    return render(
        request,
        "public/timeline.html",
        {
            "timeline": selectors.timeline(group=group),
            "group": group,
            "groups": WorkingGroup.objects.all(),
            "today": timezone.localdate(),
        },
    )


@public_page
def calendar_feed(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """An iCalendar feed of the milestones: all, or one group's (with its shifted dates)."""
    group = get_object_or_404(WorkingGroup, slug=slug) if slug else None
    calendar = Calendar()
    calendar.add("prodid", "-//Strategy process//Timeline//EN")
    calendar.add("version", "2.0")
    name = _("Strategy process timeline")
    if group:
        name = _("%(group)s: timeline") % {"group": group.name}
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    # Each event links to the timeline it came from: the group's own, by its dates.
    page = settings.SITE_URL + reverse("public:timeline")
    if group:
        page += f"?group={group.slug}"
    milestones = selectors.with_shift_reasons(selectors.milestones_for(group=group), group=group)
    for milestone in milestones:
        event = Event()
        scope = group.slug if group else "all"
        event.add("uid", f"milestone-{milestone.pk}-{scope}@strategy-process")
        only = [named.name for named in milestone.working_groups.all()]
        if only:
            # A milestone for some groups only says which, in a calendar of all of them.
            event.add(
                "summary",
                _("%(title)s (%(groups)s only)")
                % {"title": milestone.title, "groups": ", ".join(only)},
            )
        else:
            event.add("summary", milestone.title)
        event.add("dtstart", milestone.on)
        # All-day events end the day after their last day (RFC 5545).
        event.add("dtend", (milestone.until or milestone.on) + timedelta(days=1))
        event.add("dtstamp", stamp)
        description = milestone.description or ""
        if milestone.shift_reason:
            description = (
                f"{description}\n\n{_('Date shifted for this group:')} "
                f"{milestone.shift_reason}".strip()
            )
        if description:
            event.add("description", description)
        event.add("categories", [milestone.get_kind_display()])
        event.add("url", page)
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    filename = f"timeline-{group.slug}.ics" if group else "timeline.ics"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
