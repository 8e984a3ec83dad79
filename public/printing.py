"""HTML to PDF (WeasyPrint) that fetches nothing from the network.

WeasyPrint's default URL fetcher opens any address a document names, so a published body
with `![x](http://127.0.0.1:5432/)` would make the server request an address of its own
network, and a slow one would hold the worker. The PDF may use the site's own static files
only, read from disk; an image from anywhere else appears as its alt text, linked to where
it lives.
"""

import mimetypes
import posixpath
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def _static_path(url: str, base_url: str) -> Path | None:
    """The file on disk for one of the site's own static addresses, or None for any other
    address (another host, another path, a path that climbs out of the static files)."""
    parts, base = urlsplit(url), urlsplit(base_url)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    if not parts.path.startswith(prefix):
        return None
    relative = posixpath.normpath(unquote(parts.path[len(prefix) :]))
    if relative.startswith(("..", "/")) or relative == ".":
        return None
    try:
        # Collected files first: in production their names carry a hash.
        collected = Path(safe_join(str(settings.STATIC_ROOT), relative))
    except SuspiciousFileOperation:
        return None
    if collected.is_file():
        return collected
    found = finders.find(relative)
    return Path(found) if found else None


def url_fetcher(base_url: str):
    """A WeasyPrint URL fetcher that serves the site's static files under `base_url` from
    disk and refuses every other address (WeasyPrint then leaves the resource out)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = _static_path(url, base_url)
            if path is None:
                raise ValueError(f"Not one of the site's static files: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesOnly()


class _Attributes(HTMLParser):
    def __init__(self, tag: str):
        super().__init__()
        self.attributes: dict[str, str] = {}
        self.feed(tag)

    def handle_starttag(self, tag, attrs):
        self.attributes = {name: value or "" for name, value in attrs}


def images_as_links(html: str, *, base_url: str) -> str:
    """`html` with every image that is not one of the site's static files replaced by its
    alt text (or its address), linked to its address."""

    def replace(match: re.Match) -> str:
        attributes = _Attributes(match.group(0)).attributes
        source = attributes.get("src", "")
        if source and _static_path(urljoin(base_url, source), base_url) is not None:
            return match.group(0)
        text = attributes.get("alt") or source
        return f'<a href="{escape(source)}">{escape(text)}</a>'

    return _IMG.sub(replace, html)


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of `html`, with nothing fetched but the site's own static files."""
    from weasyprint import HTML

    printable = images_as_links(html, base_url=base_url)
    return HTML(string=printable, base_url=base_url, url_fetcher=url_fetcher(base_url)).write_pdf()
