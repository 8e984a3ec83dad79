from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public site: every page anyone may read, with no models of its own. It owns its
    page cache and when the cached pages are stale (invalidation.py, connected here)."""

    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        from strategy import generations

        from .forms import CHOICE_MODELS
        from .invalidation import connect
        from .listing import LIST_MODELS
        from .views.home import HOME_MODELS
        from .views.recommendations import PAGE_MODELS

        connect()
        generations.connect([*CHOICE_MODELS, *LIST_MODELS, *HOME_MODELS, *PAGE_MODELS])
