from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public site: what anyone may read. For now it owns when its cached pages are
    stale (invalidation.py); its pages move here from the other apps later."""

    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        from .invalidation import connect

        connect()
