from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language, get_language_info

from strategy import fragments


def _same_site(path: str) -> str:
    """`path` with one leading slash: the page for //evil.example/x (or /\\evil.example/x,
    which browsers read alike) must not link to another site."""
    return "/" + path.lstrip("/\\")


def _translated_paths(name: str, args: tuple, kwargs: dict) -> dict[str, str | None]:
    """The view `name`'s address with these arguments in every language (None where it
    does not reverse): the same for every request of the view with them."""
    paths = {}
    for code, _name in settings.LANGUAGES:
        try:
            with translation.override(code):
                paths[code] = _same_site(reverse(name, args=args, kwargs=kwargs))
        except NoReverseMatch:
            paths[code] = None
    return paths


def _in_languages(request) -> dict[str, str]:
    """This page's address in every language: the view the request was resolved to,
    reversed under each language (like translate_url, without resolving it again), its
    query kept. Always a path on this site. The reversed paths are kept per view and
    arguments (strategy/fragments.py): a resolved view's arguments are its URL's, so the
    query, whatever it is, makes no key of its own."""
    path = _same_site(request.get_full_path())
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return {code: path for code, _name in settings.LANGUAGES}
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    args, kwargs = tuple(match.args), dict(match.kwargs)
    paths = fragments.kept(
        "language-paths",
        (name, args, tuple(sorted(kwargs.items()))),
        lambda: _translated_paths(name, args, kwargs),
    )
    query = urlsplit(path).query
    return {
        code: path if found is None else urlunsplit(("", "", found, query, ""))
        for code, found in paths.items()
    }


def _language_links(request) -> list[dict]:
    current = get_language()
    paths = _in_languages(request)
    return [
        {
            "code": code,
            "name_local": get_language_info(code)["name_local"],
            "url": paths[code],
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


def languages(request):
    """Links to the current page in every language, for the language switcher; worked out
    when a template first asks."""
    return {"language_links": SimpleLazyObject(lambda: _language_links(request))}


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
    from .notices import unread_count

    return unread_count(user=user)


def notifications(request):
    """The number of unread notifications, for the header. A page rendered before the
    authentication middleware ran (the 400 page for a bad Host header) has no request.user:
    it counts none."""
    return {"unread_notices": PersonCount(getattr(request, "user", None), _unread)}
