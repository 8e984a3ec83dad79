from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Strategy process")

    def ready(self):
        # Django knows Arabic but not Egyptian Arabic; the language switcher and
        # `get_language_info` need its name, its autonym and its direction.
        from django.conf.locale import LANG_INFO

        LANG_INFO.setdefault(
            "arz",
            {"bidi": True, "code": "arz", "name": "Egyptian Arabic", "name_local": "مصرى"},
        )
