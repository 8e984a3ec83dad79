from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Strategy process")

    def ready(self):
        # Django knows Arabic but not Egyptian Arabic; the language switcher and
        # `get_language_info` need its name, its autonym and its direction.
        from django.conf.locale import LANG_INFO
        from django.urls import register_converter

        from .ids import IdConverter

        # <id:pk> in the url files (strategy/ids.py).
        register_converter(IdConverter, "id")
        from django.db.models.signals import post_migrate

        from .core_team import sync_after_migrate

        post_migrate.connect(sync_after_migrate, dispatch_uid="strategy:core-team")
        from . import audit

        audit.connect()
        # "Needs me" is of the top layer (it reads every app): its kept counts listen to
        # the apps' models once they are all loaded.
        from . import needs_me
        from .generations import connect
        from .mailer import NOTICE_MODELS

        needs_me.connect()
        # A person's unread count is kept under the ledger's generation (strategy/mailer.py).
        connect(NOTICE_MODELS)
        # allauth's authenticators and user sessions, named in every language in the admin.
        from .admin.library_names import name_library_models

        name_library_models()
        LANG_INFO.setdefault(
            "arz",
            {"bidi": True, "code": "arz", "name": "Egyptian Arabic", "name_local": "مصرى"},
        )
