"""Iterations' PDFs, made by a task and kept as files: no request renders one.

WeasyPrint takes seconds per hundred recommendations, so an iteration's PDF of each page
and each language is rendered by `public.tasks.iteration_pdfs_render` and written under
ITERATION_PDF_DIR, named after a digest of the HTML it was made from. A request serves the
newest file there; when public content has changed since the PDFs were last checked, it
asks for a check (at most one queued at a time) and serves the file it has meanwhile. A
check renders the HTML (a fraction of the PDF's cost) and makes a PDF only where the HTML
changed. A page with no file yet says that one is being prepared.

The PDF names the address to cite, built from SITE_URL: it is made once for every reader,
whichever host they came by.
"""

import hashlib
import os
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from public.caching import content_version
from public.printing import html_to_pdf

# How long a queued check keeps others from being queued: a worker that died with it
# leaves the next request after this to ask again.
CHECK_QUEUED_SECONDS = 10 * 60

# The iterations whose checks wait for the end of a `checks_deferred` block, or None.
_deferred: ContextVar[set[int] | None] = ContextVar("public_pdfs_deferred", default=None)


def _folder(iteration, language: str) -> Path:
    return Path(settings.ITERATION_PDF_DIR) / iteration.slug / language


def ready(iteration, language: str, page_number: int) -> Path | None:
    """The newest PDF of this page of the iteration's set in `language`, or None."""
    folder = _folder(iteration, language)
    try:
        files = [path for path in folder.glob(f"{page_number}-*.pdf") if path.is_file()]
    except OSError:
        return None
    return max(files, key=lambda path: path.stat().st_mtime, default=None)


def open_ready(iteration, language: str, page_number: int):
    """The newest PDF of this page, opened for reading, or None. A check that renders a new
    one drops the file it replaces: one dropped between finding and opening it is looked
    for again."""
    for _attempt in range(3):
        path = ready(iteration, language, page_number)
        if path is None:
            return None
        try:
            return path.open("rb")
        except FileNotFoundError:
            continue
    return None


def _checked_key(iteration_id: int, language: str) -> str:
    return f"public:pdfs:checked:{iteration_id}:{language}"


def _queued_key(iteration_id: int, language: str) -> str:
    return f"public:pdfs:queued:{iteration_id}:{language}"


def _queue(iteration_id: int, language: str) -> None:
    """Queue a check unless one is queued already."""
    from public.tasks import iteration_pdfs_render

    if cache.add(_queued_key(iteration_id, language), True, CHECK_QUEUED_SECONDS) is False:
        return
    iteration_pdfs_render.delay_or_log(iteration_id, language)


def check_soon(iteration, language: str) -> None:
    """Queue a check of the iteration's PDFs in `language`, unless public content has not
    changed since the last one or a check is queued already. (For requests that write
    nothing: the check reads what is committed.)"""
    version = content_version()
    checked = cache.get(_checked_key(iteration.pk, language))
    if version is not None and checked is not None and checked >= version:
        return
    _queue(iteration.pk, language)


def check_on_commit(iteration_id: int | None) -> None:
    """Once the transaction commits, check the iteration's PDFs in every language: what it
    publishes is ready before anyone asks. Off where ITERATION_PDFS_ON_PUBLISH is (the
    tests, which would otherwise render PDFs for every publication)."""
    if iteration_id is None or not settings.ITERATION_PDFS_ON_PUBLISH:
        return
    deferred = _deferred.get()
    if deferred is not None:
        deferred.add(iteration_id)
        return

    def queue_every_language():
        for language, _name in settings.LANGUAGES:
            _queue(iteration_id, language)

    transaction.on_commit(queue_every_language, robust=True)


@contextmanager
def checks_deferred():
    """Hold back the checks that saves in this block ask for: when it ends, each iteration
    they concern is checked once per language (after the enclosing transaction commits, if
    any), not once per save. For bulk loads (the demo data), where hundreds of publications
    would each check every language of their iteration. Nested blocks hand their iterations
    to the outermost one. A save that was rolled back still has its iteration checked:
    a check reads what is committed, so one too many only costs its time."""
    if _deferred.get() is not None:
        yield
        return
    token = _deferred.set(set())
    try:
        yield
    finally:
        iteration_ids = _deferred.get()
        _deferred.reset(token)
        for iteration_id in sorted(iteration_ids):
            check_on_commit(iteration_id)


def page_path(iteration, page) -> str:
    """The address of this page of the iteration's set."""
    path = reverse("public:iteration", args=[iteration.slug])
    if page.paginator.num_pages > 1:
        path += f"?page={page.number}"
    return path


def _html(iteration, page, groups) -> str:
    cite = settings.SITE_URL + page_path(iteration, page)
    return render_to_string(
        "public/iteration_print.html",
        {
            "iteration": iteration,
            "page": page,
            "groups": groups,
            "count": page.paginator.count,
            "cite": cite,
            "page_url": cite,
        },
    )


def _write(path: Path, content: bytes) -> None:
    """Write `content` at `path` whole or not at all: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def render(iteration, language: str) -> int:
    """Check every page of the iteration's set in `language`: render the PDFs whose HTML
    changed and drop the files they replace. Returns how many PDFs were rendered. The pages
    and groups are the iteration page's own, so the PDF shows what the page shows."""
    from public.views.iterations import iteration_groups, iteration_page

    version = content_version()
    rendered = 0
    folder = _folder(iteration, language)
    with translation.override(language):
        number, pages = 1, 1
        while number <= pages:
            page = iteration_page(iteration, number)
            pages = page.paginator.num_pages
            html = _html(iteration, page, iteration_groups(page.object_list, language))
            digest = hashlib.sha256(html.encode()).hexdigest()[:20]
            path = folder / f"{page.number}-{digest}.pdf"
            if not path.exists():
                _write(path, html_to_pdf(html, base_url=settings.SITE_URL + "/"))
                rendered += 1
            for older in folder.glob(f"{page.number}-*.pdf"):
                if older != path:
                    older.unlink(missing_ok=True)
            number += 1
    # The pages the set no longer has.
    for extra in folder.glob("*.pdf"):
        if int(extra.name.split("-", 1)[0]) > pages:
            extra.unlink(missing_ok=True)
    if version is not None:
        cache.set(_checked_key(iteration.pk, language), version, None)
    cache.delete(_queued_key(iteration.pk, language))
    return rendered
