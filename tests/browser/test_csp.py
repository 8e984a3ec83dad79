"""Every page of the product, opened in Chromium under its Content-Security-Policy: no
violation, and the policy headers on every answer.

The site's pages are enumerated from the URL resolver, so a new page is opened without
being listed here (bench/pages.py, which the every-page timing shares). Its parameters come
from `page_arguments`; a page that needs some not listed there is given "1", answers 404
and fails the test, saying so. Views that take only POST answer 405 to a GET and are not
pages. The admin's pages are enumerated from its
registry: every model's list and add form, and for a model with a row its change form,
history, delete confirmation and simple-history revert form; plus the index, the dashboard
and the password forms.
"""

import pytest
from django.urls import reverse

from bench.pages import INVITED, admin_urls, ensure_one_of_each, page_arguments, site_urls
from recommendations.models import Recommendation

pytestmark = pytest.mark.browser

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

# Two animation frames and a pause after the load event.
SETTLE = """() => new Promise((done) =>
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))"""


@pytest.fixture
def site(demo):
    """The demo's reference case, with one of each thing a page shows that it lacks."""
    return ensure_one_of_each()


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
        # Generous: an iteration's PDF is made in the request here (the tests run tasks at
        # once), which on a busy machine takes more than the default ten seconds.
        answer = page.request.get(url, max_redirects=0, timeout=90_000)
        if answer.status >= 500:
            problems.append(f"{url}: answered {answer.status}")
            continue
        if answer.status == 405:
            continue
        if answer.status != 200 and not (must_answer and names_an_object):
            continue
        if answer.status != 200:
            problems.append(f"{url}: answered {answer.status}; see bench/pages.py page_arguments")
            continue
        headers = answer.headers
        if "content-security-policy" not in headers or "permissions-policy" not in headers:
            problems.append(f"{url}: no Content-Security-Policy or Permissions-Policy header")
        if not headers.get("content-type", "").startswith("text/html"):
            continue
        reported.clear()
        page.goto(url, wait_until="load")
        # What the page's scripts start as they run (a fetch, an image) is refused, and
        # reported, within a frame or two of loading; no page needs the half second of
        # silence "networkidle" waits for, which made this walk minutes long.
        page.evaluate(SETTLE)
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
    arguments = page_arguments()
    site_urls_ = site_urls(arguments)
    problems, opened_anonymous = _open_all(page, reported, site_urls_, must_answer=False)

    login_as("superuser", email=INVITED)
    found, opened = _open_all(page, reported, site_urls_ | admin_urls(), must_answer=True)
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
