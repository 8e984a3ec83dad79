from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Strategy process")

    def ready(self):
        # Django knows Arabic but not Egyptian Arabic; the language switcher and
        # `get_language_info` need its name, its autonym and its direction.
        from django.conf.locale import LANG_INFO

        self._invalidate_public_pages()
        from django.urls import register_converter

        from .ids import IdConverter

        # <id:pk> in the url files (strategy/ids.py).
        register_converter(IdConverter, "id")
        from django.db.models.signals import post_migrate

        from .core_team import sync_after_migrate

        post_migrate.connect(sync_after_migrate, dispatch_uid="strategy:core-team")
        from . import audit

        audit.connect()
        LANG_INFO.setdefault(
            "arz",
            {"bidi": True, "code": "arz", "name": "Egyptian Arabic", "name_local": "مصرى"},
        )

    @staticmethod
    def _invalidate_public_pages():
        # The public pages' cache is told of changes by signals: the models that hold
        # public content must not each know about the cache.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .caching import content_changed

        for label in (
            "groups.ThematicArea",
            "groups.WorkingGroup",
            "groups.GuidingQuestion",
            "groups.FormerName",
            "groups.Membership",
            "recommendations.Iteration",
            "recommendations.Recommendation",
            "recommendations.Version",
            "timeline.Phase",
            "timeline.Milestone",
            "timeline.MilestoneShift",
        ):
            post_save.connect(content_changed, sender=label, dispatch_uid=f"public:{label}")
            post_delete.connect(content_changed, sender=label, dispatch_uid=f"public:d:{label}")
        m2m_changed.connect(content_changed, dispatch_uid="public:m2m")
