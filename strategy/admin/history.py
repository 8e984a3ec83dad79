"""The admin of models with history: the record of the process is not erased in bulk.

"Delete selected" deletes hundreds of objects in one click; the history keeps each row,
but the object, what hangs from it (versions, threads, comments) and its place in the
process are gone. Only a superuser may do it; the core team deletes, where it may, one
object at a time, seeing what goes with it.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from strategy.dates import readable


class ReadableChanges(HistoricalRecordContextHelper):
    """The changes a history page lists, with dates and times as people read them ("Closed
    at: None → Dec. 1, 2026, 4:08 p.m."), not as Python prints them."""

    def prepare_delta_change_value(self, change, value):
        return readable(super().prepare_delta_change_value(change, value))


class HistoryAdmin(SimpleHistoryAdmin):
    # Deleting even one object is for superusers alone (set where the object is a record
    # the workflow writes, such as a recommendation).
    superuser_deletes = False
    # A model the workflow writes through services is never reverted field by field from
    # its history page: that would undo state, versions and links in one blind save.
    revert_from_history = True

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if self.superuser_deletes and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        return not self.revert_from_history or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a POST to this page even when its button is hidden.
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
