"""The language switcher links to the same page, query included, in every language."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" lang="[^"]*" hreflang', html)


def test_links_keep_the_page_and_its_query(client):
    html = client.get("/zh-hans/timeline/?group=advocacy").content.decode()
    assert _links(html) == [
        "/timeline/?group=advocacy",
        "/zh-hans/timeline/?group=advocacy",
        "/arz/timeline/?group=advocacy",
        "/de/timeline/?group=advocacy",
        "/fr/timeline/?group=advocacy",
        "/es/timeline/?group=advocacy",
    ]


def test_a_page_not_found_links_to_itself(client):
    html = client.get("/no-such-page/").content.decode()
    assert set(_links(html)) <= {"/no-such-page/"}
