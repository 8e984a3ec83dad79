"""The public pages' cache: conditional GET (ETag, Last-Modified, 304) and a page cache,
both keyed on one content version that any change to public content bumps.

Pages are kept in Redis, shared by every process, and the latest used of them in each
process's memory too (the "pages" cache, a LocMemCache), with the content version read at
most once a second: a page served from the cache mostly costs no Redis read at all.

Signed-in people get fresh, private pages: their pages carry their name and their forms.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
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
_version = {"value": None, "until": 0.0}


def content_version() -> int:
    """A number that changes whenever public content changes (nanoseconds of the change)."""
    now = time.monotonic()
    if _version["value"] is not None and now < _version["until"]:
        return _version["value"]
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        cache.add(CONTENT_VERSION_KEY, time.time_ns(), None)
        version = cache.get(CONTENT_VERSION_KEY)
    _version.update(value=version, until=now + VERSION_SECONDS)
    return version


def content_changed(**_kwargs) -> None:
    """Every cached public page is stale from now on."""
    version = time.time_ns()
    cache.set(CONTENT_VERSION_KEY, version, None)
    _version.update(value=version, until=time.monotonic() + VERSION_SECONDS)


def forget_local() -> None:
    """Drop what this process keeps (for tests, which empty the shared cache between them)."""
    _version.update(value=None, until=0.0)
    caches["pages"].clear()


def _cached(key: str):
    """A page as (content, headers): from this process's memory, else from Redis."""
    local = caches["pages"]
    entry = local.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            local.set(key, entry)
    return entry


def _anonymous(request) -> bool:
    # Without a session cookie there is no session, so no one signed in: the session and
    # the user need not be loaded to know it.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or (
        not request.user.is_authenticated
    )


def public_page(view):
    """Cache an anonymous GET page until public content changes, and answer 304 when the
    browser's copy is still current."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not _anonymous(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        version = content_version()
        path = request.get_full_path()
        digest = hashlib.sha256(f"{version}:{get_language()}:{path}".encode()).hexdigest()[:32]
        etag = f'"{digest}"'
        last_modified = version // 1_000_000_000
        meta = request.META
        if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
            not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if not_modified is not None:
                return not_modified
        key = f"public:entry:{digest}"
        entry = _cached(key) if settings.PUBLIC_PAGE_CACHE else None
        if entry is not None:
            # Kept with its final headers: nothing to work out again.
            return HttpResponse(entry[0], headers=entry[1])
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
            caches["pages"].set(key, entry)
        return response

    return wrapper
