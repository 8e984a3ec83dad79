"""The live-editing benchmark (bench/live_editing.py), played at a tiny size against its
real Daphne server on the test database: every keystroke reaches the other editor, in the
live room and in the baseline relay, and the editors end with one text, written as the
revision."""

import pytest
from django.conf import settings

from bench import live_editing
from tests.browser.asgi_server import _database_url
from tests.processes import outside_event_loop

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_tiny_live_editing_bench_delivers_every_keystroke(tmp_path):
    server = live_editing.Server(
        database_url=_database_url(), redis_url=settings.REDIS_URL, log=tmp_path / "server.log"
    )
    with server:
        [(base, live)] = outside_event_loop(live_editing.run, server, sizes=[2], seconds=1, rate=3)

    for row in (base, live):
        assert row.keystrokes >= 1
        assert row.received == row.expected == row.keystrokes
        assert 0 < row.quantile(0.5) <= row.quantile(0.99)
        assert row.cpu > 0
    assert live.converged
    assert live.saved
    assert "2 editors, live / baseline" in live_editing.report([(base, live)], seconds=1, rate=3)
