"""The live-session load scenario (bench/live_session.py, bench/locustfile.py), played
briefly by real Locust against the test server on a small data set: every kind of request
it makes is answered as a person's would be, and the writers' edits are saved."""

import pytest

from bench import live_session, scale

pytestmark = pytest.mark.django_db(transaction=True)

SIZE = scale.Size(members=40, recommendations=30, revisions=3, comments=5, notices=10)


def test_a_short_live_session_has_no_failed_request(live_server, tmp_path, settings):
    # As bench/live_session.py does: writers write faster than a person may (the hourly
    # limit has tests of its own).
    settings.FEEDBACK_PER_HOUR = 100_000
    scale.generate(SIZE, log=lambda _message: None)
    plan = live_session.build_plan(origin=live_server.url, members=3, writers=4, wait=(0.1, 0.4))
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(live_session.json.dumps(plan))

    rows, edits = live_session.locust(
        live_session.PEOPLE,
        host=live_server.url,
        plan=plan_file,
        people=9,
        seconds=25,
        spawn=9,
        out=tmp_path,
    )

    figures = {row["Name"]: live_session.figures(row) for row in rows}
    asked = {name for name, row in figures.items() if row["requests"]}
    assert {
        "public: home",
        "public: list",
        "public: recommendation",
        "public: search",
        "signed in: workspace",
        "writer: feedback",
        "writer: edit form",
        "writer: save edit",
    } <= asked
    failures = {name: row["failures"] for name, row in figures.items() if row["failures"]}
    assert failures == {}
    assert edits["saved"] + edits["clean merge saved again"] >= 1
