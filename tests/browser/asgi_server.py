"""An ASGI server of the app (Daphne, through runserver) in a process of its own, for the
browser tests that need WebSockets (the live editor): Django's live server speaks WSGI only.

It reads the test database (so its tests use `transactional_db`: what they write is
committed) and this process's Redis database (the channel layer and the cache).
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    database = connection.settings_dict
    user = database["USER"] or ""
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


class AsgiServer:
    def __init__(self, *, environment: dict[str, str]):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = ROOT / "var" / f"asgi-server-{self.port}.log"
        self.log.parent.mkdir(exist_ok=True)
        self._environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "strategy.settings.test",
            "DATABASE_URL": _database_url(),
            **environment,
        }
        self.process = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "runserver",
                    "--noreload",
                    "--insecure",
                    f"127.0.0.1:{self.port}",
                ],
                cwd=ROOT,
                env=self._environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the ASGI server stopped: {self.log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the ASGI server did not start: {self.log.read_text()}")

    def restart(self) -> None:
        """Stop the server and start it again on the same port: the browsers' connections
        drop, and they reconnect to the new process."""
        self.stop()
        self.start()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
