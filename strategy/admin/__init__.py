from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from strategy.accounts.forms import translation_language_choices
from strategy.accounts.services import user_proofread_languages_set
from strategy.mailer import notices_send_again
from strategy.models import AuditEvent, Notice, NoticePreference, User

# What makes an account powerful: only a superuser grants or takes it away.
POWER_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


def may_manage_account(user, account=None) -> bool:
    """Whether `user` may change `account` (its details, its password): a superuser may
    change any; anyone else with the permission only accounts that are neither staff nor
    superuser, so that nobody takes over an account more powerful than the ordinary."""
    if user.is_superuser:
        return True
    return account is None or not (account.is_staff or account.is_superuser)


class AccountChangeForm(UserChangeForm):
    """Django's account form, and the languages the core team assigns the person to
    proofread: a field of the form, not of the model's, so that the admin's save leaves
    `proofreads` alone and the service writes it (UserAdmin.save_model)."""

    proofread_languages = forms.MultipleChoiceField(
        label=_("Proofreads"),
        help_text=_(
            "Assign this person to proofread translations into these languages: they then "
            "translate into them too. In a language with an assigned proofreader, only the "
            "assigned proofreaders and the core team mark drafts ready."
        ),
        choices=translation_language_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "proofread_languages" in self.fields:
            self.fields["proofread_languages"].initial = list(self.instance.proofreads or [])


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """The core team manages ordinary accounts (names, addresses, language, whether they
    may sign in, a new password); staff and superuser accounts, and who is staff,
    superuser, in which permission group or with which permission, are a superuser's.

    Enforced on the server: the power fields are not in the form of anyone but a
    superuser, so a posted `is_superuser=on` is ignored, and a staff or superuser account
    answers 403 to a change or a new password (`has_change_permission` per account,
    which Django's password view asks too). Each change of powers is in the audit log.
    """

    form = AccountChangeForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ("language", "affiliation", "organization")}),
        (_("Translation"), {"fields": ("languages_translated_into", "proofread_languages")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")
    # The person states them on their profile (strategy/accounts), which their memberships
    # then record; here they are read. Each membership's own is in the membership admin.
    SHOWN_ONLY = ("affiliation", "organization", "languages_translated_into")

    @admin.display(description=_("languages translated into"))
    def languages_translated_into(self, account) -> str:
        names = dict(settings.LANGUAGES)
        chosen = [str(names.get(code, code)) for code in account.translates_into or []]
        return ", ".join(chosen) or "-"

    def get_readonly_fields(self, request, obj=None):
        readonly = (*super().get_readonly_fields(request, obj), *self.SHOWN_ONLY)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *POWER_FIELDS, "last_login", "date_joined")

    def has_change_permission(self, request, obj=None):
        return may_manage_account(request.user, obj) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "proofread_languages" in form.changed_data:
            user_proofread_languages_set(
                user=obj, languages=form.cleaned_data["proofread_languages"]
            )

    def has_delete_permission(self, request, obj=None):
        return may_manage_account(request.user, obj) and super().has_delete_permission(request, obj)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """The ledger of e-mails (notices, invitations): what was sent to whom, what waits, what
    failed and why."""

    list_display = (
        "subject",
        "recipient",
        "email",
        "kind",
        "state",
        "attempts",
        "created_at",
        "sent_at",
        "read_at",
    )
    list_filter = ("state", "topic", "kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("subject", "key", "email", "recipient__username", "recipient__email")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notice._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A notice's row is what keeps it from going out twice: deleting it lets the same
        # notice be made and sent again.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.action(description=_("Queue the selected failed or in-doubt notices again"))
    def send_again(self, request, queryset):
        count = notices_send_again(notices=queryset)
        self.message_user(request, _("%(count)s notices queued again.") % {"count": count})


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, for superusers only and for reading only: no one adds, changes or
    deletes an event here (old ones leave through `manage.py audit_prune`)."""

    list_display = (
        "at",
        "kind",
        "actor_name",
        "subject_name",
        "before",
        "after",
        "ip_address",
        "method",
        "path",
    )
    list_filter = ("kind", "at", "method")
    search_fields = ("actor_name", "subject_name", "ip_address", "path")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
    show_full_result_count = False

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NoticePreference)
class NoticePreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "topic", "delivery")
    list_filter = ("topic", "delivery")
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)


admin.site.site_header = _("Strategy process: the core team")
admin.site.site_title = _("Strategy process")
admin.site.index_title = _("Run the process")
