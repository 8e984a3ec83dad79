"""Sessions end after a time without activity, shorter for staff than for everyone else.

django-session-timeout, the library for idle timeouts, has one limit for everyone and no
release since 2020; what is needed here is one `set_expiry()` per request, so it is written
out. The limit is kept by the session store itself (the row's expiry date), so a session
idle for longer is gone on the server, whatever the browser keeps.
"""

import time

from allauth.account.authentication import get_authentication_records
from django.conf import settings

# When this session's expiry was last pushed back.
RENEWED_AT = "_idle_renewed_at"
# Renewing writes the session; once a minute is enough for limits of hours and days.
RENEW_EVERY_SECONDS = 60


def not_activity(view):
    """Marks a view that a page calls by itself (the editor's sign of life every minute), so
    that calling it does not keep an unattended session open."""
    view.session_idle_exempt = True
    return view


def session_idle_limit(user) -> int:
    """Seconds a signed-in session of `user` may stay unused before it ends."""
    if user.is_staff or user.is_superuser:
        return settings.SESSION_IDLE_SECONDS_STAFF
    return settings.SESSION_IDLE_SECONDS


class SessionIdleTimeoutMiddleware:
    """Pushes a signed-in session's end back to its idle limit from now, on each request.

    It acts after the view, so that a sign-in on this very request gets its limit at once,
    and it leaves requests without a session alone: a cached public page loads no session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or getattr(request, "not_activity", False):
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        limit = session_idle_limit(user)
        now = int(time.time())
        # Another expiry (a sign-in view's own, or a staff member's before they were staff)
        # is replaced at once; the right one is renewed once a minute at most.
        stale = now - session.get(RENEWED_AT, 0) >= RENEW_EVERY_SECONDS
        if session.get_expiry_age() != limit or stale:
            session.set_expiry(limit)
            session[RENEWED_AT] = now
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "session_idle_exempt", False):
            request.not_activity = True


def signed_in_with_wikimedia(*, request) -> bool:
    """Whether the person signed in to this session with a Wikimedia account (allauth's
    record of how the session was authenticated), not merely has one connected."""
    return any(
        record.get("method") == "socialaccount" and record.get("provider") == "mediawiki"
        for record in get_authentication_records(request, request.user)
    )
