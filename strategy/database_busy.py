"""A clear 503 when the embedded default's SQLite database is still locked.

SQLite lets one writer at a time. In WAL mode readers never wait; writers take the lock
when their transaction begins (IMMEDIATE) and wait for it up to the busy timeout
(strategy/settings/local.py). Past that SQLite answers "database is locked": the person is
told the site is busy and to try again, instead of a server error.
"""

from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

RETRY_AFTER_SECONDS = 5


def is_database_busy(error: BaseException) -> bool:
    return isinstance(error, OperationalError) and "database is locked" in str(error)


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        # A page of its own, with nothing read from the database.
        response = HttpResponse(
            render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}), status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
