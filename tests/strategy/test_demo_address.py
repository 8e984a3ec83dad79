"""`make demo` builds its links from the address it serves (README, Configuration: SITE_URL)."""

import re
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def demo_commands(*arguments):
    """The commands `make demo` would run, printed by make without running them."""
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "demo", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [shlex.split(line) for line in result.stdout.splitlines() if "manage.py" in line]


def manage(commands, name):
    """The environment and the arguments of the `manage.py <name>` command."""
    for words in commands:
        if name in words and "manage.py" in words[words.index(name) - 1]:
            at = words.index(name)
            environment = dict(word.split("=", 1) for word in words if re.match(r"^\w+=", word))
            return environment, words[at + 1 :]
    raise AssertionError(f"`make demo` runs no manage.py {name}")


def test_demo_data_and_runserver_get_the_served_address_as_site_url():
    commands = demo_commands()
    server_environment, server_arguments = manage(commands, "runserver")
    data_environment, _ = manage(commands, "demo_data")
    served = "http://" + server_arguments[0]

    assert served == "http://127.0.0.1:8000"
    assert server_environment["SITE_URL"] == served
    assert data_environment["SITE_URL"] == served


def test_another_demo_address_moves_site_url_with_it():
    commands = demo_commands("DEMO_ADDRESS=127.0.0.1:8123")
    server_environment, server_arguments = manage(commands, "runserver")
    data_environment, _ = manage(commands, "demo_data")

    assert server_arguments[0] == "127.0.0.1:8123"
    assert server_environment["SITE_URL"] == "http://127.0.0.1:8123"
    assert data_environment["SITE_URL"] == "http://127.0.0.1:8123"
