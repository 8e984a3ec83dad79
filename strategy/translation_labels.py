"""How the admin labels one language's copy of a translated field (django-modeltranslation).

modeltranslation's default, "title [zh-hans]", loses its suffix in the admin's tabs (their
script strips the brackets), which left six inputs all labelled "Title:" under a list of bare
language codes. A label with the language's name says which input is which, with or without
the tabs."""

from django.conf import settings
from django.utils.translation import gettext


def translated_field_label(verbose_name: str, language: str) -> str:
    """`verbose_name` followed by the name of `language` (a code of settings.LANGUAGES, in
    either spelling: "zh-hans" or "zh_hans"), in the language the page is shown in.

    modeltranslation calls this lazily, when a label is shown, so settings are read then."""
    code = language.replace("_", "-")
    name = dict(settings.LANGUAGES).get(code, code)
    return gettext("%(field)s (%(language)s)") % {"field": verbose_name, "language": name}
