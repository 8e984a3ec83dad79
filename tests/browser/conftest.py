"""Playwright driving Debian's Chromium against a live server of the app.

`page` is a fresh browser tab per test; `login_as(role)` signs a new person with that role
in; `shot(name)` saves a screenshot of what the test checks under var/screenshots/; `demo`
gives the test the demo's data (`manage.py demo_data`), loaded once per test process. A test
fails if any of its pages reports a Content-Security-Policy violation, throws an uncaught
error, fails to load something from the site or gets a 5xx from it, or asks for anything
from another origin: such requests are aborted, so a page that works here works offline.
A test whose page must reach a loopback server of its own (an OAuth provider) adds that
origin to the `allowed_origins` fixture.
"""

import io
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from groups.models import Role
from tests import factories

from .demo import DemoRows, demo_restore, demo_rows

# Playwright's sync API runs an event loop in this thread; the ORM calls that the tests
# make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# What a step and an assertion wait for: the live server shares two cores with the other
# test processes, and a request that takes 1 s alone can take several under load.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def csp_violations(context) -> list[str]:
    """What Chromium reports refused by the Content-Security-Policy in any page of
    `context`: each browser test fails on one (tests/browser/test_csp.py opens every page)."""
    violations = []
    context.on(
        "console",
        lambda message: (
            violations.append(f"{message.page.url if message.page else ''}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def page_problems(context, site: str, allowed_origins: set[str]) -> list[str]:
    """Everything in `context` that makes a browser test fail besides CSP violations: a request
    to an origin other than `site` and `allowed_origins` (aborted, so the page is seen as it
    is offline), an uncaught error in a page, a request to the site that fails, and a 5xx
    answer. `allowed_origins` is read at each request, so a test may add to it late."""
    problems = []

    def allowed(url: str) -> bool:
        return origin_of(url) == site or origin_of(url) in allowed_origins

    def route(route):
        if allowed(route.request.url):
            route.continue_()
        else:
            problems.append(f"request to another origin: {route.request.url}")
            route.abort("blockedbyclient")

    def failed(request):
        # ERR_ABORTED is the browser cancelling a load the page no longer needs (it moved on
        # or closed), not a load that failed; ERR_INTERNET_DISCONNECTED is a load in a
        # context the test set offline (`context.set_offline(True)`), failing as it must.
        expected = {"net::ERR_ABORTED", "net::ERR_INTERNET_DISCONNECTED"}
        if allowed(request.url) and request.failure not in expected:
            problems.append(f"failed to load {request.url}: {request.failure}")

    def answered(response):
        if response.status >= 500:
            problems.append(f"{response.url}: answered {response.status}")

    context.route("**/*", route)
    context.on("requestfailed", failed)
    context.on("response", answered)
    context.on(
        "page",
        lambda page: page.on(
            "pageerror", lambda error: problems.append(f"{page.url}: page error: {error}")
        ),
    )
    return problems


class GuardedBrowser:
    """The session's browser, as a test sees it: every context it opens (in the fixtures or in
    the test itself) is watched for CSP violations and the problems of `page_problems`, and
    the test fails at teardown if any occurred."""

    def __init__(self, browser, site: str, allowed_origins: set[str]):
        self._browser = browser
        self._site = site
        self._allowed_origins = allowed_origins
        self.reports: list[list[str]] = []

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        self.reports.append(csp_violations(context))
        self.reports.append(page_problems(context, self._site, self._allowed_origins))
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def problems(self) -> list[str]:
        return [problem for report in self.reports for problem in report]


@pytest.fixture
def allowed_origins() -> set[str]:
    """Origins besides the live server's that this test's pages may reach, e.g.
    `allowed_origins.add("http://127.0.0.1:4711")` for a loopback OAuth provider."""
    return set()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium, live_server, allowed_origins):
    guarded = GuardedBrowser(chromium, origin_of(live_server.url), allowed_origins)
    yield guarded
    for context in chromium.contexts:
        context.close()
    problems = guarded.problems()
    assert not problems, "\n".join(problems)


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def shot(page, request):
    """Save a full-page screenshot named after the test and the step."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name, flags=re.ASCII)[:100]

    def take(name: str, target=None):
        path = SCREENSHOTS / f"{test_name}-{name}.png"
        (target or page).screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login_as(context, live_server, working_group_factory):
    """Sign a new person in, in this browser context. `role` is one of the membership roles,
    "core_team", "superuser" or "community" (signed in, in no group)."""

    def sign_in(role: str, *, group=None, **user_fields):
        if role == "core_team":
            user = factories.CoreTeamFactory(**user_fields)
        elif role == "superuser":
            user = factories.UserFactory(is_staff=True, is_superuser=True, **user_fields)
        else:
            user = factories.UserFactory(**user_fields)
            if role != "community":
                factories.MembershipFactory(
                    user=user, working_group=group or working_group_factory(), role=Role(role)
                )
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return user

    return sign_in


@pytest.fixture
def open_as(browser, live_server):
    """A new tab signed in as `user`, in a browser context of its own (another person at
    another computer). The contexts are closed after the test."""
    contexts = []

    def open_page(user):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def _demo_rows(django_db_setup, django_db_blocker) -> DemoRows:
    """The demo, loaded once per test process (`manage.py demo_data` takes seconds) and kept
    as rows; `demo` writes them back for each test."""
    with django_db_blocker.unblock():
        call_command("demo_data", stdout=io.StringIO())
        return demo_rows()


@pytest.fixture
def demo(transactional_db, _demo_rows) -> DemoRows:
    """The demo's data, committed, so the live server sees it: the same rows for every test.
    What a test writes does not reach the next: a browser test is a transactional test, so
    pytest-django empties every table after it, and this fixture writes every table back
    from the demo's rows before the next (tests/browser/test_demo.py shows it)."""
    demo_restore(_demo_rows)
    return _demo_rows


@pytest.fixture
def asgi_server(transactional_db, allowed_origins):
    """The app served over ASGI (HTTP and WebSockets) in a process of its own, on the test
    database: for the live editor (tests/browser/asgi_server.py). Its pages may be opened
    from the test's browser; revisions are written after 1.5 s of idleness."""
    from .asgi_server import AsgiServer

    server = AsgiServer(environment={"LIVE_IDLE_SECONDS": "1.5"})
    server.start()
    allowed_origins.add(server.url)
    yield server
    server.stop()
