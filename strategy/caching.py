"""The public pages' cache: conditional GET (ETag, Last-Modified, 304) and a page cache in
Redis, both keyed on one content version that any change to public content bumps.

Signed-in people get fresh, private pages: their pages carry their name and their forms.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

CONTENT_VERSION_KEY = "public:content-version"
PAGE_SECONDS = 60 * 60
BROWSER_SECONDS = 60


def content_version() -> int:
    """A number that changes whenever public content changes (nanoseconds of the change)."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        cache.add(CONTENT_VERSION_KEY, time.time_ns(), None)
        version = cache.get(CONTENT_VERSION_KEY)
    return version


def content_changed(**_kwargs) -> None:
    """Every cached public page is stale from now on."""
    cache.set(CONTENT_VERSION_KEY, time.time_ns(), None)


def public_page(view):
    """Cache an anonymous GET page until public content changes, and answer 304 when the
    browser's copy is still current."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        version = content_version()
        path = request.get_full_path()
        etag = (
            '"'
            + hashlib.sha256(f"{version}:{get_language()}:{path}".encode()).hexdigest()[:32]
            + '"'
        )
        last_modified = version // 1_000_000_000
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return not_modified
        key = f"public:page:{version}:{get_language()}:{hashlib.sha256(path.encode()).hexdigest()}"
        response = cache.get(key) if settings.PUBLIC_PAGE_CACHE else None
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming:
                response["ETag"] = etag
                response["Last-Modified"] = http_date(last_modified)
                if settings.PUBLIC_PAGE_CACHE:
                    cache.set(key, response, PAGE_SECONDS)
        patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper
