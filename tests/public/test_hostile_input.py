"""Hostile input on the public site: a comparison that would take minutes, a PDF that would
fetch from the network, feed summaries a feed reader would run, CSV cells a spreadsheet
would run."""

import re

import pytest
from django.urls import reverse

from recommendations import diffing
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db


def test_compare_says_when_it_shows_paragraphs(client, published, monkeypatch):
    """Out of time for a word diff, the page shows whole paragraphs and says so."""
    monkeypatch.setattr(diffing, "DIFF_SECONDS", 0)
    hub = published["hub"]
    html = client.get(
        reverse("public:compare", args=[hub.working_group.slug, hub.number]),
        {"from": "first-draft", "to": "second-iteration"},
    ).content.decode()
    assert "This comparison is shown by paragraph" in html
    assert re.search(
        r"<del>We recommend a global hub\.\n[^<]*</del><ins>We recommend a regional", html
    )


def test_compare_of_swapped_repeated_words_is_word_level(client, working_group, user, iterations):
    """The probe: "a b " * n against "b a " * n, 40 KB, on the anonymous compare page."""
    first, second = iterations
    size = 40 * 1024
    hub = publish(make(working_group, user, body="a b " * (size // 4)), user, first)
    publish(hub, user, second, body="b a " * (size // 4))
    response = client.get(
        reverse("public:compare", args=[hub.working_group.slug, hub.number]),
        {"from": "first-draft", "to": "second-iteration"},
    )
    html = response.content.decode()
    assert "<del>a </del>b a b" in html
    assert "This comparison is shown by paragraph" not in html
