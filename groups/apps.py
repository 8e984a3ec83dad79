from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Working groups")

    def ready(self):
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

        from strategy import generations
        from strategy.memo import forget, remember

        from .models import Invitation, Membership, WorkingGroup
        from .predicates import ROLE_MODELS, ROLES_CHANGED
        from .services import invitation_deleted

        # What a person's roles are kept under (groups/predicates.py): a permission, so
        # its generation moves at the write as well as at the commit.
        generations.connect(ROLE_MODELS)

        # A role gained or lost within a request is seen by the checks after it
        # (groups/predicates.py reads the roles once per request, and keeps them; not
        # once this request has changed one). Held strongly: nothing else refers to this
        # function, and a weak reference would let it go at once.
        def changed(sender, **kwargs):
            forget()
            remember(ROLES_CHANGED, True)
            if sender is Membership:
                for label in ROLE_MODELS:
                    generations.model_changed(label, at_once=True)

        for model in (Membership, WorkingGroup):
            post_save.connect(
                changed, sender=model, weak=False, dispatch_uid=f"memo-{model.__name__}"
            )
            post_delete.connect(
                changed, sender=model, weak=False, dispatch_uid=f"memo-d-{model.__name__}"
            )
        m2m_changed.connect(
            changed, sender=Group.user_set.through, weak=False, dispatch_uid="memo-groups"
        )

        # However it goes (the admin, a deleted group), its e-mail waiting in the ledger
        # goes with it.
        pre_delete.connect(invitation_deleted, sender=Invitation, dispatch_uid="groups:invitation")
