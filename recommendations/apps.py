from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("Recommendations")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from groups.models import Membership
        from recommendations.live.notify import live_memberships_changed
        from recommendations.selectors.drafting import WORKSPACE_MODELS
        from recommendations.selectors.review import REVIEW_THREAD_MODELS, WORKSPACE_THREAD_MODELS
        from recommendations.selectors.suggestions import SUGGESTION_MODELS
        from recommendations.selectors.translations import TRANSLATORS_HOME_MODELS
        from strategy import generations

        # What the version page, the translators' home and the workspace keep is kept
        # under these models' generations.
        generations.connect(
            [
                *REVIEW_THREAD_MODELS,
                *SUGGESTION_MODELS,
                *TRANSLATORS_HOME_MODELS,
                *WORKSPACE_MODELS,
                *WORKSPACE_THREAD_MODELS,
            ]
        )

        # A member who leaves the group, or whose role changes, while in a live room of its
        # drafts: the room asks again what they may do (recommendations/live/consumers.py).
        def memberships_changed(instance, **kwargs):
            live_memberships_changed(working_group_id=instance.working_group_id)

        post_save.connect(
            memberships_changed, sender=Membership, dispatch_uid="live-membership", weak=False
        )
        post_delete.connect(
            memberships_changed, sender=Membership, dispatch_uid="live-membership-d", weak=False
        )

        # Versions and threads point at the history model, which translation.py creates once
        # the translated columns exist. A relation looked at before then keeps the model's
        # name cached in place of the model, and querysets that follow it through defer()
        # or only() fail; forget the stale name.
        for model in self.get_models():
            for field in model._meta.get_fields():
                if isinstance(field.__dict__.get("related_model"), str):
                    del field.__dict__["related_model"]
