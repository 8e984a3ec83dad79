"""Live editing under load: 20 and 50 people typing at once in one draft, each a scripted
editor holding its own pycrdt document and talking the y-websocket protocol over a real
WebSocket to the app served by Daphne in a process of its own (bench/asgi.py). Measured:
the delay from a keystroke (its update sent) to each other editor receiving it, median
and p99, and the server process's CPU time; against the baseline of the same clients, at
the same pace, exchanging bare messages of the same size through the same channel layer
(bench/asgi.py's relay), in the same run and the same server process.

    make bench-live-edit   (needs PostgreSQL and Redis, as `make test` does)

Results in bench/results/live_editing.md. BENCH_EDITORS ("20,50"), BENCH_SECONDS (10 of
typing per measure) and BENCH_KEYS_PER_SECOND (3 per editor, a brisk typist) change it.
"""

import asyncio
import os
import random
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "live_editing.md"
LETTERS = "abcdefghijklmnopqrstuvwxyz "
# After the typing stops, the measure waits for the last keystrokes while they still
# arrive: it ends when all did, or when none arrived for GRACE seconds.
GRACE = 5.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """Daphne serving bench/asgi.py on the given database and Redis, in its own process,
    whose CPU time is read from /proc (psutil)."""

    def __init__(self, *, database_url: str, redis_url: str, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "strategy.settings.test",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
        self.process = None

    def __enter__(self):
        daphne = Path(sys.executable).with_name("daphne")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(daphne), "-b", "127.0.0.1", "-p", str(self.port), "bench.asgi:application"],
                cwd=ROOT,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the ASGI server stopped: {self.log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the ASGI server did not start: {self.log.read_text()}")

    def __exit__(self, *_exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def cpu_seconds(self) -> float:
        import psutil

        times = psutil.Process(self.process.pid).cpu_times()
        return times.user + times.system


@dataclass
class Measure:
    editors: int
    keystrokes: int = 0
    expected: int = 0
    delays: list[float] = field(default_factory=list)
    cpu: float = 0.0
    # None for the baseline, which has no document.
    converged: bool | None = None
    saved: bool | None = None  # the revision written holds the editors' text

    @property
    def received(self) -> int:
        return len(self.delays)

    def quantile(self, q: float) -> float:
        ordered = sorted(self.delays)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


class _Connection:
    """One WebSocket client (wsproto on asyncio's streams): binary messages in a queue,
    None when it closes."""

    def __init__(self):
        self.inbox: asyncio.Queue = asyncio.Queue()
        self._ws = None
        self._writer = None
        self._reading = None

    async def open(self, url: str, *, origin: str, cookie: str) -> None:
        from wsproto import ConnectionType, WSConnection
        from wsproto.events import Request

        address, path = url.split("//", 1)[1].split("/", 1)
        host, port = address.split(":")
        reader, self._writer = await asyncio.open_connection(host, int(port))
        self._ws = WSConnection(ConnectionType.CLIENT)
        headers = [(b"cookie", cookie.encode()), (b"origin", origin.encode())]
        request = Request(host=address, target=f"/{path}", extra_headers=headers)
        self._writer.write(self._ws.send(request))
        opened = asyncio.get_running_loop().create_future()
        self._reading = asyncio.ensure_future(self._read(reader, opened))
        await asyncio.wait_for(opened, 10)

    async def _read(self, reader, opened) -> None:
        from wsproto.connection import ConnectionState
        from wsproto.events import (
            AcceptConnection,
            BytesMessage,
            CloseConnection,
            Ping,
            RejectConnection,
        )

        parts = []
        while data := await reader.read(65536):
            self._ws.receive_data(data)
            for event in self._ws.events():
                if isinstance(event, AcceptConnection):
                    opened.set_result(None)
                elif isinstance(event, RejectConnection):
                    opened.set_exception(ConnectionError(f"refused: {event.status_code}"))
                elif isinstance(event, BytesMessage):
                    parts.append(event.data)
                    if event.message_finished:
                        self.inbox.put_nowait(b"".join(parts))
                        parts = []
                elif isinstance(event, Ping):
                    self._writer.write(self._ws.send(event.response()))
                elif isinstance(event, CloseConnection):
                    if not opened.done():
                        opened.set_exception(ConnectionError(f"closed: {event.code}"))
                    if self._ws.state == ConnectionState.REMOTE_CLOSING:
                        self._writer.write(self._ws.send(event.response()))
                    self._writer.close()
                    self.inbox.put_nowait(None)
                    return
        if not opened.done():
            opened.set_exception(ConnectionError("closed"))
        self.inbox.put_nowait(None)

    def send(self, message: bytes) -> None:
        from wsproto.events import BytesMessage

        self._writer.write(self._ws.send(BytesMessage(data=message)))

    def close(self) -> None:
        from wsproto.events import CloseConnection

        self._writer.write(self._ws.send(CloseConnection(code=1000)))


async def _editor_sync(connection: _Connection, doc) -> None:
    """The y-websocket handshake: the server's step 1 answered, ours answered by its
    step 2 (as the browser does)."""
    from pycrdt import YMessageType, YSyncMessageType, create_sync_message, handle_sync_message

    connection.send(create_sync_message(doc))
    while True:
        message = await asyncio.wait_for(connection.inbox.get(), 10)
        if message[0] != YMessageType.SYNC:
            continue
        reply = handle_sync_message(message[1:], doc)
        if reply:
            connection.send(reply)
        if message[1] == YSyncMessageType.SYNC_STEP2:
            return


async def _session(
    *, url, origin, cookies, live: bool, seconds: float, rate: float, measure: Measure
) -> list[str]:
    """Every editor connects, then types at `rate` keystrokes a second for `seconds`;
    the texts the editors end with (none for the baseline)."""
    from pycrdt import (
        Doc,
        Text,
        YMessageType,
        YSyncMessageType,
        create_update_message,
        handle_sync_message,
    )

    UPDATE = bytes([YMessageType.SYNC, YSyncMessageType.SYNC_UPDATE])

    sent: dict[bytes, float] = {}
    docs = [Doc() for _ in cookies]
    connections = [_Connection() for _ in cookies]
    for connection, cookie in zip(connections, cookies, strict=True):
        await connection.open(url, origin=origin, cookie=cookie)
    if live:
        await asyncio.gather(*(_editor_sync(c, d) for c, d in zip(connections, docs, strict=True)))
    typing = asyncio.Event()

    async def listen(connection: _Connection, doc) -> None:
        while (message := await connection.inbox.get()) is not None:
            at = sent.get(message)
            if at is not None:
                measure.delays.append(time.perf_counter() - at)
            if live and message[:2] == UPDATE:
                handle_sync_message(message[1:], doc)

    async def type_into(index: int, connection: _Connection, doc) -> None:
        chance = random.Random(index)
        await asyncio.sleep(chance.random() / rate)  # not all on the same beat
        await typing.wait()
        body = doc.get("body", type=Text) if live else None
        end = time.perf_counter() + seconds
        count = 0
        while time.perf_counter() < end:
            if live:
                before = doc.get_state()
                body.insert(chance.randint(0, len(body)), chance.choice(LETTERS))
                message = create_update_message(doc.get_update(before))
            else:
                # As long as a keystroke's update, and unique.
                message = f"{index}:{count}:".encode().ljust(40, b".")
            sent[message] = time.perf_counter()
            connection.send(message)
            count += 1
            measure.keystrokes += 1
            await asyncio.sleep(chance.expovariate(rate))

    listeners = [
        asyncio.ensure_future(listen(c, d)) for c, d in zip(connections, docs, strict=True)
    ]
    typists = [
        asyncio.ensure_future(type_into(i, c, d))
        for i, (c, d) in enumerate(zip(connections, docs, strict=True))
    ]
    typing.set()
    await asyncio.gather(*typists)
    measure.expected = measure.keystrokes * (len(cookies) - 1)
    arrived, arriving = measure.received, time.perf_counter()
    while measure.received < measure.expected and time.perf_counter() - arriving < GRACE:
        await asyncio.sleep(0.05)
        if measure.received != arrived:
            arrived, arriving = measure.received, time.perf_counter()
    for connection in connections:
        connection.close()
    await asyncio.wait(listeners, timeout=5)
    return [str(doc.get("body", type=Text)) for doc in docs] if live else []


def measured(
    server: Server, *, pk: int, cookies: list[str], live: bool, seconds: float, rate: float
) -> Measure:
    """One measure: the editors in draft `pk` (live) or in the relay (the baseline)."""
    path = f"/ws/recommendations/{pk}/live/" if live else f"/ws/bench/relay/{pk}/"
    result = Measure(editors=len(cookies))
    cpu = server.cpu_seconds()
    texts = asyncio.run(
        _session(
            url=server.url.replace("http", "ws", 1) + path,
            origin=server.url,
            cookies=cookies,
            live=live,
            seconds=seconds,
            rate=rate,
            measure=result,
        )
    )
    if live:
        result.converged = len(set(texts)) == 1
        result.saved = _revision_written(pk, texts[0])
    else:
        time.sleep(0.5)
    # The room writes the revision when the last editor leaves: that is its work too.
    result.cpu = server.cpu_seconds() - cpu
    return result


def _revision_written(pk: int, body: str) -> bool:
    from recommendations import selectors
    from recommendations.models import Recommendation

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        latest = selectors.revision_latest(recommendation=Recommendation.objects.get(pk=pk))
        if latest is not None and latest.body == body:
            return True
        time.sleep(0.2)
    return False


def editors_of(draft, count: int) -> list[str]:
    """`count` members of the draft's group, signed in: their session cookies."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from groups.models import Membership, Role

    users = get_user_model()
    cookies = []
    for index in range(count):
        person, _ = users.objects.get_or_create(
            username=f"live-editor-{draft.pk}-{index}",
            defaults={"email": f"live-editor-{draft.pk}-{index}@example.org"},
        )
        Membership.objects.get_or_create(
            user=person, working_group=draft.working_group, defaults={"role": Role.MEMBER}
        )
        client = Client()
        client.force_login(person)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


def draft_made(label: str):
    from django.contrib.auth import get_user_model

    from groups.models import ThematicArea, WorkingGroup
    from recommendations import services
    from strategy.source_language import source_field

    name = source_field("name")
    area, _ = ThematicArea.objects.get_or_create(slug="live-edit", defaults={name: "Live edit"})
    group, _ = WorkingGroup.objects.get_or_create(
        slug="live-edit", defaults={name: "Live edit", "thematic_area": area}
    )
    author, _ = get_user_model().objects.get_or_create(
        username="live-edit-author", defaults={"email": "live-edit-author@example.org"}
    )
    return services.recommendation_create(
        working_group=group,
        user=author,
        title=f"Typed together ({label})",
        body="A paragraph that everyone types into at once.\n",
    )


def run(server: Server, *, sizes, seconds: float, rate: float) -> list[tuple[Measure, Measure]]:
    """(baseline, live) for each number of editors, a new draft each."""
    results = []
    for size in sizes:
        draft = draft_made(f"{size} editors, {time.time_ns()}")
        cookies = editors_of(draft, size)
        base, live = (
            measured(server, pk=draft.pk, cookies=cookies, live=live, seconds=seconds, rate=rate)
            for live in (False, True)
        )
        results.append((base, live))
    return results


def report(results, *, seconds: float, rate: float) -> str:
    def ms(value: float) -> str:
        return f"{value * 1000:.1f}"

    lines = [
        f"{'editors':>7} {'what':9} {'keys':>6} {'received':>16} {'median ms':>10}"
        f" {'p99 ms':>8} {'server CPU s':>13}"
    ]

    def per_key(row: Measure) -> float:
        return row.cpu / max(row.keystrokes, 1)

    ratios = []
    for base, live in results:
        for label, row in (("baseline", base), ("live", live)):
            lines.append(
                f"{row.editors:>7} {label:9} {row.keystrokes:>6}"
                f" {f'{row.received}/{row.expected}':>16} {ms(row.quantile(0.5)):>10}"
                f" {ms(row.quantile(0.99)):>8} {row.cpu:>13.2f}"
            )
        ratios.append(
            f"{live.editors} editors, live / baseline: median delay"
            f" {live.quantile(0.5) / max(base.quantile(0.5), 1e-9):.2f}x, p99"
            f" {live.quantile(0.99) / max(base.quantile(0.99), 1e-9):.2f}x, server CPU"
            f" {live.cpu / max(base.cpu, 1e-9):.2f}x, per keystroke"
            f" {per_key(live) / max(per_key(base), 1e-9):.2f}x;"
            f" texts {'the same' if live.converged else 'DIFFERENT'} in every editor,"
            f" {'and' if live.saved else 'NOT'} in the revision written"
        )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return "\n".join([*lines, "", *ratios]) + (
        f"\n\n{seconds:g} s of typing per measure, {rate:g} keystrokes a second per editor"
        f" (random gaps, random places in the body); the machine's load average at the end:"
        f" {load} on {os.cpu_count()} cores."
    )


def main() -> None:
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/strategy_bench"
    )
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
    sizes = [int(size) for size in os.environ.get("BENCH_EDITORS", "20,50").split(",")]
    seconds = float(os.environ.get("BENCH_SECONDS", "10"))
    rate = float(os.environ.get("BENCH_KEYS_PER_SECOND", "3"))
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="strategy.settings.test",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
    )
    import django

    django.setup()
    from django.core.management import call_command

    from bench.reminders_speed import create_database

    create_database()
    call_command("migrate", verbosity=0)
    log = ROOT / "var" / "bench-live-edit-server.log"
    log.parent.mkdir(exist_ok=True)
    with Server(database_url=database_url, redis_url=redis_url, log=log) as server:
        results = run(server, sizes=sizes, seconds=seconds, rate=rate)
    text = report(results, seconds=seconds, rate=rate)
    print(text)
    RESULTS.write_text(
        "# Live editing: many people typing in one draft\n\n"
        "`make bench-live-edit` (bench/live_editing.py): scripted editors, each with its own "
        "pycrdt document, connect over real WebSockets to the app served by Daphne in a "
        "process of its own (bench/asgi.py, the Redis channel layer), sync as the browser "
        "does, and type single characters at random places in one draft's body. The delay "
        "is from a keystroke's update sent to each other editor receiving it; the server "
        "CPU is the Daphne process's, including the revision the room writes when the last "
        "editor leaves. The baseline: the same clients, at the same pace, sending bare "
        "messages of the same size through a relay on the same channel layer (no document, "
        "no check), in the same run and server process. All clients run in one process "
        "on the same machine, so their own work is in both delays.\n\n"
        "```\n" + text + "\n```\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
