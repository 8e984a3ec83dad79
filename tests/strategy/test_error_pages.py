"""Error pages as production serves them (DEBUG off, ALLOWED_HOSTS set): a bad Host header
is a 400, not a 500, and no page links to another site through its language links."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["strategy.example.org"]
    return Client(HTTP_HOST="strategy.example.org", raise_request_exception=False)


def _language_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" lang="[^"]*" hreflang', html)


def test_a_bad_host_header_is_a_400(production):
    """The probe: the 400 page is rendered before the authentication middleware has run,
    so the context processors may not read request.user."""
    response = production.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "<html" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["//evil.example/x", "///evil.example/x", "/\\evil.example/x", "//evil.example"]
)
def test_the_404_pages_language_links_stay_on_the_site(production, path):
    """The probe: the 404 page for //evil.example/x linked to //evil.example/x."""
    # As a server receives it: the test client would read "//evil.example" as a host.
    response = production.get("/", PATH_INFO=path)
    assert response.status_code == 404
    links = _language_links(response.content.decode())
    assert links
    for link in links:
        assert link.startswith("/"), link
        assert not link.startswith(("//", "/\\")), link


def test_a_real_page_keeps_its_language_links(production):
    links = _language_links(production.get("/timeline/?group=x").content.decode())
    assert "/fr/timeline/?group=x" in links
