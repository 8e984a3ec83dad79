"""The browser fixtures' own checks: a request to another origin is aborted and recorded, and
so is an uncaught error in a page (tests/browser/conftest.py, `page_problems`)."""

import pytest
from playwright.sync_api import Error

from tests.browser.conftest import TIMEOUT_MS, origin_of, page_problems

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(chromium, live_server, db):
    """A context watched by `page_problems` alone, so this test reads the problems instead of
    failing on them."""
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    problems = page_problems(context, origin_of(live_server.url), set())
    yield context.new_page(), problems
    context.close()


def test_a_request_to_another_origin_is_aborted_and_recorded(watched):
    page, problems = watched
    page.goto("/")
    assert problems == []

    with pytest.raises(Error, match="ERR_BLOCKED_BY_CLIENT"):
        page.goto("http://203.0.113.7:8080/tab.js")

    assert problems == ["request to another origin: http://203.0.113.7:8080/tab.js"]


def test_an_uncaught_page_error_is_recorded(watched):
    page, problems = watched
    page.goto("/")
    page.evaluate("setTimeout(() => { throw new Error('tabs is not a function') })")
    page.wait_for_timeout(200)

    assert len(problems) == 1
    assert "page error" in problems[0]
    assert "tabs is not a function" in problems[0]


def test_a_loopback_origin_is_reached_only_when_allowed(chromium, live_server, db):
    context = chromium.new_context(base_url=live_server.url)
    allowed = set()
    problems = page_problems(context, origin_of(live_server.url), allowed)
    page = context.new_page()
    other = live_server.url.replace("localhost", "127.0.0.1")
    assert origin_of(other) != origin_of(live_server.url)

    with pytest.raises(Error, match="ERR_BLOCKED_BY_CLIENT"):
        page.goto(other + "/")
    allowed.add(origin_of(other))
    assert context.new_page().goto(other + "/").ok
    context.close()

    assert problems == [f"request to another origin: {other}/"]
