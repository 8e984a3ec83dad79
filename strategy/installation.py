"""What belongs to one installation and must not be in the repository: its directory (var/),
with its secret key and, in the demo, its SQLite database."""

import os
from pathlib import Path

from django.core.management.utils import get_random_secret_key


def installation_directory(path: Path) -> Path:
    """`path`, made (with its parents) when it does not exist yet. A fresh clone has no var/:
    SQLite cannot create a database file in a missing directory, so the settings that keep
    files there make it before anything opens them."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(path: Path) -> str:
    """The installation's own secret key, kept in `path`: made at random on first use,
    readable and writable by its owner only (0600). A key in the repository would let
    anyone who reads it forge the demo's signed links and sessions.

    Safe when several processes start at once: the key is written to a file of its own,
    then linked into place, which fails if another process linked its key first; then
    that key is used."""
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    installation_directory(path.parent)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(get_random_secret_key())
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text().strip()
