from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Working groups")

    def ready(self):
        from django.db.models.signals import pre_delete

        from .models import Invitation
        from .services import invitation_deleted

        # However it goes (the admin, a deleted group), its e-mail waiting in the ledger
        # goes with it.
        pre_delete.connect(invitation_deleted, sender=Invitation, dispatch_uid="groups:invitation")
