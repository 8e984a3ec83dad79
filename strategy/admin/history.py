"""The admin of models with history: the record of the process is not erased in bulk.

"Delete selected" deletes hundreds of objects in one click; the history keeps each row,
but the object, what hangs from it (versions, threads, comments) and its place in the
process are gone. Only a superuser may do it; the core team deletes, where it may, one
object at a time, seeing what goes with it.
"""

from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import PermissionDenied
from django.db import router
from django.utils.text import capfirst
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from strategy.dates import readable

# How many objects a deletion's confirmation lists one by one before it counts them instead.
DELETION_LISTED = 100


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

    def get_readonly_fields(self, request, obj=None):
        # A past version that cannot be reverted to is shown, not offered as a form: a form
        # would render a choice of every version and person for each of its relations.
        fields = super().get_readonly_fields(request, obj)
        if getattr(request, "_history_shown_only", False):
            return [
                *fields,
                *(
                    field.name
                    for field in self.opts.get_fields()
                    if getattr(field, "editable", False)
                    and not field.auto_created
                    and (field.concrete or field.many_to_many)
                    and field.name not in fields
                ),
            ]
        return fields

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self.revert_disabled(request):
            # simple-history saves a POST to this page even when its button is hidden.
            if request.method == "POST":
                raise PermissionDenied
            request._history_shown_only = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_deleted_objects(self, objs, request):
        """What a deletion takes with it, listed one by one (Django's own list) up to
        DELETION_LISTED objects; past that, counted per kind, with the first protected
        objects named: an iteration protecting 10,000 versions is a page, not 10,000 lines."""
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        collected = sum(len(rows) for rows in collector.model_objs.values())
        if collected <= DELETION_LISTED and len(collector.protected) <= DELETION_LISTED:
            return super().get_deleted_objects(objs, request)
        perms_needed = set()
        for model, rows in collector.model_objs.items():
            model_admin = self.admin_site._registry.get(model)
            sample = next(iter(rows))
            if model_admin is not None and not model_admin.has_delete_permission(request, sample):
                perms_needed.add(model._meta.verbose_name)
        model_count = {
            model._meta.verbose_name_plural: len(rows)
            for model, rows in collector.model_objs.items()
        }
        to_delete = [f"{capfirst(name)}: {count}" for name, count in sorted(model_count.items())]
        protected = [
            f"{capfirst(obj._meta.verbose_name)}: {obj}"
            for obj in list(collector.protected)[:DELETION_LISTED]
        ]
        if len(collector.protected) > DELETION_LISTED:
            more = len(collector.protected) - DELETION_LISTED
            protected.append(
                ngettext("and %(count)d more", "and %(count)d more", more) % {"count": more}
            )
        return to_delete, model_count, perms_needed, protected
