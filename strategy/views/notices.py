"""The in-app list of notifications, preferences, and unsubscribing from an e-mail."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from strategy import fragments, mailer, notices
from strategy.models import TOPIC_SECTIONS, Delivery, Notice, Topic

NOTICES_PER_PAGE = 30


def _notice_items(notices_shown) -> list[str]:
    """Each notice as the list shows it, kept (strategy/fragments.py) under what it is
    rendered from: a notice's words never change once made, whether it is read does; the
    page's language and time zone. No token in it: the page's one form carries that."""
    language, zone = get_language(), timezone.get_current_timezone_name()

    def render_items(missing):
        return {
            notice: render_to_string(
                "notices/includes/notice_item.html",
                {"notice": notice, "page_language": language},
            )
            for notice in missing
        }

    found = fragments.kept_many(
        "notice-item",
        {notice: (notice.pk, notice.read_at is None, language, zone) for notice in notices_shown},
        render_items,
    )
    return [mark_safe(found[notice]) for notice in notices_shown]  # noqa: S308


def _page_number(number) -> int:
    try:
        return max(int(number), 1)
    except (TypeError, ValueError):
        return 1


def _notice_page(user, number) -> dict:
    """A page of the person's notifications: its items (`items`), its links to the pages
    around it (`pagination`), rendered, and how many there are (`count`). Kept for them
    (strategy/fragments.py) under the ledger's generation (mailer.NOTICE_MODELS), the
    language and the time zone."""

    def compute():
        page = Paginator(notices.notices_listed(user=user), NOTICES_PER_PAGE).get_page(number)
        return {
            "items": [str(item) for item in _notice_items(list(page))],
            "pagination": render_to_string(
                "includes/pagination.html", {"page": page, "newest_first": True}
            ),
            "count": page.paginator.count,
        }

    shown = fragments.kept(
        "notice-page",
        (user.pk, number, get_language(), timezone.get_current_timezone_name()),
        compute,
        models=mailer.NOTICE_MODELS,
    )
    return {
        "items": [mark_safe(item) for item in shown["items"]],  # noqa: S308
        "pagination": mark_safe(shown["pagination"]),  # noqa: S308
        "count": shown["count"],
    }


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notices/notice_list.html",
        _notice_page(request.user, _page_number(request.GET.get("page"))),
    )


@login_required
@require_POST
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notice read and go where it points."""
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    if notice.read_at is None:
        Notice.objects.filter(pk=pk).update(read_at=timezone.now())
        mailer.notices_changed()
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notices:list")


@login_required
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    count = Notice.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    mailer.notices_changed()
    messages.success(request, _("%(count)s marked as read.") % {"count": count})
    return redirect("notices:list")


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of notices"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        for topic in Topic:
            # Not required: a topic the form did not send (a page opened before the
            # topic existed) keeps its delivery.
            self.fields[topic.value] = forms.ChoiceField(
                label=topic.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                required=False,
            )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The topics' fields under the heading of each section of TOPIC_SECTIONS."""
        return [
            (heading, [self[topic.value] for topic in topics]) for heading, topics in TOPIC_SECTIONS
        ]


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {
        "language": mailer.language_of(user),
        **{topic.value: notices.delivery_for(user=user, topic=topic) for topic in Topic},
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        for topic in Topic:
            delivery = form.cleaned_data[topic] or initial[topic]
            notices.preference_set(user=user, topic=topic, delivery=delivery)
        user.language = form.cleaned_data["language"]
        user.save(update_fields=["language"])
        messages.success(request, _("Your preferences are saved."))
        return redirect("notices:preferences")
    return render(request, "notices/preferences.html", {"form": form})


# Mail programs that offer one-click unsubscribing (RFC 8058) POST to this address without
# a CSRF token; the signed token in the address is what proves the request.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = mailer.unsubscribe_read(token)
    except mailer.UnsubscribeLinkExpired:
        return render(
            request,
            "notices/unsubscribe.html",
            {"expired": True, "days": settings.UNSUBSCRIBE_LINK_VALID_DAYS},
            status=410,
        )
    if found is None:
        return render(request, "notices/unsubscribe.html", {"invalid": True}, status=404)
    user, topic = found
    if request.method == "POST":
        notices.preference_set(user=user, topic=topic, delivery=Delivery.OFF)
        return render(
            request,
            "notices/unsubscribe.html",
            {"done": True, "topic": Topic(topic).label, "person": user},
        )
    return render(
        request, "notices/unsubscribe.html", {"topic": Topic(topic).label, "person": user}
    )
