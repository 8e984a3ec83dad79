from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("Recommendations")

    def ready(self):
        # Versions and threads point at the history model, which translation.py creates once
        # the translated columns exist. A relation looked at before then keeps the model's
        # name cached in place of the model, and querysets that follow it through defer()
        # or only() fail; forget the stale name.
        for model in self.get_models():
            for field in model._meta.get_fields():
                if isinstance(field.__dict__.get("related_model"), str):
                    del field.__dict__["related_model"]
