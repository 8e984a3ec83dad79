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


@pytest.mark.parametrize(
    ("prefix", "lang", "heading"),
    [("", "en", "Not found"), ("/zh-hans", "zh-hans", "未找到"), ("/arz", "arz", "مش موجود")],
    ids=["en", "zh-hans", "arz"],
)
def test_the_404_page_is_the_sites_own_in_the_readers_language(production, prefix, lang, heading):
    response = production.get(f"{prefix}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert f"<h1>{heading}</h1>" in html


@pytest.mark.parametrize(
    ("lang", "direction", "heading"),
    [("en", "ltr", "Something went wrong on our side"), ("zh-hans", "ltr", "我们这边出了问题"),
     ("arz", "rtl", "حصلت مشكلة عندنا")],
    ids=["en", "zh-hans", "arz"],
)  # fmt: skip
def test_the_500_page_is_in_the_language_the_request_was_answered_in(
    production, settings, lang, direction, heading
):
    """The probe: the 500 page was English only. Django renders it with the language the
    locale middleware chose still active, and no request context."""
    settings.ROOT_URLCONF = "tests.strategy.failing_urls"
    prefix = "" if lang == "en" else f"/{lang}"
    response = production.get(f"{prefix}/fail/")
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert f"<h1>{heading}</h1>" in html
