from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import get_language, get_language_info


def _same_site(path: str) -> str:
    """`path` with one leading slash: the page for //evil.example/x (or /\\evil.example/x,
    which browsers read alike) must not link to another site."""
    return "/" + path.lstrip("/\\")


def _in_language(request, code: str) -> str:
    """This page's address in another language: the view the request was resolved to,
    reversed under that language (like translate_url, without resolving it again). Always
    a path on this site."""
    path = _same_site(request.get_full_path())
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return path
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    try:
        with translation.override(code):
            translated = reverse(name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return path
    return urlunsplit(("", "", _same_site(translated), urlsplit(path).query, ""))


def languages(request):
    """Links to the current page in every language, for the language switcher."""
    current = get_language()
    return {
        "language_links": [
            {
                "code": code,
                "name_local": get_language_info(code)["name_local"],
                "url": _in_language(request, code),
                "current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ]
    }


class _Unread:
    """Counts the person's unread notifications the first time a template asks."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        from .models import Notice
        from .notices import CARRIER_KINDS

        if self.user is None or not self.user.is_authenticated:
            return 0
        # As the list shows them: each notice, not the digest or e-mail that carried it, nor
        # one withdrawn before it left.
        return (
            Notice.objects.filter(recipient=self.user, read_at__isnull=True)
            .exclude(kind__in=CARRIER_KINDS)
            .exclude(state=Notice.State.CANCELLED)
            .count()
        )


def notifications(request):
    """The number of unread notifications, for the header. A page rendered before the
    authentication middleware ran (the 400 page for a bad Host header) has no request.user:
    it counts none."""
    return {"unread_notices": _Unread(getattr(request, "user", None))}
