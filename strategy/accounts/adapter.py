from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext

from strategy import mailer

from .services import FORMER_PREFIX


class _Site:
    """What allauth's e-mail templates call the site ("Hello from …")."""

    def __init__(self, request):
        self.name = gettext("Strategy process")
        self.domain = request.get_host() if request is not None else settings.SITE_URL


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The language the person signed up in is the one their e-mail and pages use.
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        if username.lower().startswith(FORMER_PREFIX):
            raise ValidationError(
                gettext("This user name is reserved; please choose another."),
                code="reserved_username",
            )
        return username

    def get_login_redirect_url(self, request):
        """After signing in, the pages are in the person's preferred language."""
        url = super().get_login_redirect_url(request)
        language = request.user.language
        return translate_url(url, language) if language else url

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # allauth leaves the person out of a notice's context; send_mail needs them.
        super().send_notification_mail(
            template_prefix, user, {"user": user, **(context or {})}, email=email
        )

    def format_email_subject(self, subject: str) -> str:
        return gettext("%(site)s: %(subject)s") % {
            "site": gettext("Strategy process"),
            "subject": subject,
        }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account e-mail in the language of the person it is about, if they chose one;
        otherwise in the language of the page that made it. It goes out through the mailer
        (strategy/mailer.py: the same sending function and headers as every e-mail), not
        through the ledger, which must not keep the secrets these e-mails carry."""
        user = context.get("user")
        if user is None:
            # E.g. "an account already exists with your address": the address's owner.
            user = get_user_model().objects.filter(email__iexact=email).first()
        language = mailer.language_of(user, default=translation.get_language())
        with translation.override(language):
            context = {
                "request": self.request,
                "email": email,
                "current_site": _Site(self.request),
                **context,
            }
            message = self.render_mail(template_prefix, email, context)
        mailer.email_send_now(message, kind=template_prefix)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # Wiki user names have spaces where user names here may not: the wikis themselves
        # treat a space and an underscore as the same character.
        user.username = (user.username or "").replace(" ", "_")
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return user

    def pre_social_login(self, request, sociallogin) -> None:
        """A Wikimedia account that its wiki has blocked does not sign in here."""
        if sociallogin.account.extra_data.get("blocked"):
            messages.error(
                request,
                gettext(
                    "Your Wikimedia account is blocked, so it cannot be used to sign in here. "
                    "If you think this is a mistake, write to the core team."
                ),
            )
            raise ImmediateHttpResponse(redirect("login"))

    def can_authenticate_by_email(self, login, email: str) -> bool:
        """Sign in to an existing account by e-mail only where both sides verified it: the
        provider confirmed the address (the MediaWiki provider passes on confirmed addresses
        only) and the local account verified it too. Anyone could have typed an unverified
        local address at sign-up."""
        if not super().can_authenticate_by_email(login, email):
            return False
        return EmailAddress.objects.filter(email__iexact=email, verified=True).exists()
