"""The page cache's two levels: Redis, shared, and each process's memory."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from public import caching
from recommendations.models import Recommendation
from strategy import generations

pytestmark = pytest.mark.django_db


def translated(recommendation, django_capture_on_commit_callbacks) -> None:
    """The recommendation's title in Chinese, written as a save writes it (its updated_at
    and its generation move), without going through this process's page cache."""
    with django_capture_on_commit_callbacks(execute=True):
        Recommendation.objects.filter(pk=recommendation.pk).update(
            title_zh_hans="会议记录", updated_at=timezone.now()
        )
        generations.model_changed("recommendations.Recommendation")


def test_a_change_made_in_another_process_reaches_pages_within_a_second(
    client, published, caching_clock, django_capture_on_commit_callbacks
):
    url = "/zh-hans" + published["minutes"].get_public_url()
    assert "Open minutes" in client.get(url).content.decode()
    # Another process translates the title (as a save does, its updated_at moves and its
    # generation once it commits: the page's kept parts are keyed on them) and bumps the
    # version in Redis.
    translated(published["minutes"], django_capture_on_commit_callbacks)
    cache.set(caching.CONTENT_VERSION_KEY, 1, None)
    # This one read the version less than a second ago: it still serves its copy...
    assert "会议记录" not in client.get(url).content.decode()
    # ...and a second later, the new page.
    caching_clock.advance(caching.VERSION_SECONDS + 0.1)
    assert "会议记录" in client.get(url).content.decode()
    assert caching.content_version() == 1


def test_a_page_from_memory_is_a_new_response_each_time():
    """Nothing middleware adds to one response (a cookie, a header) reaches the next."""
    calls = []

    @caching.public_page
    def view(request):
        calls.append(request)
        return HttpResponse("<p>page</p>")

    request = RequestFactory().get("/somewhere/")
    request.user = _Anonymous()
    first = view(request)
    first.set_cookie("csrftoken", "for-the-first-visitor")
    first["X-Extra"] = "first"
    second = view(request)
    assert len(calls) == 1
    assert second is not first
    assert second.content == b"<p>page</p>"
    assert "csrftoken" not in second.cookies
    assert "X-Extra" not in second
    assert second["ETag"] == first["ETag"]


def test_a_page_from_memory_or_from_redis_carries_the_headers_it_was_kept_with(client, published):
    url = "/zh-hans" + published["minutes"].get_public_url()
    first = client.get(url)
    from_memory = client.get(url)
    caching._local.clear()  # another process: the page is in Redis only
    from_redis = client.get(url)
    for again in (from_memory, from_redis):
        assert again.content == first.content
        assert dict(again.items()) == dict(first.items())
    assert first["Content-Language"] == "zh-hans"


def test_a_process_keeps_only_so_many_pages_the_latest_used():
    local = caching._LocalPages(2)
    for key in ("a", "b"):
        local.set(key, key.encode(), {"Content-Type": "text/plain"})
    assert local.get("a") is not None  # "a" is now the latest used
    local.set("c", b"c", {"Content-Type": "text/plain"})
    assert local.get("b") is None
    assert caching._LocalPages.response(local.get("a")).content == b"a"
    assert caching._LocalPages.response(local.get("c"))["Content-Type"] == "text/plain"


def test_a_page_written_in_pieces_leaves_in_one(client, published):
    """A feed is written bit by bit; sent as many small writes, each would wait for the
    acknowledgement of the one before."""
    response = client.get(reverse("feeds:recommendations"))
    assert response.status_code == 200
    assert len(list(response)) == 1


def test_a_page_kept_in_memory_is_served_without_redis(client, published):
    url = published["minutes"].get_public_url()
    first = client.get(url)
    version = cache.get(caching.CONTENT_VERSION_KEY)
    cache.clear()  # Redis forgets the page; this process's memory does not.
    cache.set(caching.CONTENT_VERSION_KEY, version, None)
    again = client.get(url)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_without_the_page_cache_every_request_renders(
    settings, client, published, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PAGE_CACHE = False
    url = "/zh-hans" + published["minutes"].get_public_url()
    assert "会议记录" not in client.get(url).content.decode()
    translated(published["minutes"], django_capture_on_commit_callbacks)
    assert "会议记录" in client.get(url).content.decode()


class _Anonymous:
    is_authenticated = False


def test_a_parameter_the_page_does_not_read_hits_the_same_entry(
    client, published, django_assert_num_queries
):
    """`&x=<anything>` is the same page: it cannot make the cache miss (and, on the compare
    page, run the diff) at will."""
    url = published["hub"].get_public_url() + "compare/?from=first-draft&to=second-iteration"
    first = client.get(url)
    assert first.status_code == 200
    for junk in ("&x=1", "&x=2", "&utm_source=mail&x=3"):
        with django_assert_num_queries(0):
            again = client.get(url + junk)
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]
    # A parameter the page reads is a page of its own.
    other = client.get(published["hub"].get_public_url() + "compare/?from=second-iteration")
    assert other["ETag"] != first["ETag"]


def test_the_view_sees_only_the_parameters_it_reads(client, published):
    """Links the page makes from its query string do not carry what it does not read."""
    html = client.get(reverse("public:list") + "?group=&x=evil-marker").content.decode()
    assert "evil-marker" not in html


def test_the_parameters_read_are_worked_out_once_per_query_string_and_the_same_each_time():
    """The second request with a query string gets the same parameters as the first, in the
    order the page reads them, without parsing it again; a long one is not kept, and the
    kept ones stay bounded."""
    seen = []

    @caching.public_page(reads=("b", "a"))
    def view(request):
        seen.append((request.GET.urlencode(), request.META["QUERY_STRING"]))
        return HttpResponse("<p>page</p>")

    factory = RequestFactory()
    query = "a=1&x=%C3%A9t%C3%A9&b=2&a=3"
    for _ in range(2):
        request = factory.get("/somewhere/?" + query)
        request.user = None  # no session cookie: anonymous without a look
        view(request)
        # Middleware sees the request as it came.
        assert request.META["QUERY_STRING"] == query
    assert seen[0] == seen[-1] == ("b=2&a=1&a=3", "b=2&a=1&a=3")
    assert caching._kept_queries[(("b", "a"), query)] == "b=2&a=1&a=3"
    long = "a=1&x=" + "y" * caching.QUERY_KEPT
    request = factory.get("/somewhere/?" + long)
    request.user = None
    view(request)
    assert seen[-1][0] == "a=1"
    assert (("b", "a"), long) not in caching._kept_queries
    for number in range(caching.QUERIES_KEPT + 1):
        request = factory.get(f"/somewhere/?a={number}")
        request.user = None
        view(request)
    assert len(caching._kept_queries) <= caching.QUERIES_KEPT


def test_each_host_has_its_own_entry(client, published):
    """A page cached under one host name does not serve its links to another."""
    url = reverse("feeds:recommendations")
    first = client.get(url, HTTP_HOST="localhost").content.decode()
    second = client.get(url, HTTP_HOST="127.0.0.1").content.decode()
    assert "http://localhost/" in first
    assert "http://127.0.0.1/" in second
    assert "http://localhost/" not in second


def test_past_so_many_scopes_a_process_forgets_them_but_not_a_change_redis_has_not_had(
    monkeypatch,
):
    monkeypatch.setattr(caching, "SCOPES_KEPT", 3)
    caching.content_version()
    unsaved = caching._version_key("feedback-thread:1")
    caching._state(unsaved)["unsaved"] = 123
    for number in range(2, 6):
        caching.content_version(f"feedback-thread:{number}")
    assert caching.CONTENT_VERSION_KEY in caching._versions
    assert caching._versions[unsaved]["unsaved"] == 123
    assert caching._version_key("feedback-thread:2") not in caching._versions
    assert len(caching._versions) <= 4


def test_each_language_has_its_own_entry(client, published):
    url = published["minutes"].get_public_url()
    english = client.get(url)
    chinese = client.get("/zh-hans" + url)
    assert english["Content-Language"] == "en"
    assert chinese["Content-Language"] == "zh-hans"
    assert english["ETag"] != chinese["ETag"]
    assert client.get(url)["Content-Language"] == "en"
