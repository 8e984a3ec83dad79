"""The admin in the language of the person using it.

The admin's addresses have no language prefix, and LocaleMiddleware gives an address
without one the default language when i18n_patterns leave it unprefixed: the admin would
always be in English. Under /admin/ the language is the signed-in person's preferred
language (their profile), else the one their browser asks for (the language cookie the
site's switcher sets, then Accept-Language), among the site's languages.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def admin_language(request) -> str:
    user = getattr(request, "user", None)
    preferred = getattr(user, "language", "") if user and user.is_authenticated else ""
    if preferred and preferred in dict(settings.LANGUAGES):
        return preferred
    return translation.get_language_from_request(request, check_path=False)


class AdminLanguageMiddleware:
    """After AuthenticationMiddleware (it reads the person's language) and LocaleMiddleware
    (whose choice it replaces under the admin, and which then names it in Content-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if request.path_info.startswith(self.prefix):
            language = admin_language(request)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
