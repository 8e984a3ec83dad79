"""Every page of the product, opened in Chromium under its Content-Security-Policy: no
violation, and the policy headers on every answer.

The site's pages are enumerated from the URL resolver, so a new page is opened without
being listed here. Its parameters come from `_page_arguments`; a page that needs some not
listed there is given "1", answers 404 and fails the test, saying so. Views that take only
POST answer 405 to a GET and are not pages. The admin's pages are enumerated from its
registry: every model's list and add form, and for a model with a row its change form,
history, delete confirmation and simple-history revert form; plus the index, the dashboard
and the password forms.
"""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from groups.models import Invitation, WorkingGroup
from groups.services import invitation_create, invitation_token
from recommendations import services
from recommendations.models import Comment, Recommendation, SourceLink, Thread
from recommendations.services.watching import watch_set
from strategy.mailer import unsubscribe_token
from strategy.models import User
from timeline.models import Milestone

pytestmark = pytest.mark.browser

# Invited before having an account, so the invitation is a sign-up form to anyone and an
# invitation to accept once this person has signed in.
INVITED = "newcomer@example.org"

# Collects violations in the page itself, from before its first script runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}` +
      ` (${event.sourceFile || "the page"}:${event.lineNumber})`
  );
});
"""
# Sitewide, not pages: the admin's tree is enumerated from its registry instead.
NOT_PAGES = {"healthz", "admin:logout", "admin:autocomplete", "admin:view_on_site"}


@pytest.fixture
def site(demo):
    """The demo's reference case, with one of each thing a page shows that it lacks."""
    published = Recommendation.objects.filter(published_version__isnull=False).first()
    community = User.objects.get(username="community")
    feedback = services.feedback_start(
        version=published.published_version, user=community, body="Does this cover wikis?"
    )
    services.feedback_reply(thread=feedback, user=community, body="And their bots?")
    watch_set(user=community, target=published, watching=True)
    invitation_create(email=INVITED, working_group=WorkingGroup.objects.get(slug="advocacy"))
    hourly = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    CrontabSchedule.objects.create(minute="0", hour="6")
    PeriodicTask.objects.create(
        name="Digest", task="strategy.tasks.notices_digest_send", interval=hourly
    )
    return published


def _page_arguments(published) -> dict[str, dict]:
    """The parameters of each site page that has some, naming objects that exist."""
    review = Thread.objects.filter(public=False).select_related("version__recommendation").first()
    feedback = Thread.objects.filter(public=True).first()
    link = SourceLink.objects.select_related("synthesized", "source_version").first()
    version = review.version
    recommendation = version.recommendation
    group = recommendation.working_group
    public = {"group": published.working_group.slug, "number": published.number}
    invitation = Invitation.objects.first()
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
        "recommendations:thread": {"pk": recommendation.pk, "thread": review.pk},
        "recommendations:comment_edit": {
            "pk": recommendation.pk,
            "comment": Comment.objects.filter(thread=review).first().pk,
        },
        "public:export": {"format": "csv"},
        "public:recommendation": public,
        "public:compare": public,
        "public:iteration": {"slug": published.last_published_in.slug},
        "public:iteration_pdf": {"slug": published.last_published_in.slug},
        "translations:edit": {"pk": published.pk, "language": "de"},
        "notices:unsubscribe": {"token": unsubscribe_token(user=community, topic="reviews")},
        "public:group_calendar": {"slug": group.slug},
        "feeds:group": {"slug": group.slug},
        "sitemap-section": {"section": "recommendations"},
        "group-detail": {"slug": group.slug},
        "recommendation-detail": {"pk": published.published_version_id},
        "iteration-detail": {"slug": published.last_published_in.slug},
        "milestone-detail": {"pk": Milestone.objects.first().pk},
    }


def _site_patterns(resolver=None, namespace=""):
    """(name, pattern) of every named URL pattern outside the admin."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from _site_patterns(entry, inner)
        elif entry.name and f"{namespace}{entry.name}" not in NOT_PAGES:
            yield f"{namespace}{entry.name}", entry


def _site_urls(arguments) -> dict[str, bool]:
    """Every site address, and whether it names an object (so must be found)."""
    urls = {}
    for name, pattern in _site_patterns():
        if "format" in pattern.pattern.regex.groupindex:
            # The API's ".json" twin of an address opened without it.
            continue
        kwargs = arguments.get(name) or dict.fromkeys(pattern.pattern.regex.groupindex, "1")
        try:
            urls[reverse(name, kwargs=kwargs or None)] = bool(kwargs)
        except NoReverseMatch as error:
            pytest.fail(f"{name}: cannot build its address ({error}); add it to _page_arguments")
    return dict(sorted(urls.items()))


def _admin_urls() -> dict[str, bool]:
    """The admin's pages, each of which a superuser must be able to open."""
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


def _superuser_request():
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User(is_staff=True, is_superuser=True, is_active=True)
    return request


def _listen(page) -> list[str]:
    """What the page reports: CSP violations in its console, and script errors."""
    reported = []
    page.on(
        "console",
        lambda message: (
            reported.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: reported.append(f"script error: {error}"))
    return reported


def _open_all(page, reported, urls, *, must_answer: bool) -> tuple[list[str], set[str]]:
    """Open each HTML page of `urls`; return what went wrong, and the pages opened. Other
    answers (CSV, calendars, feeds, the PDF, JSON) are fetched for their headers only.

    An address without parameters that is no page for this person (a redirect to sign in, a
    sign-in page for the signed-in) is passed by. With `must_answer`, an address that names
    an object must be a page (200), or a POST-only view (405); never a server error."""
    problems, opened = [], set()
    for url, names_an_object in urls.items():
        answer = page.request.get(url, max_redirects=0)
        if answer.status >= 500:
            problems.append(f"{url}: answered {answer.status}")
            continue
        if answer.status == 405:
            continue
        if answer.status != 200 and not (must_answer and names_an_object):
            continue
        if answer.status != 200:
            problems.append(f"{url}: answered {answer.status}; a page needs _page_arguments")
            continue
        headers = answer.headers
        if "content-security-policy" not in headers or "permissions-policy" not in headers:
            problems.append(f"{url}: no Content-Security-Policy or Permissions-Policy header")
        if not headers.get("content-type", "").startswith("text/html"):
            continue
        reported.clear()
        page.goto(url, wait_until="networkidle")
        opened.add(url)
        found = page.evaluate("window.__cspViolations") + reported
        problems.extend(f"{url}: {violation}" for violation in found)
    return problems, opened


# Pages the test must have opened, so that it cannot pass by skipping them.
MUST_OPEN = [
    "home",
    "public:list",
    "public:recommendation",
    "public:compare",
    "public:iteration",
    "public:group",
    "public:timeline",
    "workspace",
    "reviews",
    "recommendations:edit",
    "recommendations:history",
    "recommendations:diff",
    "recommendations:revision",
    "recommendations:version",
    "recommendations:thread",
    "synthesis:overview",
    "synthesis:coverage",
    "synthesis:sources",
    "synthesis:unlink",
    "synthesis:source_note",
    "synthesis:fate",
    "synthesis:overlaps",
    "public:feedback_thread",
    "notices:list",
    "notices:preferences",
    "watching:list",
    "translations:table",
    "translations:edit",
]


def test_every_page_passes_the_content_security_policy(context, page, login_as, site):
    """Anonymous, then as a superuser (who sees every form and script a page has), every
    page of the site and of the admin opens with no CSP violation and no script error, and
    every answer carries the policy headers."""
    context.add_init_script(LISTEN)
    reported = _listen(page)
    arguments = _page_arguments(site)
    site_urls = _site_urls(arguments)
    problems, opened_anonymous = _open_all(page, reported, site_urls, must_answer=False)

    login_as("superuser", email=INVITED)
    admin_urls = _admin_urls()
    found, opened = _open_all(page, reported, site_urls | admin_urls, must_answer=True)
    problems += found

    # The editor's live preview replaces the preview with the server's HTML as one types.
    draft = Recommendation.objects.filter(published_version__isnull=True).first()
    reported.clear()
    page.goto(reverse("recommendations:edit", args=[draft.pk]))
    page.get_by_role("textbox", name="Text", exact=True).fill("**Bold** and a [link](/).")
    page.locator("#preview strong").wait_for()
    problems += page.evaluate("window.__cspViolations") + reported

    assert not problems, "\n".join(problems)
    for name in MUST_OPEN:
        assert reverse(name, kwargs=arguments.get(name)) in opened, name
    assert reverse("groups:invitation_accept", kwargs=arguments["groups:invitation_accept"]) in (
        opened_anonymous
    )
    first = Recommendation.objects.order_by("pk").first()
    change_form = reverse("admin:recommendations_recommendation_change", args=[first.pk])
    for url in (reverse("admin:index"), reverse("admin-dashboard"), change_form):
        assert url in opened
    print(f"Opened {len(opened_anonymous)} pages anonymously, {len(opened)} as a superuser")
    assert len(opened) > 150
