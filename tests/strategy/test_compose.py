"""docker-compose.yml: the production stack is complete and refuses to start without a secret.

`docker-compose config` validates and resolves the file without a Docker engine.
"""

import os
import subprocess
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = {"db", "redis", "migrate", "web", "live", "worker", "beat"}


@pytest.fixture
def compose_config(tmp_path):
    """Run `docker-compose config` on the project's file, with SECRET_KEY set or unset."""
    # An empty env file keeps a developer's own .env from deciding the outcome.
    env_file = tmp_path / "empty.env"
    env_file.touch()

    def run(*args: str, secret_key: str | None = "test-secret") -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
        if secret_key is not None:
            env["SECRET_KEY"] = secret_key
        return subprocess.run(
            ["docker-compose", "--env-file", env_file, "-f", "docker-compose.yml", "config", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run


def service_blocks(config: str) -> dict[str, str]:
    """Split `docker-compose config` output into the text of each service."""
    blocks: dict[str, list[str]] = {}
    current = None
    in_services = False
    for line in config.splitlines():
        if not line.startswith(" "):
            in_services = line == "services:"
            current = None
        elif in_services and line.startswith("  ") and not line.startswith("   "):
            current = line.strip().rstrip(":")
            blocks[current] = []
        elif in_services and current is not None:
            blocks[current].append(line)
    return {name: "\n".join(lines) for name, lines in blocks.items()}


def test_config_is_valid_with_a_secret_key(compose_config):
    """With SECRET_KEY set, the file validates and the secret reaches the app services."""
    result = compose_config()
    assert result.returncode == 0, result.stderr
    for name in ("migrate", "web", "live", "worker", "beat"):
        assert "SECRET_KEY: test-secret" in service_blocks(result.stdout)[name]


def test_services_are_the_whole_stack(compose_config):
    """The stack is PostgreSQL, Redis, a one-shot migration, the site, the live editor's
    WebSocket server, a worker and beat."""
    result = compose_config("--services")
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == APP_SERVICES


def test_database_cache_and_site_have_health_checks(compose_config):
    """db, redis, web and live declare health checks, which the services that need them
    wait on."""
    result = compose_config()
    assert result.returncode == 0, result.stderr
    blocks = service_blocks(result.stdout)
    assert set(blocks) == APP_SERVICES
    for name in ("db", "redis", "web", "live"):
        assert "    healthcheck:" in blocks[name], name
    for name in ("web", "live"):
        assert "healthz" in blocks[name]
        assert "readyz" in blocks[name]
        assert "X-Forwarded-Proto" in blocks[name]


def test_web_waits_for_migrations(compose_config):
    """The site and the live editor's server start only after migrations ran to completion
    and db and redis are healthy."""
    result = compose_config()
    assert result.returncode == 0, result.stderr
    for name in ("web", "live"):
        web = service_blocks(result.stdout)[name]
        assert "      migrate:\n        condition: service_completed_successfully" in web
        assert "      db:\n        condition: service_healthy" in web
        assert "      redis:\n        condition: service_healthy" in web


def test_database_and_redis_keep_their_data_in_volumes(compose_config):
    """PostgreSQL and Redis data live in named volumes, so they survive new containers; the
    iterations' PDFs too, in one the worker writes and the site reads."""
    result = compose_config("--volumes")
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"pgdata", "redisdata", "pdfs"}
    blocks = service_blocks(compose_config().stdout)
    assert "pgdata:/var/lib/postgresql/data" in blocks["db"]
    assert "redisdata:/data" in blocks["redis"]
    for name in ("web", "worker"):
        assert "source: pdfs\n        target: /srv/pdfs" in blocks[name] or (
            "pdfs:/srv/pdfs" in blocks[name]
        ), name
        assert "ITERATION_PDF_DIR: /srv/pdfs" in blocks[name]


def test_config_fails_without_a_secret_key(compose_config):
    """Without SECRET_KEY, `config` exits non-zero and says what to set."""
    result = compose_config("-q", secret_key=None)
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr
