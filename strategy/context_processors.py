from django.conf import settings
from django.urls import translate_url
from django.utils.functional import cached_property
from django.utils.translation import get_language, get_language_info


def languages(request):
    """Links to the current page in every language, for the language switcher."""
    current = get_language()
    path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return {"language_links": links}


class _Unread:
    """Counts the person's unread notifications the first time a template asks."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        from .models import Notice

        if not self.user.is_authenticated:
            return 0
        return Notice.objects.filter(recipient=self.user, read_at__isnull=True).count()


def notifications(request):
    """The number of unread notifications, for the header."""
    return {"unread_notices": _Unread(request.user)}
