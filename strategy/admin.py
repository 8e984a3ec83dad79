from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Notice, NoticePreference, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ("language",)}),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """The ledger of notices: what was sent to whom, what waits, what failed and why."""

    list_display = (
        "subject",
        "recipient",
        "kind",
        "state",
        "attempts",
        "created_at",
        "sent_at",
        "read_at",
    )
    list_filter = ("state", "topic", "kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("subject", "key", "recipient__username", "recipient__email")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notice._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Queue the selected failed notices again"))
    def send_again(self, request, queryset):
        from .tasks import notice_send

        ids = list(queryset.filter(state=Notice.State.FAILED).values_list("pk", flat=True))
        Notice.objects.filter(pk__in=ids).update(state=Notice.State.PENDING, attempts=0)
        for notice_id in ids:
            notice_send.delay_on_commit(notice_id)
        self.message_user(request, _("%(count)s notices queued again.") % {"count": len(ids)})


@admin.register(NoticePreference)
class NoticePreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "topic", "delivery")
    list_filter = ("topic", "delivery")
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)


admin.site.site_header = _("Strategy process: the core team")
admin.site.site_title = _("Strategy process")
admin.site.index_title = _("Run the process")
