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


class PersonCount:
    """A number about the signed-in person, for the header, counted the first time a
    template asks (`count(user)`); none for anonymous, or before authentication ran."""

    def __init__(self, user, count):
        self.user = user
        self._count = count

    @cached_property
    def count(self) -> int:
        if self.user is None or not self.user.is_authenticated:
            return 0
        return self._count(self.user)


def _unread(user) -> int:
    from .notices import notices_listed

    return notices_listed(user=user).filter(read_at__isnull=True).count()


def notifications(request):
    """The number of unread notifications, for the header. A page rendered before the
    authentication middleware ran (the 400 page for a bad Host header) has no request.user:
    it counts none."""
    return {"unread_notices": PersonCount(getattr(request, "user", None), _unread)}
