"""Hostile input on the public site: a comparison that would take minutes, a PDF that would
fetch from the network, feed summaries a feed reader would run, CSV cells a spreadsheet
would run."""

import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.text import diffing
from tests.factories import iteration
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
        r"<del><p>We recommend a global hub\.</p></del>\s*<ins><p>We recommend a regional", html
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


@pytest.fixture
def http_server():
    """A real HTTP server on a free port, recording every path it is asked for."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.asked = asked
    yield server
    server.shutdown()
    server.server_close()


def test_the_pdf_fetches_nothing_from_the_network(
    client, working_group, user, iterations, http_server
):
    """The probe: a published image on a server of the network. The PDF renders, the server
    is never asked, and the image is its alt text linked to its address."""
    from public.printing import images_as_links

    port = http_server.server_address[1]
    address = f"http://127.0.0.1:{port}/anything.png"
    body = f"Before.\n\n![internal chart]({address})\n\n![](/static/../../etc/passwd)\n"
    publish(make(working_group, user, title="Fetching", body=body), user, iterations[1])
    response = client.get(reverse("public:iteration_pdf", args=["second-iteration"]))
    assert response.status_code == 200
    assert response.getvalue().startswith(b"%PDF")
    assert http_server.asked == []
    printable = images_as_links(
        f'<p><img src="{address}" alt="internal chart"></p>', base_url="http://testserver/"
    )
    assert printable == f'<p><a href="{address}">internal chart</a></p>'


def test_the_pdf_fetcher_serves_the_sites_static_files_and_nothing_else(settings, http_server):
    from weasyprint.urls import URLFetchingError, fetch

    from public.printing import url_fetcher

    fetcher = url_fetcher("http://testserver/")
    with fetch(fetcher, "http://testserver/static/css/site.css") as response:
        assert b"{" in response.read()
    port = http_server.server_address[1]
    for refused in (
        f"http://127.0.0.1:{port}/static/css/site.css",
        "http://testserver/static/../../manage.py",
        "http://testserver/admin/",
        "file:///etc/passwd",
        "https://testserver/static/css/site.css",
    ):
        with pytest.raises(URLFetchingError), fetch(fetcher, refused):
            pass
    assert http_server.asked == []


XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    '"><script>alert(1)</script>',
    "<body onload=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
]


class _AsAReaderRendersIt(HTMLParser):
    """What a feed reader makes of a `type="html"` summary: its elements and its text."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text += data


def _summaries(content: bytes) -> list[str]:
    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.fromstring(content)
    summaries = root.findall(f"{atom}entry/{atom}summary")
    assert summaries
    assert {summary.get("type") for summary in summaries} == {"html"}
    return [summary.text or "" for summary in summaries]


@pytest.mark.parametrize("payload", XSS)
def test_feed_summaries_carry_no_live_markup(client, working_group, user, payload):
    """The probe: a member-written summary and an iteration name with an XSS payload. In all
    three feeds, the summary as a feed reader renders it has no element, no event handler
    and no javascript: address; it reads as the text that was written."""
    second = iteration("xss", payload)
    publish(make(working_group, user, summary=payload), user, second)
    for url in (
        reverse("feeds:recommendations"),
        reverse("feeds:group", args=[working_group.slug]),
        reverse("feeds:iterations"),
    ):
        for summary in _summaries(client.get(url).content):
            rendered = _AsAReaderRendersIt(summary)
            assert rendered.tags == [], (url, summary)
            assert rendered.text == payload, url


def test_publishing_keeps_the_word_diff_with_the_version_before(
    client, working_group, user, iterations, monkeypatch, django_capture_on_commit_callbacks
):
    """The task run when a version is published compares it with the one before with all
    the time it needs: the compare page shows that diff word by word even when the request
    itself has no time for one."""
    first, second = iterations
    with django_capture_on_commit_callbacks(execute=True):
        hub = publish(make(working_group, user, body="We recommend a global hub.\n"), user, first)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(hub, user, second, body="We recommend a regional hub.\n")
    assert callbacks
    monkeypatch.setattr(diffing, "DIFF_SECONDS", 0)
    html = client.get(
        reverse("public:compare", args=[hub.working_group.slug, hub.number]),
        {"from": "first-draft", "to": "second-iteration"},
    ).content.decode()
    assert "<del>global</del><ins>regional</ins>" in html
    assert "This comparison is shown by paragraph" not in html


def test_the_precomputed_diff_is_found_by_the_versions_not_made_again(
    working_group, user, iterations
):
    from recommendations.models import Version
    from recommendations.text.version_diffs import version_diff, version_diff_precompute

    first, second = iterations
    hub = publish(make(working_group, user, body="One two three.\n"), user, first)
    publish(hub, user, second, body="One 2 three.\n")
    old, new = Version.objects.filter(recommendation=hub).order_by("iteration__position")
    assert version_diff_precompute(version_id=old.pk) is False  # nothing before the first
    assert version_diff_precompute(version_id=new.pk) is True
    assert version_diff_precompute(version_id=new.pk) is True  # safe to run twice
    body = version_diff(old=old, new=new)["body"].html
    assert body == "<p>One <del>two</del><ins>2</ins> three.</p>"


def test_the_compare_page_reads_the_same_queries_at_two_sizes(
    client, working_group, user, settings
):
    """2 or 6 published iterations, a short or a 40 KB body: the same queries."""
    settings.PUBLIC_PAGE_CACHE = False
    counts = []
    for iterations, size in ((2, 100), (6, 40 * 1024)):
        made = make(working_group, user, title=f"Size {size}", body="a b " * (size // 4))
        for index in range(iterations):
            stage = iteration(f"stage-{size}-{index}", f"Stage {index}")
            stage.position = index
            stage.save()
            publish(made, user, stage, body=("b a " if index % 2 else "a b ") * (size // 4))
        url = reverse("public:compare", args=[made.working_group.slug, made.number])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
