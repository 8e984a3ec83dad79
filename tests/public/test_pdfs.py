"""Iterations' PDFs are made by a task and served as files (public/pdfs.py): no request
renders one; a check renders only what changed; publishing queues them before anyone asks."""

import ast
import json
import time

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from public import pdfs
from public.caching import content_changed
from strategy.celery import app
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    """Tasks stay in this test process's Redis queue (nothing consumes them): `queue()`
    says how many checks of PDFs wait there, with the language of each."""
    app.conf.task_always_eager = False
    app.control.purge()
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        yield lambda: _checks(client.lrange(settings.CELERY_TASK_DEFAULT_QUEUE, 0, -1))
    finally:
        app.control.purge()
        app.conf.task_always_eager = True


def _checks(messages) -> int:
    tasks = [json.loads(message)["headers"] for message in messages]
    return sum(task["task"] == "public.tasks.iteration_pdfs_render" for task in tasks)


def _queued(settings) -> list[tuple[int, str]]:
    """The (iteration id, language) of each check of PDFs waiting in the queue."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    messages = client.lrange(settings.CELERY_TASK_DEFAULT_QUEUE, 0, -1)
    headers = [json.loads(message)["headers"] for message in messages]
    return [
        ast.literal_eval(task["argsrepr"])
        for task in headers
        if task["task"] == "public.tasks.iteration_pdfs_render"
    ]


def _url(iteration, language="en"):
    with translation.override(language):
        return reverse("public:iteration_pdf", args=[iteration.slug])


@pytest.mark.worker
def test_no_request_renders_a_pdf_a_worker_does(celery_worker, client, published, iterations):
    """The first request answers at once that the PDF is being prepared (and reloads); the
    worker renders it; a later request serves the file."""
    url = _url(iterations[1])
    first = client.get(url)
    assert first.status_code == 202
    html = first.content.decode()
    assert "The PDF is being prepared." in html
    assert "it looks again every 10 seconds" in html
    assert first["Refresh"] == "10"
    assert "no-store" in first["Cache-Control"]
    deadline = time.monotonic() + 120
    while (response := client.get(url)).status_code == 202:
        assert time.monotonic() < deadline, "the worker never made the PDF"
        time.sleep(0.2)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.getvalue().startswith(b"%PDF")


def test_requests_queue_one_check_and_none_while_the_pdfs_are_current(
    client, published, iterations, queue
):
    second = iterations[1]
    assert [client.get(_url(second)).status_code for _ in range(3)] == [202, 202, 202]
    assert queue() == 1
    app.control.purge()
    pdfs.render(second, "en")  # what the queued task does
    assert client.get(_url(second)).status_code == 200
    assert queue() == 0, "nothing changed since the check"
    # Another language has its own PDF and its own check.
    french = _url(second, "fr")
    assert french != _url(second)
    assert client.get(french).status_code == 202
    assert queue() == 1
    app.control.purge()
    # Public content changed: the file there is served meanwhile, and a check is queued.
    content_changed()
    assert client.get(_url(second)).status_code == 200
    assert queue() == 1


def test_a_check_renders_only_what_changed_and_drops_the_file_it_replaces(
    published, working_group, user, iterations
):
    second = iterations[1]
    assert pdfs.render(second, "en") == 1
    made = pdfs.ready(second, "en", 1)
    assert pdfs.render(second, "en") == 0
    assert pdfs.ready(second, "en", 1) == made
    publish(make(working_group, user, title="Shared calendar"), user, second)
    assert pdfs.render(second, "en") == 1
    remade = pdfs.ready(second, "en", 1)
    assert remade != made
    assert not made.exists()
    assert sorted(path.name for path in remade.parent.iterdir()) == [remade.name]
    # The other iteration's PDFs are its own.
    assert pdfs.ready(iterations[0], "en", 1) is None


def test_a_set_that_shrinks_drops_the_pages_it_no_longer_has(published, iterations, monkeypatch):
    from public.views import iterations as views

    second = iterations[1]
    monkeypatch.setattr(views, "ITERATION_PER_PAGE", 1)
    assert pdfs.render(second, "en") == 2
    assert pdfs.ready(second, "en", 2) is not None
    monkeypatch.setattr(views, "ITERATION_PER_PAGE", 100)
    assert pdfs.render(second, "en") == 1
    assert pdfs.ready(second, "en", 2) is None


def test_publishing_in_an_iteration_queues_its_pdfs_in_every_language(
    settings, published, working_group, user, iterations, queue, django_capture_on_commit_callbacks
):
    settings.ITERATION_PDFS_ON_PUBLISH = True
    with django_capture_on_commit_callbacks(execute=True):
        publish(make(working_group, user, title="Shared calendar"), user, iterations[1])
    assert queue() == len(settings.LANGUAGES)


@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_checks_each_iteration_once_per_language_when_it_ends(
    settings, working_group, user, iterations, queue
):
    """Inside `checks_deferred` (the demo data's loads) publications, each committed, queue
    nothing; when the block ends each iteration they concern is queued once in every
    language, also from a nested block. Outside it the first publication queues its
    iteration's checks at once."""
    settings.ITERATION_PDFS_ON_PUBLISH = True
    first, second = iterations
    with pdfs.checks_deferred():
        for title in ("Shared calendar", "Open minutes", "Regional hubs"):
            publish(make(working_group, user, title=title), user, second)
        with pdfs.checks_deferred():
            publish(make(working_group, user, title="Advocacy hub"), user, first)
        assert queue() == 0
    languages = [language for language, _name in settings.LANGUAGES]
    assert sorted(_queued(settings)) == sorted(
        (iteration.pk, language) for iteration in (first, second) for language in languages
    )
    app.control.purge()
    cache.clear()
    publish(make(working_group, user, title="Translation fund"), user, second)
    assert sorted(_queued(settings)) == [(second.pk, language) for language in sorted(languages)]


def test_a_pdf_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """A reader never opens half a file: the content goes to a partial file first, renamed
    into place; a failure leaves nothing behind."""
    target = tmp_path / "iteration" / "en" / "1-abc.pdf"
    pdfs._write(target, b"%PDF-1.7 whole")
    assert target.read_bytes() == b"%PDF-1.7 whole"

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(pdfs.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        pdfs._write(tmp_path / "iteration" / "en" / "2-def.pdf", b"%PDF-1.7")
    assert sorted(path.name for path in target.parent.iterdir()) == ["1-abc.pdf"]


def test_a_pdf_replaced_between_finding_and_opening_it_is_found_again(
    published, iterations, monkeypatch
):
    """A check drops the file it replaces: a request that found the old one opens the new."""
    second = iterations[1]
    pdfs.render(second, "en")
    current = pdfs.ready(second, "en", 1)
    gone = current.with_name("1-0000000000.pdf")
    found = iter([gone, current])
    monkeypatch.setattr(pdfs, "ready", lambda *args: next(found))
    with pdfs.open_ready(second, "en", 1) as file:
        assert file.name == str(current)
