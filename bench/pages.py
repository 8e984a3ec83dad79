"""Every page of the product, enumerated from the URL resolver and the admin's registry,
with parameters that name objects that exist. Shared by the Content-Security-Policy walk
(tests/browser/test_csp.py) and the every-page timing (bench/every_page.py), so a new page
is opened by both without being listed anywhere.

`page_arguments()` names the objects a page with parameters shows; a page whose parameters
are not there is given "1" and answers 404, which both callers report. `ensure_one_of_each()`
adds what a data set may lack for that: community feedback, a pending invitation and the
periodic tasks the admin lists.
"""

from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

# Sitewide, not pages: the admin's tree is enumerated from its registry instead.
NOT_PAGES = {"healthz", "admin:logout", "admin:autocomplete", "admin:view_on_site"}
# Invited before having an account, so the invitation is a sign-up form to anyone and an
# invitation to accept once this person has signed in.
INVITED = "newcomer@example.org"


def ensure_one_of_each():
    """The reference case, with one of each thing a page shows that it may lack. Returns a
    published recommendation."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    from groups.models import Invitation, WorkingGroup
    from groups.services import invitation_create
    from recommendations import services
    from recommendations.models import Recommendation, SourceLink, Suggestion, Thread, Version
    from recommendations.services.watching import watch_set
    from strategy.models import User

    published = Recommendation.objects.filter(published_version__isnull=False).first()
    community = User.objects.get(username="community")
    if not Thread.objects.filter(public=True).exists():
        feedback = services.feedback_start(
            version=published.published_version, user=community, body="Does this cover wikis?"
        )
        services.feedback_reply(thread=feedback, user=community, body="And their bots?")
    if not SourceLink.objects.exists():
        synthesized = Recommendation.objects.filter(
            working_group__kind=WorkingGroup.Kind.SYNTHESIS
        ).first()
        source = Version.objects.filter(
            kind=Version.Kind.ITERATION, recommendation__working_group__kind="thematic"
        ).first()
        services.source_link(
            synthesized=synthesized, source_version=source, note="Merged.", user=community
        )
    if not Suggestion.objects.filter(version__kind=Version.Kind.ITERATION).exists():
        services.suggestion_make(
            version=published.published_version,
            user=community,
            target=Suggestion.Target.TITLE,
            replacement=f"{published.title}, for every wiki",
            reason="Say whom it is for.",
        )
    # The admin's list of watches has a row to open.
    watch_set(user=community, target=published, watching=True)
    if not Invitation.objects.filter(email=INVITED).exists():
        invitation_create(email=INVITED, working_group=WorkingGroup.objects.get(slug="advocacy"))
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
    CrontabSchedule.objects.get_or_create(minute="0", hour="6")
    PeriodicTask.objects.get_or_create(
        name="Digest", defaults={"task": "strategy.tasks.notices_digest_send", "interval": hourly}
    )
    return published


def page_arguments() -> dict[str, dict]:
    """The parameters of each site page that has some, naming objects that exist: the
    largest of each where sizes differ (the longest thread, the most revised text)."""
    from django.db.models import Count

    from groups.models import Invitation
    from groups.services import invitation_token
    from recommendations.models import Comment, Recommendation, SourceLink, Suggestion, Thread
    from strategy.mailer import unsubscribe_token
    from strategy.models import User
    from timeline.models import Milestone

    revisions = (
        Recommendation.history.filter(
            id__in=Recommendation.objects.filter(published_version__isnull=False).values("pk")
        )
        .values("id")
        .annotate(count=Count("history_id"))
        .order_by("-count", "id")
        .first()
    )
    published = Recommendation.objects.get(pk=revisions["id"])
    review = (
        Thread.objects.filter(public=False)
        .annotate(replies=Count("comments"))
        .order_by("-replies", "pk")
        .select_related("version__recommendation")
        .first()
    )
    feedback = Thread.objects.filter(public=True).order_by("pk").first()
    link = SourceLink.objects.select_related("synthesized", "source_version").first()
    version = review.version
    recommendation = version.recommendation
    group = recommendation.working_group
    public = {"group": published.working_group.slug, "number": published.number}
    invitation = Invitation.objects.filter(email=INVITED).first() or Invitation.objects.first()
    community = User.objects.get(username="community")
    return {
        "groups:invitation_accept": {"token": invitation_token(invitation)},
        "public:group": {"slug": group.slug},
        "groups:invite": {"slug": group.slug},
        "synthesis:fate": {"source": link.source_version.recommendation_id},
        "synthesis:sources": {"pk": link.synthesized_id},
        "synthesis:unlink": {"pk": link.synthesized_id, "link": link.pk},
        "synthesis:source_note": {"pk": link.synthesized_id, "link": link.pk},
        "public:feedback_thread": {"pk": feedback.pk},
        "feedback:triage": {"pk": feedback.pk},
        "recommendations:create": {"slug": group.slug},
        "recommendations:ranking": {"slug": group.slug},
        "recommendations:detail": {"pk": recommendation.pk},
        "recommendations:edit": {"pk": recommendation.pk},
        "recommendations:history": {"pk": published.pk},
        "recommendations:diff": {"pk": published.pk},
        "recommendations:revision": {"pk": published.pk, "number": 1},
        "recommendations:version": {"pk": recommendation.pk, "version": version.pk},
        "recommendations:outcomes": {"pk": recommendation.pk, "version": version.pk},
        "recommendations:suggestion_workbench": {
            "pk": recommendation.pk,
            "version": version.pk,
        },
        "recommendations:mention_people": {"pk": recommendation.pk, "version": version.pk},
        "recommendations:thread": {"pk": recommendation.pk, "thread": review.pk},
        "recommendations:thread_replies": {"pk": recommendation.pk, "thread": review.pk},
        "recommendations:version_threads": {"pk": recommendation.pk, "version": version.pk},
        "recommendations:comment_edit": {
            "pk": recommendation.pk,
            "comment": Comment.objects.filter(thread=review).order_by("pk").first().pk,
        },
        "public:export": {"format": "csv"},
        "public:recommendation": public,
        "public:compare": public,
        "public:feedback_list": public,
        "public:iteration": {"slug": published.last_published_in.slug},
        "public:iteration_pdf": {"slug": published.last_published_in.slug},
        "translations:edit": {"pk": published.pk, "language": "de"},
        "translations:po_download": {"pk": published.pk, "language": "de"},
        "translations:xliff_download": {"pk": published.pk, "language": "de"},
        "translations:iteration_files": {
            "slug": published.last_published_in.slug,
            "language": "de",
        },
        "translations:iteration_po_download": {
            "slug": published.last_published_in.slug,
            "language": "de",
        },
        "translations:iteration_xliff_download": {
            "slug": published.last_published_in.slug,
            "language": "de",
        },
        "notices:unsubscribe": {"token": unsubscribe_token(user=community, topic="reviews")},
        "public:group_calendar": {"slug": group.slug},
        "feeds:group": {"slug": group.slug},
        "sitemap-section": {"section": "recommendations"},
        "group-detail": {"slug": group.slug},
        "recommendation-detail": {"pk": published.published_version_id},
        "iteration-detail": {"slug": published.last_published_in.slug},
        "milestone-detail": {"pk": Milestone.objects.order_by("pk").first().pk},
        "suggestion-detail": {
            "pk": Suggestion.objects.filter(version__kind="iteration").order_by("pk").first().pk
        },
    }


def site_patterns(resolver=None, namespace=""):
    """(name, pattern) of every named URL pattern outside the admin."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from site_patterns(entry, inner)
        elif entry.name and f"{namespace}{entry.name}" not in NOT_PAGES:
            yield f"{namespace}{entry.name}", entry


class MissingArguments(Exception):
    """A page has parameters `page_arguments()` does not name."""


def site_urls(arguments) -> dict[str, bool]:
    """Every site address, and whether it names an object (so must be found)."""
    urls = {}
    for name, pattern in site_patterns():
        if "format" in pattern.pattern.regex.groupindex:
            # The API's ".json" twin of an address opened without it.
            continue
        kwargs = arguments.get(name) or dict.fromkeys(pattern.pattern.regex.groupindex, "1")
        try:
            urls[reverse(name, kwargs=kwargs or None)] = bool(kwargs)
        except NoReverseMatch as error:
            raise MissingArguments(
                f"{name}: cannot build its address ({error}); add it to page_arguments"
            ) from error
    return dict(sorted(urls.items()))


def _superuser_request():
    from strategy.models import User

    request = RequestFactory().get("/admin/")
    request.user = User(is_staff=True, is_superuser=True, is_active=True)
    return request


def admin_urls() -> dict[str, bool]:
    """The admin's pages, each of which a superuser must be able to open."""
    from strategy.models import User

    urls = [
        reverse("admin:index"),
        reverse("admin-dashboard"),
        reverse("admin:password_change"),
        reverse("admin:auth_user_password_change", args=[User.objects.first().pk]),
    ]
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{info}_changelist"))
        if model_admin.has_add_permission(_superuser_request()):
            urls.append(reverse(f"{info}_add"))
        row = model._default_manager.order_by("pk").first()
        if row is None:
            continue
        urls.append(reverse(f"{info}_change", args=[row.pk]))
        urls.append(reverse(f"{info}_history", args=[row.pk]))
        if model_admin.has_delete_permission(_superuser_request(), row):
            urls.append(reverse(f"{info}_delete", args=[row.pk]))
        history = getattr(row, "history", None)
        if history is not None and history.exists():
            urls.append(
                reverse(f"{info}_simple_history", args=[row.pk, history.first().history_id])
            )
    return dict.fromkeys(urls, True)
