"""Playwright driving Debian's Chromium against a live server of the app.

`page` is a fresh browser tab per test; `login_as(role)` signs a new person with that role
in; `shot(name)` saves a screenshot of what the test checks under var/screenshots/. A test
fails if any of its pages reports a Content-Security-Policy violation.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

from groups.models import Role
from tests import factories

# Playwright's sync API runs an event loop in this thread; the ORM calls that the tests
# make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    violations = csp_violations(context)
    yield context
    context.close()
    assert not violations, "\n".join(violations)


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
    reports = []

    def open_page(user):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        reports.append(csp_violations(context))
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    violations = [violation for report in reports for violation in report]
    assert not violations, "\n".join(violations)
