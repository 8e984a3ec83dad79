"""Names for the admin of two allauth models that have none to translate.

allauth's authenticators (the second factor) and user sessions take their names and their
fields' labels from their Python names ("authenticator", "created at"), which no catalogue
can translate: the admin would show them in English in every language. They are given
translatable names here, when the apps are ready. Only the names read at run time change
(`verbose_name`, not the options the models were declared with, which migrations compare),
so allauth's migrations are untouched.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NAMES = {
    ("mfa", "authenticator"): (
        _("authenticator"),
        _("authenticators"),
        {
            "user": _("user"),
            "type": pgettext_lazy("authenticator", "type"),
            "data": _("data"),
            "created_at": _("created"),
            "last_used_at": _("last used"),
        },
    ),
    ("usersessions", "usersession"): (
        _("user session"),
        _("user sessions"),
        {
            "user": _("user"),
            "created_at": _("started"),
            "ip": _("IP address"),
            "last_seen_at": _("last seen"),
            "session_key": _("session key"),
            "user_agent": _("browser"),
            "data": _("data"),
        },
    ),
}


def name_library_models() -> None:
    from django.apps import apps

    for (app_label, model_name), (singular, plural, fields) in NAMES.items():
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
        for name, label in fields.items():
            model._meta.get_field(name).verbose_name = label
