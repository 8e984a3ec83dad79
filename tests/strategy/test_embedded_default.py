"""The embedded default (strategy/settings/local.py): a secret key of the installation's own,
and SQLite that takes 24 people saving at once, or says it is busy.

The SQLite tests run the demo as `make demo` does: the local settings on a SQLite file,
`runserver` in a process of its own, reached over HTTP."""

import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from strategy.installation import secret_key

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED_KEY = "local-development-key-not-for-production"


def test_the_key_is_made_once_per_installation_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "var" / "secret_key"
    key = secret_key(path)
    assert len(key) >= 50
    assert key != PUBLISHED_KEY
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key(path) == key
    assert secret_key(tmp_path / "elsewhere" / "secret_key") != key


def test_processes_starting_at_once_agree_on_one_key(tmp_path):
    path = tmp_path / "secret_key"
    code = "import sys; from pathlib import Path; from strategy.installation import secret_key; "
    code += f"print(secret_key(Path({str(path)!r})))"
    processes = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    keys = {process.communicate(timeout=60)[0].strip() for process in processes}
    assert keys == {path.read_text()}
    assert not [name for name in os.listdir(tmp_path) if name != "secret_key"]


def _environment(**extra) -> dict:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    return {**clean, "DJANGO_SETTINGS_MODULE": "strategy.settings.local", **extra}


def test_the_local_settings_use_the_installations_key_not_a_published_one(tmp_path):
    probe = "import django; from django.conf import settings; django.setup(); "
    probe += "print(settings.SECRET_KEY)"
    environment = _environment(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    key = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=120, check=True,
    ).stdout.strip()  # fmt: skip
    assert key != PUBLISHED_KEY
    assert key == (ROOT / "var" / "secret_key").read_text().strip()


def _fresh_clone(destination: Path) -> Path:
    """The repository's files as a clone has them: no var/ (it is ignored, never committed).
    Files not yet committed are taken too, as the next commit will have them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    assert not (destination / "var").exists()
    return destination


@pytest.mark.parametrize("key", ["", "a-key-from-the-environment"], ids=["key-file", "key-env"])
def test_migrate_on_a_fresh_clone_makes_var_and_its_database(tmp_path, key):
    """The probe: `manage.py migrate` on a fresh clone failed with "unable to open database
    file" because nothing made var/ (with SECRET_KEY set, not even the key file)."""
    clone = _fresh_clone(tmp_path / "clone")
    environment = _environment(**({"SECRET_KEY": key} if key else {}))
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=clone, env=environment,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    assert (clone / "var" / "db.sqlite3").stat().st_size > 0


SETUP = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from recommendations import services
from tests.factories import UserFactory, WorkingGroupFactory, iteration
from tests.factories import recommendation as make

group = WorkingGroupFactory(slug="advocacy")
author = UserFactory(username="author")
made = make(group, author, title="Open minutes", body="Every meeting publishes minutes.\\n")
services.recommendation_publish(recommendation=made, user=author, iteration=iteration())
sessions = []
for index in range(24):
    client = Client()
    client.force_login(UserFactory(username=f"reader{index}"))
    sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
print(json.dumps({"url": f"/recommendations/advocacy/{made.number}/feedback/",
                  "sessions": sessions}))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    """The demo's stack on a fresh SQLite file, with a busy timeout of a few seconds."""
    database = tmp_path_factory.mktemp("sqlite-site") / "db.sqlite3"
    environment = _environment(
        DATABASE_URL=f"sqlite:///{database}", SQLITE_TIMEOUT="8", FEEDBACK_PER_HOUR="100",
    )  # fmt: skip
    run = {"cwd": ROOT, "env": environment, "check": True, "timeout": 300}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], **run)
    made = subprocess.run([sys.executable, "-c", SETUP], capture_output=True, text=True, **run)
    world = json.loads(made.stdout.strip().splitlines()[-1])
    port = _free_port()
    # The server's log goes to a file: a pipe nobody reads fills up and stops the server.
    log = database.parent / "server.log"
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    try:
        yield {**world, "base": base, "database": database, "log": log}
    finally:
        server.terminate()
        server.wait(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_feedback(site, session: str, body: str) -> tuple[int, str]:
    token = "a" * 32  # an unmasked CSRF secret, the same in the cookie and the form
    request = urllib.request.Request(
        site["base"] + site["url"],
        data=urllib.parse.urlencode({"body": body, "csrfmiddlewaretoken": token}).encode(),
        headers={"Cookie": f"sessionid={session}; csrftoken={token}"},
    )
    try:
        # Generous: 24 writers take turns on SQLite's one lock, on a machine that may be busy.
        response = urllib.request.build_opener(_NoRedirect).open(request, timeout=150)
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode()
    return response.status, response.read().decode()


def _public_threads(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT COUNT(*) FROM recommendations_thread WHERE public"
        ).fetchone()[0]


def _get(site, path: str) -> tuple[int, str, str]:
    try:
        response = urllib.request.urlopen(site["base"] + path, timeout=30)
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Content-Type", ""), answer.read().decode()
    return response.status, response.headers.get("Content-Type", ""), response.read().decode()


@pytest.mark.parametrize(
    ("prefix", "heading"),
    [("", "Not found"), ("/zh-hans", "未找到"), ("/arz", "مش موجود")],
    ids=["en", "zh-hans", "arz"],
)
def test_the_demo_shows_the_products_404_page_in_the_readers_language(sqlite_site, prefix, heading):
    """The probe: the demo (DEBUG on) answered an unknown address with Django's technical
    404 page, listing every URL pattern. The fixture runs the demo as `make demo` does,
    with no DEBUG in the environment."""
    status, _, html = _get(sqlite_site, f"{prefix}/no-such-page/")
    assert status == 404
    assert f"<h1>{heading}</h1>" in html
    assert "URLconf" not in html
    assert "Using the URLconf" not in html


def test_the_demo_still_serves_its_static_files_and_favicon(sqlite_site):
    """With DEBUG off runserver serves no static files: WhiteNoise does, without
    collectstatic."""
    _, _, home = _get(sqlite_site, "/")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in home
    status, kind, _ = _get(sqlite_site, "/static/favicon.svg")
    assert (status, kind) == (200, "image/svg+xml")
    status, kind, css = _get(sqlite_site, "/static/css/site.css")
    assert (status, kind.split(";")[0]) == (200, "text/css")
    assert css


def test_24_people_posting_feedback_at_once_are_all_saved(sqlite_site):
    """The probe: 24 parallel feedback posts gave 19 answers of 500 "database is locked"."""
    before = _public_threads(sqlite_site["database"])
    start = threading.Barrier(24)
    codes: list[int] = []

    def post(session):
        start.wait()
        try:
            codes.append(_post_feedback(sqlite_site, session, f"Comment from {session[:6]}")[0])
        except OSError as error:  # no answer in time, or the connection dropped
            codes.append(repr(error))

    threads = [threading.Thread(target=post, args=(s,)) for s in sqlite_site["sessions"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    log = sqlite_site["log"].read_text(errors="replace")[-3000:]
    assert sorted(codes, key=str) == [302] * 24, log
    assert _public_threads(sqlite_site["database"]) == before + 24


def test_the_database_in_wal_mode(sqlite_site):
    with sqlite3.connect(sqlite_site["database"]) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_database_still_locked_after_the_timeout_is_a_503_saying_so(sqlite_site):
    """Another writer holds the lock past the busy timeout: the person reads that the site
    is busy and nothing was saved, and saving works again once the lock is gone."""
    session = sqlite_site["sessions"][0]
    before = _public_threads(sqlite_site["database"])
    holder = sqlite3.connect(sqlite_site["database"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, page = _post_feedback(sqlite_site, session, "While the database is locked")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 503
    assert "The site is busy" in page
    assert "Nothing was saved" in page
    assert _public_threads(sqlite_site["database"]) == before
    assert _post_feedback(sqlite_site, session, "Once it is free")[0] == 302


NOTICES_ON_SQLITE = """
import json, django
django.setup()
from django.db import transaction
from strategy import mailer
from strategy.models import Notice, User

person = User.objects.create(username="told", email="told@example.org", language="en")
def row(key):
    return Notice(key=key, recipient=person, topic="reviews", kind="review.reminder",
                  subject="A review is due", body="Please review.", url="/workspace/reviews/",
                  state=Notice.State.PENDING, language="en")
with transaction.atomic():
    made = mailer.emails_record([row("sqlite:1"), row("sqlite:2")])
    again = mailer.emails_record([row("sqlite:1")])
later = Notice.objects.create(key="sqlite:3", recipient=person, topic="reviews",
    kind="review.reminder", subject="A review is due", body="Please review.",
    url="/workspace/reviews/", state=Notice.State.PENDING, language="en")
claimed, claimed_again = mailer._claim([later.pk]), mailer._claim([later.pk])
states = dict(Notice.objects.values_list("key", "state"))
print(json.dumps({"made": len(made), "again": len(again), "claimed": claimed == [later.pk],
                  "claimed_again": claimed_again, "states": states}))
"""


def test_the_ledger_records_and_sends_on_sqlite(sqlite_site):
    """Recording many e-mails at once and claiming a batch have their own statements on
    PostgreSQL; the demo's SQLite takes the portable ones, with the same outcome."""
    environment = _environment(DATABASE_URL=f"sqlite:///{sqlite_site['database']}")
    done = subprocess.run(
        [sys.executable, "-c", NOTICES_ON_SQLITE], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["made"] == 2
    assert outcome["again"] == 0  # a key recorded before is left as it was
    assert outcome["claimed"] is True
    assert outcome["claimed_again"] == []
    # The two recorded were sent once their transaction committed (the demo runs its tasks
    # at once); the one claimed by hand waits as "sending" for its sender.
    assert outcome["states"] == {"sqlite:1": "sent", "sqlite:2": "sent", "sqlite:3": "sending"}
