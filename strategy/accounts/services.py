from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from recommendations.text.translation_units import translation_languages
from strategy.memo import forget

# A deleted account's user name: the row stays, since comments and history point at it.
FORMER_PREFIX = "former-"


@transaction.atomic
def user_profile_update(
    *,
    user,
    first_name: str,
    last_name: str,
    language: str,
    affiliation: str = "",
    organization: str = "",
    translates_into: list[str] | None = None,
):
    """Change the name people see, the language of the person's pages and e-mail, their
    affiliation, which their current memberships then record too, and the languages they
    volunteer to translate into (unchanged when `translates_into` is None). Raises
    ValidationError
    (nothing saved) for a combination the model refuses, such as an organized group named
    by an individual contributor."""
    from groups.services import memberships_affiliation_follow

    user.first_name = first_name
    user.last_name = last_name
    user.language = language
    user.affiliation = affiliation
    user.organization = organization.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "language", "affiliation", "organization"])
    memberships_affiliation_follow(user=user)
    if translates_into is not None:
        user_translator_languages_set(user=user, languages=translates_into)
    return user


@transaction.atomic
def user_translator_languages_set(*, user, languages: list[str]) -> None:
    """The languages `user` volunteers to translate into, from now on: exactly `languages`
    (those to translate into; any other is refused). Who may then translate what is
    recommendations/selectors/translations.py's to say (translator_languages)."""
    unknown = set(languages) - set(translation_languages())
    if unknown:
        raise ValidationError(
            gettext("There is no such language to translate into."), code="unknown_language"
        )
    # In the order of settings.LANGUAGES, each once.
    user.translates_into = [code for code in translation_languages() if code in languages]
    user.save(update_fields=["translates_into"])
    forget()


@transaction.atomic
def user_proofread_languages_set(*, user, languages: list[str]) -> None:
    """The languages the core team assigns `user` to proofread, from now on: exactly
    `languages` (those to translate into; any other is refused, nothing saved). The person
    translates into them too; in each, once it has an assigned proofreader, only the
    assigned proofreaders and the core team proofread (recommendations/predicates.py). Who
    may call it is the caller's to check: the core team, in the admin."""
    from strategy.generations import model_changed
    from strategy.needs_me import PROOFREADERS

    unknown = set(languages) - set(translation_languages())
    if unknown:
        raise ValidationError(
            gettext("There is no such language to translate into."), code="unknown_language"
        )
    user.proofreads = [code for code in translation_languages() if code in languages]
    user.save(update_fields=["proofreads"])
    forget()
    # Who proofreads a language changes what waits for every translator of it.
    model_changed(PROOFREADERS)


@transaction.atomic
def user_account_delete(*, user) -> None:
    """Delete the person's account, keeping what they wrote: comments, revisions and reviews
    stay, attributed to "a former participant" (the user row stays, emptied of everything
    that names or reaches the person, and can no longer sign in). Current memberships end
    today. Safe to call again."""
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from allauth.usersessions.models import UserSession
    from django.utils import timezone

    from groups.models import Membership

    today = timezone.localdate()
    for membership in Membership.objects.select_for_update().filter(
        user=user, left_on__isnull=True
    ):
        membership.left_on = today
        membership._change_reason = gettext("Account deleted")
        membership.save(update_fields=["left_on"])
    # Every browser the person is signed in on is signed out.
    for session in UserSession.objects.filter(user=user):
        session.end()
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.notice_preferences.all().delete()
    user.notices.all().delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.username = f"{FORMER_PREFIX}{user.pk}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.language = ""
    user.affiliation = ""
    user.organization = ""
    user.translates_into = []
    was_proofreading = bool(user.proofreads)
    user.proofreads = []
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    if was_proofreading:
        from strategy.generations import model_changed
        from strategy.needs_me import PROOFREADERS

        model_changed(PROOFREADERS)
