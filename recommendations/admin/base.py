"""What the admin modules of recommendations share."""

from strategy.admin.history import HistoryAdmin


class ReadOnlyAdmin(HistoryAdmin):
    """The record of work done on the site's pages, through services that check it (the
    synthesis, review threads): the admin shows it and a superuser may delete from it."""

    superuser_deletes = True
    revert_from_history = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
