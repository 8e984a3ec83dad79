"""The people of a feedback period opening, for Locust (driven by bench/live_session.py).

Readers (90%) read public pages; members (8%) are signed in and read their workspace, their
notifications and what needs them; writers (2%) give feedback, reply to it and edit a draft
they share with another writer, in turn, so that now and then two edits meet (a clean merge is saved
again, a real conflict stops at the conflict screen). `Bare` asks only for the baseline view:
bench/live_session.py runs it alone, with the same number of people and the same pauses.

Who they are and what they read comes from the plan file bench/live_session.py writes (the
environment variable LIVE_SESSION_PLAN names it). Sign-in is a session made beforehand; forms
carry a CSRF token of their own, as a browser's cookie would.
"""

import html
import itertools
import json
import os
import random
import re
import secrets
import string
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LIVE_SESSION_PLAN"]).read_text())
WAIT = between(PLAN.get("wait_min", 3), PLAN.get("wait_max", 10))
# What became of the writers' edits, beside Locust's own figures (written at the end).
OUTCOMES = {"saved": 0, "clean merge saved again": 0, "conflict screen": 0}

_signed_in = itertools.cycle(PLAN["members"])
_writers = itertools.cycle(PLAN["writers"])


class Person(HttpUser):
    abstract = True
    wait_time = WAIT
    session_key = ""

    def on_start(self):
        # Django's CSRF check accepts the unmasked secret as the form's token.
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))

    def headers(self, **extra) -> dict:
        # Behind the TLS proxy, as in production. The cookies are sent by hand: the site
        # marks them Secure, which a client on plain HTTP would otherwise keep to itself.
        cookies = {PLAN["csrf_cookie"]: self.csrf}
        if self.session_key:
            cookies[PLAN["session_cookie"]] = self.session_key
        return {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
            **extra,
        }

    def get(self, path: str, name: str, **kwargs):
        return self.client.get(path, name=name, headers=self.headers(), **kwargs)

    def post(self, path: str, data: dict, name: str, **kwargs):
        return self.client.post(
            path,
            data={"csrfmiddlewaretoken": self.csrf, **data},
            name=name,
            headers=self.headers(Origin=PLAN["origin"], Referer=PLAN["origin"] + path),
            allow_redirects=False,
            **kwargs,
        )


class Bare(Person):
    """The baseline: a trivial view behind the same middleware."""

    @task
    def baseline(self):
        self.get("/bench/baseline", "baseline")


class Reader(Person):
    @task(2)
    def home(self):
        self.get("/", "public: home")

    @task(3)
    def listing(self):
        page = random.randint(1, PLAN["list_pages"])
        self.get(f"/recommendations/?page={page}", "public: list")

    @task(4)
    def recommendation(self):
        self.get(random.choice(PLAN["recommendations"]), "public: recommendation")

    @task(2)
    def search(self):
        self.get(f"/recommendations/?q={random.choice(PLAN['words'])}", "public: search")

    @task(1)
    def iteration(self):
        self.get(random.choice(PLAN["iterations"]), "public: iteration")


class Member(Person):
    fixed_count = len(PLAN["members"])  # one per signed-in session; readers are the rest

    def on_start(self):
        super().on_start()
        self.session_key = next(_signed_in)

    @task(3)
    def workspace(self):
        self.get("/workspace/", "signed in: workspace")

    @task(2)
    def notifications(self):
        self.get("/workspace/notifications/", "signed in: notifications")

    @task(1)
    def needs_me(self):
        self.get("/workspace/needs-me/", "signed in: needs me")


def _field(page: str, name: str) -> str:
    """A form field's value in a page: a textarea's text or an input's value."""
    textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    if textarea:
        return html.unescape(textarea.group(1)).removeprefix("\n")
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return html.unescape(value.group(1)) if value else ""


class Writer(Person):
    fixed_count = len(PLAN["writers"])

    def on_start(self):
        super().on_start()
        self.plan = next(_writers)
        self.session_key = self.plan["session"]
        self.thread = None

    @task
    def write(self):
        """A writer's round: feedback on a recommendation, a reply to it, an edit."""
        self.feedback()
        self.wait()
        self.reply()
        self.wait()
        self.edit()

    def feedback(self):
        recommendation = self.plan["feedback_on"]
        self.get(recommendation, "writer: recommendation page")
        body = f"Feedback from the live session: {random.choice(PLAN['words'])}."
        with self.post(
            recommendation + "feedback/", {"body": body}, "writer: feedback", catch_response=True
        ) as response:
            found = re.search(r"/feedback/(\d+)/", response.headers.get("Location", ""))
            if response.status_code != 302 or not found:
                response.failure(f"answered {response.status_code}")
            else:
                self.thread = found.group(1)

    def reply(self):
        if self.thread is None:  # the feedback failed: reported already
            return
        thread = self.thread
        with self.post(
            f"/feedback/{thread}/reply/",
            {"body": f"A reply: {random.choice(PLAN['words'])}."},
            "writer: reply",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"answered {response.status_code}")

    def edit(self):
        path = f"/workspace/recommendations/{self.plan['edit']}/edit/"
        page = self.get(path, "writer: edit form").text
        fields = {name: _field(page, name) for name in ("title", "summary", "body")}
        base = _field(page, "base_revision")
        lines = fields["body"].split("\n")
        line = random.randrange(len(lines))
        lines[line] += f" {random.choice(PLAN['words'])}"
        data = {**fields, "body": "\n".join(lines), "base_revision": base}
        data["edit_summary"] = "live session"
        self.wait()  # a person types before saving: the other writer may save meanwhile
        with self.post(path, data, "writer: save edit", catch_response=True) as response:
            if response.status_code == 302:
                OUTCOMES["saved"] += 1
            elif response.status_code == 409:
                merged = {name: _field(response.text, name) for name in fields}
                if any("<<<<<<<" in text for text in merged.values()):
                    OUTCOMES["conflict screen"] += 1
                else:
                    # A clean merge: the person saves the merged text as it is shown.
                    again = {**merged, "edit_summary": "live session"}
                    again["base_revision"] = _field(response.text, "base_revision")
                    again["resolving"] = "1"
                    retried = self.post(path, again, "writer: save clean merge")
                    if retried.status_code == 302:
                        OUTCOMES["clean merge saved again"] += 1
                    else:
                        OUTCOMES["conflict screen"] += 1
                response.success()
            else:
                response.failure(f"answered {response.status_code}")


@events.test_stop.add_listener
def _outcomes(environment, **kwargs):
    target = os.environ.get("LIVE_SESSION_OUTCOMES")
    if target:
        Path(target).write_text(json.dumps(OUTCOMES))
