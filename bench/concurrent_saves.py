"""Twenty members save one draft at the same moment, each changing a paragraph of their own,
over real HTTP against a live server on PostgreSQL: how many saves are lost, how many
conflict screens are shown, and how many rounds it takes until every change is in.

    make bench-saves   (needs PostgreSQL and Redis, as `make test` does)

Each person opens the editor (the revision it starts from), then all post their save at
once (a barrier). A save answered with the conflict screen is done again from a freshly
opened editor, in the next round. A three-way merge with no conflicting hunk is saved
without asking (recommendations/services/drafting.py), so the goal is one round, no
conflict screen and no save lost.
"""

import os
import re
import sys
import threading
import time
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/strategy_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
PEOPLE = int(os.environ.get("BENCH_SAVERS", "20"))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "strategy.settings.test",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
    }
)

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.reminders_speed import create_database  # noqa: E402


def data():
    from django.contrib.auth import get_user_model

    from groups.models import Membership, Role, ThematicArea, WorkingGroup
    from recommendations import services
    from strategy.source_language import source_field

    users = get_user_model()
    users.objects.filter(username__startswith="saves-").delete()
    name = source_field("name")
    area, _ = ThematicArea.objects.get_or_create(slug="saves", defaults={name: "Saves"})
    group, _ = WorkingGroup.objects.get_or_create(
        slug="saves", defaults={name: "Saves", "thematic_area": area}
    )
    people = [
        users.objects.create(username=f"saves-{index}", email=f"saves-{index}@example.org")
        for index in range(PEOPLE)
    ]
    for person in people:
        Membership.objects.get_or_create(user=person, working_group=group, role=Role.MEMBER)
    body = "".join(f"Paragraph {index}.\n\n" for index in range(PEOPLE))
    draft = services.recommendation_create(
        working_group=group, user=people[0], title="Shared draft", body=body
    )
    return people, draft


def session_of(user, base: str) -> requests.Session:
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.headers["Referer"] = base
    return session


def field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else ""


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    return unescape(found.group(1)) if found else ""


def main() -> None:
    create_database()
    call_command("migrate", verbosity=0)
    people, draft = data()
    # Django's live test server (threaded, a connection of its own per request), serving
    # the site's pages only.
    server = LiveServerThread("127.0.0.1", lambda handler: handler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    path = reverse("recommendations:edit", args=[draft.pk])
    sessions = [session_of(person, base) for person in people]
    waiting = list(range(PEOPLE))
    figures = {"rounds": 0, "conflict screens": 0, "other answers": 0}
    started = time.perf_counter()
    while waiting and figures["rounds"] <= PEOPLE:
        figures["rounds"] += 1
        opened = {}
        for index in waiting:
            page = sessions[index].get(base + path, timeout=30).text
            opened[index] = (
                field(page, "csrfmiddlewaretoken"),
                field(page, "base_revision"),
                textarea(page, "body"),
            )
        barrier = threading.Barrier(len(waiting))
        answers = {}

        def save(index, opened=opened, barrier=barrier, answers=answers):
            # The person's change, made to the text the editor showed.
            token, revision, shown = opened[index]
            body = shown.replace(f"Paragraph {index}.", f"Paragraph {index} changed by {index}.")
            barrier.wait()
            answers[index] = (
                sessions[index]
                .post(
                    base + path,
                    data={
                        "title": "Shared draft",
                        "summary": "",
                        "body": body,
                        "edit_summary": f"paragraph {index}",
                        "base_revision": revision,
                        "csrfmiddlewaretoken": token,
                    },
                    allow_redirects=False,
                    timeout=60,
                )
                .status_code
            )

        threads = [threading.Thread(target=save, args=(index,)) for index in waiting]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        figures["conflict screens"] += sum(1 for code in answers.values() if code == 409)
        figures["other answers"] += sum(1 for code in answers.values() if code not in (302, 409))
        waiting = [index for index, code in answers.items() if code != 302]
    seconds = time.perf_counter() - started
    draft.refresh_from_db()
    from recommendations.services import source_text

    body = source_text(draft)["body"]
    lost = sum(1 for index in range(PEOPLE) if f"Paragraph {index} changed by {index}." not in body)
    revisions = draft.history.count()
    merged = draft.history.filter(history_change_reason__icontains="merged").count()
    print(
        f"{PEOPLE} simultaneous saves of one draft, each to its own paragraph: "
        f"saves lost {lost}, conflict screens {figures['conflict screens']}, "
        f"other answers {figures['other answers']}, rounds {figures['rounds']}, "
        f"revisions {revisions} (1 + {revisions - 1} saves, {merged} of them merged), "
        f"{seconds:.1f} s"
    )
    server.terminate()


if __name__ == "__main__":
    main()
