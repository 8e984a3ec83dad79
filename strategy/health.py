"""Health of the site's dependencies, for the readiness check (/readyz).

Only the database makes the site unready: every page reads it. The cache and the broker
are reported, but the site works without them (pages render fresh, a task that cannot be
queued waits in the notice ledger for the sweep), so a load balancer must not take the
site out of service for their sake: that would turn a degraded site into no site.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

OK, DOWN, NOT_USED = "ok", "down", "not used"


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        state = check()
        error = ""
    except Exception as exc:  # any failure of a dependency is "down", whatever it raised
        state, error = DOWN, f"{type(exc).__name__}: {exc}"
    result = {"state": state, "ms": round((time.monotonic() - started) * 1000, 1)}
    if error:
        result["error"] = error[:200]
    return result


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return OK


def _cache() -> str:
    # The cache fails soft (strategy/redis_cache.py): a write it could not make answers
    # False, and a read finds nothing.
    stamp = time.time_ns()
    if cache.set("health:probe", stamp, 30) is False or cache.get("health:probe") != stamp:
        return DOWN
    return OK


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return NOT_USED
    from strategy.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=settings.REDIS_CONNECT_TIMEOUT)
        conn.default_channel  # noqa: B018 - opening a channel asks the broker (PING on Redis)
    return OK


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}
# What the pages cannot do without.
REQUIRED = ("database",)


def readiness() -> tuple[bool, dict]:
    """Each dependency's state; ready when every required one is ok."""
    states = {name: _timed(check) for name, check in CHECKS.items()}
    ready = all(states[name]["state"] == OK for name in REQUIRED)
    return ready, states


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    """For load balancers: whether to send this instance requests. 503 when the database
    is down; the cache and the broker are reported, and the site serves without them
    (strategy/health.py)."""
    ready, states = readiness()
    degraded = any(state["state"] not in ("ok", "not used") for state in states.values())
    status = "ok" if ready and not degraded else ("degraded" if ready else "unavailable")
    response = JsonResponse({"status": status, **states}, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response
