"""Redis fails while the site runs: stopped, then paused (SIGSTOP).

Each test starts a Redis server of its own on a spare port, points the cache (and, for
queueing, the Celery broker) at it, and drives a live server over HTTP: anonymous public
pages, signing in, opening the editor and saving a draft. Redis is then stopped or paused
for a few seconds while the same requests go on. Nothing may fail, no save may be lost, and
no request may wait on Redis for long. The figures are printed (run with -s to see them).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field

import pytest
import requests
from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from recommendations import selectors, services
from recommendations.models import Recommendation
from strategy.models import Notice
from tests.factories import UserFactory, iteration
from tests.factories import recommendation as make

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-good-password-42"
OUTAGE_SECONDS = 4.0
# A request may wait on Redis for one socket timeout (well under a second), not more.
LONGEST_ALLOWED = 2.0
# A request stuck longer than this is counted as a timeout (status "timeout").
CLIENT_TIMEOUT = 5.0


def _spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SpareRedis:
    """A redis-server of the test's own, which the test may stop, start and pause."""

    def __init__(self):
        self.port = _spare_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        # A missing server is a failure, not a skip: `make test` checks Redis is installed.
        assert shutil.which("redis-server"), "redis-server is not installed (apt-get install redis)"
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def pause(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)


@pytest.fixture
def spare_redis(settings):
    """A Redis of the test's own as the cache (with the project's backend and options)."""
    redis = SpareRedis()
    redis.start()
    default = {**django_settings.CACHES["default"], "LOCATION": redis.url}
    settings.CACHES = {**django_settings.CACHES, "default": default}
    yield redis
    redis.stop()


@dataclass
class Figures:
    """What the requests made during an outage found."""

    requests: int = 0
    statuses: dict = field(default_factory=dict)
    longest: float = 0.0
    longest_url: str = ""
    saves_tried: int = 0
    saves_stored: int = 0
    failures: list = field(default_factory=list)

    def record(self, url: str, status, seconds: float, expected=(200,)):
        self.requests += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if seconds > self.longest:
            self.longest, self.longest_url = seconds, url
        if status not in expected:
            self.failures.append((url, status))

    def line(self, name: str) -> str:
        codes = ", ".join(
            f"{code}: {count}" for code, count in sorted(self.statuses.items(), key=str)
        )
        return (
            f"Redis {name}: {self.requests} requests ({codes}); saves stored "
            f"{self.saves_stored} of {self.saves_tried}; longest request "
            f"{self.longest:.2f} s ({self.longest_url})"
        )


class Visitor:
    """Requests to the live server, each timed and recorded."""

    def __init__(self, base: str, figures: Figures):
        self.base = base
        self.figures = figures
        self.session = requests.Session()

    def request(self, method: str, path: str, expected=(200,), **kwargs):
        started = time.monotonic()
        try:
            response = self.session.request(
                method, self.base + path, timeout=CLIENT_TIMEOUT, allow_redirects=False, **kwargs
            )
            status = response.status_code
        except requests.RequestException:
            response, status = None, "timeout"
        self.figures.record(path, status, time.monotonic() - started, expected)
        return response

    def csrf(self, path: str) -> str:
        response = self.request("GET", path)
        if response is None or response.status_code != 200:
            return ""
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        return found.group(1) if found else ""

    def sign_in(self, username: str) -> bool:
        self.session.cookies.clear()
        token = self.csrf(reverse("login"))
        response = self.request(
            "POST",
            reverse("login"),
            expected=(302,),
            data={"login": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.base + reverse("login")},
        )
        return response is not None and response.status_code == 302


@pytest.fixture
def site(live_server, spare_redis, working_group, membership, user):
    """A group with a published recommendation (public pages) and a draft its member edits."""
    user.set_password(PASSWORD)
    user.save()
    published = make(working_group, user, title="Open minutes", body="Minutes are public.\n")
    services.recommendation_publish(recommendation=published, user=user, iteration=iteration())
    published.refresh_from_db()
    draft = make(working_group, user, title="A draft", body="First words.\n")
    public = [
        "/",
        reverse("public:groups"),
        working_group.get_absolute_url(),
        reverse("public:list"),
        published.get_public_url(),
        reverse("public:timeline"),
        reverse("feeds:recommendations"),
    ]
    return {
        "base": live_server.url,
        "user": user,
        "draft": draft,
        "published": published,
        "public": public,
    }


def _round(visitor: Visitor, site: dict, figures: Figures, editor: Visitor, words: str):
    """One round of what people do: read the public pages, sign in, open the editor, save."""
    anonymous = Visitor(site["base"], figures)
    for path in site["public"]:
        anonymous.request("GET", path)
    draft = site["draft"]
    visitor.sign_in(site["user"].username)
    edit = reverse("recommendations:edit", args=[draft.pk])
    response = editor.request("GET", edit)
    page = response.text if response is not None and response.status_code == 200 else ""
    # When the editor does not open, the save is still tried, as from an editor opened
    # before: from the latest revision, with the session's CSRF cookie.
    found = re.search(r'name="base_revision" value="(\d+)"', page)
    base = found.group(1) if found else _latest_revision(draft.pk)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    token = found.group(1) if found else editor.session.cookies.get("csrftoken", "")
    figures.saves_tried += 1
    editor.request(
        "POST",
        edit,
        expected=(302,),
        data={
            "title": "A draft",
            "summary": "",
            "body": f"First words.\n\n{words}\n",
            "edit_summary": words,
            "base_revision": base,
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": site["base"] + edit},
    )
    if _stored(draft.pk, words):
        figures.saves_stored += 1


def _latest_revision(pk: int) -> str:
    latest = selectors.revision_latest(recommendation=Recommendation.objects.get(pk=pk))
    return str(latest.history_id)


def _stored(pk: int, words: str) -> bool:
    """The save is in the recommendation and in its history, as a revision of its own."""
    recommendation = Recommendation.objects.get(pk=pk)
    latest = selectors.revision_latest(recommendation=recommendation)
    body = services.source_text(recommendation)["body"]
    return words in body and latest is not None and words in latest.history_change_reason


def _outage(site: dict, name: str, start, end) -> Figures:
    """Requests before (warming the caches), during and after an outage; the figures are
    those of the outage."""
    editor = Visitor(site["base"], Figures())
    assert editor.sign_in(site["user"].username)
    _round(Visitor(site["base"], Figures()), site, editor.figures, editor, "before the outage")
    assert not editor.figures.failures, editor.figures.failures
    figures = Figures()
    editor.figures = figures
    start()
    try:
        until = time.monotonic() + OUTAGE_SECONDS
        number = 0
        while time.monotonic() < until:
            number += 1
            _round(Visitor(site["base"], figures), site, figures, editor, f"outage save {number}")
    finally:
        end()
    print("\n" + figures.line(name))
    return figures


def test_with_redis_stopped_the_site_answers_and_keeps_every_save(site, spare_redis):
    figures = _outage(site, "stopped", spare_redis.stop, spare_redis.start)
    assert not figures.failures, figures.line("stopped")
    assert figures.saves_tried
    assert figures.saves_stored == figures.saves_tried
    assert figures.longest < LONGEST_ALLOWED, figures.line("stopped")


def test_with_redis_paused_no_request_waits_long(site, spare_redis):
    figures = _outage(site, "paused", spare_redis.pause, spare_redis.resume)
    assert not figures.failures, figures.line("paused")
    assert figures.saves_tried
    assert figures.saves_stored == figures.saves_tried
    assert figures.longest < LONGEST_ALLOWED, figures.line("paused")


@pytest.fixture
def spare_broker(spare_redis, settings):
    """The Celery app sending to the test's own Redis, for real (not eagerly)."""
    from strategy.celery import app

    before = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = spare_redis.url
    app.conf.task_always_eager = False
    # The producer pool is made once per broker address; forget the one for the old one.
    app.amqp._producer_pool = None
    yield spare_redis
    app.conf.broker_url, app.conf.task_always_eager = before
    app.amqp._producer_pool = None


@pytest.mark.parametrize("outage", ["stop", "pause"])
def test_a_notice_that_cannot_be_queued_waits_in_the_ledger_for_the_sweep(
    spare_broker, user, outage
):
    from datetime import timedelta

    from strategy import mailer, notices
    from strategy.models import Topic

    getattr(spare_broker, outage)()
    started = time.monotonic()
    try:
        with transaction.atomic():
            notice = notices.notice_create(
                key=f"test:unqueued:{outage}",
                recipient=user,
                topic=Topic.MILESTONES,
                kind="test",
                template="timeline/notices/milestone_today",
                context={
                    "milestone": {"title": "Harmonization Sprint", "description": ""},
                    "group": {"name": "Advocacy"},
                },
            )
    finally:
        if outage == "pause":
            spare_broker.resume()
    elapsed = time.monotonic() - started
    print(f"\nqueueing with the broker {outage} took {elapsed:.2f} s")
    notice.refresh_from_db()
    assert notice.state == Notice.State.PENDING
    assert elapsed < LONGEST_ALLOWED
    later = notice.created_at + timedelta(minutes=3)
    assert notice.pk in mailer.notices_stuck(now=later)[0]


def test_with_redis_stopped_failed_sign_ins_are_still_limited(client, spare_redis, settings):
    """Allauth keeps its rate limits in the cache: while Redis is away they are kept in the
    process (strategy/redis_cache.py), so guessing passwords is still refused, not let
    through unthrottled; another address is not concerned."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    people = UserFactory.create_batch(4)
    for person in people:
        person.set_password(PASSWORD)
        person.save()
    spare_redis.stop()
    login = reverse("login")
    for person in people[:3]:
        response = client.post(login, {"login": person.username, "password": "wrong-one"})
        assert "Too many" not in response.text
    response = client.post(login, {"login": people[3].username, "password": PASSWORD})
    assert "Too many failed login attempts" in response.text
    assert "_auth_user_id" not in client.session
    other = client.post(
        login,
        {"login": people[3].username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.5",
    )
    assert other.status_code == 302


def test_readiness_reports_redis_down_without_taking_the_site_out(client, spare_broker, settings):
    """With Redis stopped the site still serves (degraded), so /readyz stays 200 and says
    which dependency is down; /healthz, the liveness check, is not concerned."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    ready = client.get("/readyz").json()
    assert ready["status"] == "ok"
    assert {ready[name]["state"] for name in ("database", "cache", "broker")} == {"ok"}
    spare_broker.stop()
    started = time.monotonic()
    response = client.get("/readyz")
    elapsed = time.monotonic() - started
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["database"]["state"] == "ok"
    assert body["cache"]["state"] == "down"
    assert body["broker"]["state"] == "down"
    assert elapsed < LONGEST_ALLOWED
    assert client.get("/healthz").status_code == 200


def test_a_change_made_while_redis_is_down_reaches_it_when_it_is_back(
    spare_redis, monkeypatch, caching_clock
):
    """The other processes learn of it from Redis: the bump is written as soon as Redis
    answers again, not lost with the failed write."""
    from django.core.cache import cache

    from public import caching
    from strategy import redis_cache

    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.2)
    before = caching.content_version()
    assert cache.get(caching.CONTENT_VERSION_KEY) == before
    spare_redis.stop()
    caching.content_changed()
    changed = caching.content_version()
    assert changed > before  # this process serves the change at once
    spare_redis.start()
    time.sleep(0.3)
    caching_clock.advance(caching.VERSION_SECONDS)
    assert caching.content_version() == changed
    assert cache.get(caching.CONTENT_VERSION_KEY) == changed


def test_after_a_long_outage_pages_render_fresh(client, site, spare_redis, caching_clock):
    """Past STALE_SECONDS without Redis, a process no longer trusts its copies: a change
    made by another process in the meantime is on the page."""
    from public import caching

    url = "/zh-hans" + site["published"].get_public_url()
    assert "Open minutes" in client.get(url).content.decode()
    spare_redis.stop()
    # Another process translates the title (as a save does, its updated_at moves: the
    # page's kept text is keyed on it); its bump cannot reach this one.
    Recommendation.objects.filter(pk=site["published"].pk).update(
        title_zh_hans="会议记录", updated_at=timezone.now()
    )
    # For a while, this process serves the copy it holds...
    assert "会议记录" not in client.get(url).content.decode()
    # ...then, still without Redis, renders the page fresh and keeps it nowhere.
    caching_clock.advance(caching.STALE_SECONDS + 1)
    response = client.get(url)
    assert response.status_code == 200
    assert "会议记录" in response.content.decode()
    assert "ETag" not in response


def _sweep_once_the_broker_is_back(spare_broker, *, older: list) -> int:
    """Start the broker again, make what `older` holds (querysets) older than the sweep's
    patience, and run the sweep, its tasks run at once (eagerly) into the locmem outbox."""
    from datetime import timedelta

    from django.db.models import F

    from strategy.celery import app
    from strategy.tasks import notices_sweep

    spare_broker.start()
    for queryset in older:
        queryset.update(created_at=F("created_at") - timedelta(minutes=3))
    app.conf.task_always_eager = True
    return notices_sweep()


def test_an_invitation_made_with_the_broker_down_is_saved_and_sent_once_by_the_sweep(
    client, spare_broker, working_group, core_team_user, mailoutbox
):
    """Inviting with the broker stopped answers as usual and keeps the invitation, pending;
    the sweep sends its e-mail once the broker is back, once however often it runs."""
    from groups.models import Invitation, Role

    spare_broker.stop()
    client.force_login(core_team_user)
    response = client.post(
        reverse("groups:invite", args=[working_group.slug]),
        {
            "email": "outage@example.org",
            "role": Role.MEMBER,
            "affiliation": "individual",
            "language": "en",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.select_related("notice").get(email="outage@example.org")
    assert invitation.notice.state == Notice.State.PENDING
    assert mailoutbox == []

    assert _sweep_once_the_broker_is_back(spare_broker, older=[Notice.objects.all()]) == 1
    assert [message.to for message in mailoutbox] == [["outage@example.org"]]
    invitation.notice.refresh_from_db()
    assert (invitation.notice.state, invitation.notice.attempts) == (Notice.State.SENT, 1)
    from strategy.tasks import notices_sweep

    assert notices_sweep() == 0
    assert len(mailoutbox) == 1


def test_a_reviewer_assigned_with_the_broker_down_is_told_once_by_the_sweep(
    client, spare_broker, working_group, user, core_team_user, user_factory, mailoutbox
):
    """Assigning a reviewer with the broker stopped keeps the assignment and records the
    reviewer's notice in the ledger, so the sweep sends it once the broker is back."""
    from datetime import timedelta

    from django.utils import timezone

    from groups.models import Role
    from recommendations.models import ReviewAssignment
    from tests.factories import MembershipFactory, review_version

    version = review_version(working_group, user, body="Words to review.\n")
    reviewer = user_factory(email="reviewer@example.org")
    MembershipFactory(user=reviewer, working_group=working_group, role=Role.REVIEWER)
    spare_broker.stop()
    client.force_login(core_team_user)
    response = client.post(
        reverse("recommendations:assign", args=[version.recommendation_id, version.pk]),
        {
            "reviewer": reviewer.pk,
            "due_on": timezone.localdate() + timedelta(days=20),
            "cadence": "once",
        },
    )
    assert response.status_code == 302
    assignment = ReviewAssignment.objects.get(version=version, reviewer=reviewer)
    notice = Notice.objects.get(recipient=reviewer)
    assert (notice.kind, notice.state) == ("review.assigned", Notice.State.PENDING)
    assert mailoutbox == []

    assert _sweep_once_the_broker_is_back(spare_broker, older=[Notice.objects.all()]) == 1
    assert [message.to for message in mailoutbox] == [["reviewer@example.org"]]
    assert Notice.objects.get(pk=notice.pk).state == Notice.State.SENT
    from strategy.tasks import notices_sweep

    assert notices_sweep() == 0
    assert len(mailoutbox) == 1
    assert assignment.status == ReviewAssignment.Status.PENDING
