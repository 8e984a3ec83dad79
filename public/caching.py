"""The public pages' cache: conditional GET (ETag, Last-Modified, 304) and a page cache,
both keyed on one content version that any change to public content bumps, and, for the
pages that show feedback, on the versions of its scopes (`shows`), which feedback moves
without making the rest stale.

Pages are kept in Redis, shared by every process, and the latest used of them in each
process's memory too (`_local`, with their headers ready to use), with the content version
read at most once a second: a page served from the cache mostly costs no Redis read at all.

Signed-in people get fresh, private pages: their pages carry their name and their forms.

Redis is optional: when it cannot be read, a process keeps to the content version it last
read for STALE_SECONDS (serving the pages it holds in memory), then renders every page fresh
until Redis answers again. A change made meanwhile is written to Redis as soon as it does.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

CONTENT_VERSION_KEY = "public:content-version"
PAGE_SECONDS = 60 * 60
BROWSER_SECONDS = 60


# How long a process trusts the content version it last read. A change made in another
# process reaches this one's pages that much later at most (browsers keep pages for
# BROWSER_SECONDS anyway); a change made here, at once.
VERSION_SECONDS = 1.0
# How long a process goes on trusting the version it last read when Redis cannot be read: a
# short outage is served from memory; a longer one renders pages fresh rather than risk
# serving, for long, pages another process has seen change.
STALE_SECONDS = 30.0
# Per version key: `read`: when Redis last answered; `unsaved`: a change Redis has not been
# told of yet.
_versions: dict[str, dict] = {}
# Scopes are many (one per recommendation and feedback thread): past this many, a process
# forgets those it holds and reads them again.
SCOPES_KEPT = 20_000


def _version_key(scope: str | None) -> str:
    return CONTENT_VERSION_KEY if scope is None else f"{CONTENT_VERSION_KEY}:{scope}"


def _state(key: str) -> dict:
    state = _versions.get(key)
    if state is None:
        if len(_versions) > SCOPES_KEPT:
            # Kept: the content version, and any change Redis has not been told of yet.
            kept = {
                name: known
                for name, known in _versions.items()
                if name == CONTENT_VERSION_KEY or known["unsaved"] is not None
            }
            _versions.clear()
            _versions.update(kept)
        state = _versions[key] = {"value": None, "until": 0.0, "read": 0.0, "unsaved": None}
    return state


def content_version(scope: str | None = None) -> int | None:
    """A number that changes whenever public content changes (nanoseconds of the change);
    None when Redis has not answered for STALE_SECONDS: then nothing is cached.

    With a `scope`, the number of one part of public content that changes often and shows
    on few pages (the feedback on one recommendation, one feedback thread, all feedback):
    it moves with a change to that part only; the pages that show it are kept on both."""
    key = _version_key(scope)
    state = _state(key)
    now = time.monotonic()
    if state["value"] is not None and now < state["until"]:
        return state["value"]
    version = cache.get(key)
    if version is None:
        cache.add(key, state["unsaved"] or time.time_ns(), None)
        version = cache.get(key)
    if version is None:
        if state["value"] is not None and now < state["read"] + STALE_SECONDS:
            state["until"] = now + VERSION_SECONDS
            return state["value"]
        return None
    unsaved = state["unsaved"]
    if unsaved is not None and version < unsaved and cache.set(key, unsaved, None) is not False:
        version = unsaved
    if unsaved is not None and version >= unsaved:
        state["unsaved"] = None
    state.update(value=version, until=now + VERSION_SECONDS, read=now)
    return version


def content_changed(*scopes: str) -> None:
    """Every cached public page is stale from now on; with `scopes`, only the pages that
    show one of them. Call it after the change commits (content_changed_on_commit): a page
    rendered before the commit would be cached anew."""
    version = time.time_ns()
    for scope in scopes or (None,):
        key = _version_key(scope)
        state = _state(key)
        if cache.set(key, version, None) is False:
            state["unsaved"] = version
        state.update(value=version, until=time.monotonic() + VERSION_SECONDS)


def content_changed_on_commit(*scopes: str) -> None:
    """content_changed() once the current transaction commits (at once outside one). A
    cache error is logged, never raised: the write stands. (Each change registers its own
    call: one Redis write each, cheaper than working out which registrations a savepoint's
    rollback would drop.)"""
    transaction.on_commit(lambda: content_changed(*scopes), robust=True)


def forget_local() -> None:
    """Drop what this process keeps (for tests, which empty the shared cache between them),
    the fragments too (the search snippets among them; kept by row id: a test database may
    number anew)."""
    from strategy import fragments

    _versions.clear()
    _kept_queries.clear()
    _local.clear()
    fragments.forget()


class _LocalPages:
    """The pages this process served last, at most `size`, each as its content and its
    response headers as HttpResponse keeps them, checked once when kept: served from here, a
    page costs no unpickling and no checking of its headers again (a good part of what a
    page from the cache costs). A lock: an ASGI server runs views in several threads."""

    def __init__(self, size: int):
        self.size = size
        self._pages: OrderedDict[str, tuple[bytes, dict]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def set(self, key: str, content: bytes, headers: dict) -> None:
        checked = HttpResponse(content, headers=headers).headers._store
        with self._lock:
            self._pages[key] = (content, dict(checked))
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    @staticmethod
    def response(page) -> HttpResponse:
        content, checked = page
        response = HttpResponse(content)
        response.headers._store.update(checked)
        return response


# How many pages each process keeps in memory (the rest are read from Redis).
LOCAL_PAGES = 1000
_local = _LocalPages(LOCAL_PAGES)


def _cached(key: str):
    """A page as a response ready to send: from this process's memory, else from Redis."""
    page = _local.get(key)
    if page is None:
        entry = cache.get(key)
        if entry is None:
            return None
        _local.set(key, *entry)
        page = _local.get(key)
    return _LocalPages.response(page)


def _anonymous(request) -> bool:
    # Without a session cookie there is no session, so no one signed in: the session and
    # the user need not be loaded to know it.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or (
        not request.user.is_authenticated
    )


# Each query string a process saw, and the part of it the view reads (_kept_query): at most
# QUERIES_KEPT of them, each no longer than QUERY_KEPT.
_kept_queries: dict[tuple[tuple[str, ...], str], str] = {}
QUERIES_KEPT = 2048
QUERY_KEPT = 1000


def _kept_query(request, reads: tuple[str, ...]) -> str:
    """The request's query string with only the parameters named in `reads`, in that order.
    Worked out once per query string (parsing and quoting it again cost a cached page a
    good part of its time): the result depends on nothing else."""
    original = request.META.get("QUERY_STRING", "")
    key = (reads, original)
    query = _kept_queries.get(key)
    if query is None:
        kept = QueryDict(mutable=True)
        for name in reads:
            if name in request.GET:
                kept.setlist(name, request.GET.getlist(name))
        query = kept.urlencode()
        if len(original) <= QUERY_KEPT:
            if len(_kept_queries) >= QUERIES_KEPT:
                _kept_queries.clear()
            _kept_queries[key] = query
    return query


@contextmanager
def _only_parameters(request, reads: tuple[str, ...]):
    """While the view runs, the query string holds only the parameters it reads, in that
    order: the page is then the same for any other parameter, and so is its cache entry.
    Middleware sees the request as it came (a redirect keeps its whole query)."""
    original = request.META.get("QUERY_STRING", "")
    query = _kept_query(request, reads)
    if query == original:
        yield query
        return
    GET = request.GET
    request.GET, request.META["QUERY_STRING"] = QueryDict(query), query
    try:
        yield query
    finally:
        request.GET, request.META["QUERY_STRING"] = GET, original


def public_page(view=None, *, reads: tuple[str, ...] = (), shows=None):
    """Cache an anonymous GET page until public content changes, and answer 304 when the
    browser's copy is still current.

    A page is kept per scheme and host (its links are absolute in feeds and sitemaps),
    language, path and the query parameters the view reads, named in `reads`
    (`@public_page(reads=("page",))`); the view sees no other parameter.

    `shows(**kwargs)`, given the view's URL arguments, names the scopes of content the page
    shows besides what any change makes stale (public/invalidation.py says which changes
    move which scope): feedback on a recommendation is in its page and its thread's, and a
    comment leaves every other page in the cache."""
    if view is None:
        return lambda view: public_page(view, reads=reads, shows=shows)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not _anonymous(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        scopes = shows(**kwargs) if shows else ()
        with _only_parameters(request, reads) as query:
            return _serve(view, request, query, scopes, *args, **kwargs)

    return wrapper


def _versions_of(scopes: tuple[str, ...]) -> list[int] | None:
    """The content version and those of `scopes`; None when one cannot be read."""
    versions = [content_version()]
    versions += [content_version(scope) for scope in scopes]
    return None if None in versions else versions


def _serve(view, request, query: str, scopes: tuple[str, ...], *args, **kwargs):
    """The page from the cache, or rendered and kept; 304 when the browser has it."""
    versions = _versions_of(scopes)
    if versions is None:
        # Redis has not answered for a while: a fresh page, kept by no one.
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
        patch_vary_headers(response, ("Cookie",))
        return response
    place = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    version = ",".join(map(str, versions))
    # The language LocaleMiddleware chose (reading it again costs as much as a page's lookup).
    language = getattr(request, "LANGUAGE_CODE", None) or get_language()
    digest = hashlib.sha256(f"{version}:{language}:{place}".encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    last_modified = max(versions) // 1_000_000_000
    meta = request.META
    if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return not_modified
    key = f"public:entry:{digest}"
    kept = _cached(key) if settings.PUBLIC_PAGE_CACHE else None
    if kept is not None:
        # Kept with its final headers: nothing to work out again.
        return kept
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    cacheable = response.status_code == 200 and not response.streaming
    if not response.streaming:
        # In one piece: a page written bit by bit (a feed) would otherwise leave in as
        # many small packets, each waiting on the last one's acknowledgement.
        response.content = response.content
    if cacheable:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
    patch_vary_headers(response, ("Cookie",))
    if cacheable and settings.PUBLIC_PAGE_CACHE:
        entry = (response.content, dict(response.items()))
        cache.set(key, entry, PAGE_SECONDS)
        _local.set(key, *entry)
    return response
