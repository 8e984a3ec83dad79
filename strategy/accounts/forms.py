from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from recommendations.text.translation_units import translation_languages
from strategy.models import Affiliation, User


def translation_language_choices():
    names = dict(settings.LANGUAGES)
    return [(code, names[code]) for code in translation_languages()]


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form, its first field named for what it takes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("User name or e-mail address")


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Preferred language"),
        help_text=_("The language of your pages once you sign in, and of your e-mail."),
        choices=lambda: [("", _("As my browser says")), *settings.LANGUAGES],
        required=False,
    )
    affiliation = forms.ChoiceField(
        label=_("Affiliation"),
        help_text=_(
            "Whom you take part for. Shown with your name in your working groups, and "
            "recorded in each of them."
        ),
        choices=[("", _("Not stated")), *Affiliation.choices],
        required=False,
    )
    organization = forms.CharField(
        label=_("Organized group"),
        help_text=_(
            "If you are on the staff or the board of an organized group: which one, for "
            "example Wikimedia Deutschland."
        ),
        max_length=User._meta.get_field("organization").max_length,
        required=False,
    )
    translates_into = forms.MultipleChoiceField(
        label=_("Languages I translate into"),
        help_text=_(
            "Volunteer to translate published recommendations into these languages: you "
            "may then translate them, and hear when translations in them go stale."
        ),
        choices=translation_language_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete my account. What I wrote stays, as by a former participant."),
    )
