"""Every account page and account e-mail in Egyptian Arabic.

django-allauth ships no Egyptian Arabic, nor does Django for its form errors and password
rules: locale_libraries/arz holds them. Each page the site uses (sign-in, sign-up,
verification, password reset and change, e-mail addresses, the second factor, sessions,
Wikimedia sign-in and connections) and each account e-mail is rendered in arz here, and
must show none of the English sentences those libraries would show; and every string of
allauth's catalogue for these features must have its translation, so that an upgrade of
allauth that adds one fails here.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

import allauth
import pyotp
import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from django.utils import translation

from tests.accounts import oauth_provider
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-good-password-42"
ARZ = "/arz"
wikimedia = oauth_provider.wikimedia

# English sentences the account pages and e-mails show where a translation is missing: from
# allauth's templates, forms and messages, and Django's form errors, password rules and
# "ago". (Every allauth string is checked below as well, in the catalogue.)
ENGLISH = [
    # sign-in, sign-up, verification
    "Forgot your password?",
    "Sign Up",
    "Already have an account?",
    "Password (again)",
    "Verify Your Email Address",
    "We have sent an email to you for verification",
    "Confirm Email Address",
    "is an email address for user",
    "This email confirmation link expired or is invalid",
    "You have confirmed",
    "The username and/or password you specified are not correct.",
    "Too many failed login attempts",
    "A user is already registered with this email address.",
    "You must type the same password each time.",
    "Account Inactive",
    "This account is inactive.",
    "Are you sure you want to sign out?",
    "Sign Out",
    # password reset and change
    "Password Reset",
    "Forgotten your password?",
    "Reset My Password",
    "Please contact us if you have any trouble resetting your password.",
    "We have sent you an email.",
    "Change Password",
    "New Password",
    "Current Password",
    "Your password is now changed.",
    "Bad Token",
    "The password reset link was invalid",
    "Set Password",
    "Password successfully changed.",
    # e-mail addresses
    "Email Addresses",
    "The following email addresses are associated with your account:",
    "Make Primary",
    "Re-send Verification",
    "Add Email",
    "Unverified",
    "Confirmation email sent to",
    "Removed email address",
    # reauthentication and the second factor
    "Confirm Access",
    "Please reauthenticate to safeguard your account.",
    "Two-Factor Authentication",
    "Authenticator App",
    "An authenticator app is not active.",
    "Authentication using an authenticator app is active.",
    "Activate Authenticator App",
    "scan the QR code below",
    "Authenticator secret",
    "You can store this secret",
    "Authenticator code",
    "Deactivate Authenticator App",
    "You are about to deactivate",
    "Recovery Codes",
    "recovery codes available",
    "Unused codes",
    "Download codes",
    "Generate new codes",
    "You are about to generate a new set of recovery codes",
    "Your account is protected by two-factor authentication.",
    "Incorrect code.",
    # sessions
    "Sessions",
    "Started At",
    "IP Address",
    "Last seen at",
    "Sign Out Other Sessions",
    " ago",
    # Wikimedia sign-in and connections
    "Account Connections",
    "You can sign in to your account using any of the following third-party accounts:",
    "You currently have no third-party accounts connected to this account.",
    "Add a Third-Party Account",
    "The third-party account has been connected.",
    "The third-party account has been disconnected.",
    "You are about to sign in using a third-party account from",
    "You are about to connect a new third-party account from",
    "Sign In Via",
    "Continue",
    "Third-Party Login Failure",
    "An error occurred while attempting to login via your third-party account.",
    "Login Cancelled",
    "You decided to cancel logging in",
    "You are about to use your",
    "As a final step, please complete the following form:",
    # Django's form errors and password rules
    "This field is required.",
    "Enter a valid email address.",
    "This password is too short.",
    "Your password must contain at least",
    "Your password can\u2019t",
    "This password is too common.",
    "This password is entirely numeric.",
    "The password is too similar to the",
    "Enter a valid username.",
    "A user with that username already exists.",
    # e-mails
    "Hello from",
    "Thank you for using",
    "You're receiving this email because",
    "To confirm this is correct, go to",
    "Please Confirm Your Email Address",
    "requested a password reset",
    "Click the link below to reset your password.",
    "In case you forgot, your username is",
    "Password Reset Email",
    "an account using that email address already exists",
    "Account Already Exists",
    "we do not have any record of such an account",
    "If it was you, you can sign up for an account using the link below.",
    "Unknown Account",
    "You are receiving this mail because the following change was made to your account:",
    "If you do not recognize this change",
    "Your password has been changed.",
    "Password Changed",
    "Email Removed",
    "has been removed from your account",
    "Authenticator App Activated",
    "Authenticator app activated.",
    "New Recovery Codes Generated",
    "Third-Party Account Connected",
    "has been connected to your account",
    "Third-Party Account Disconnected",
    "This mail can be safely ignored",
    # dates, as in "- Date: Dec. 1, 2026, 1 p.m."
    " a.m.",
    " p.m.",
    "Dec.",
    "Jan.",
]


class _Text(HTMLParser):
    """The text a reader of the page sees in `language`: not scripts or styles, nor what is
    marked as in another language (the language switcher's own names)."""

    VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        hidden = tag in ("script", "style") or attrs.get("lang", self.language) != self.language
        self.stack.append((tag, hidden or (bool(self.stack) and self.stack[-1][1])))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.parts.append(data)


def visible_text(html: str, language: str = "arz") -> str:
    parser = _Text(language)
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def assert_arz(text: str, where: str) -> None:
    left = [sentence for sentence in ENGLISH if sentence in text]
    assert not left, f"{where} shows English: {left}\n\n{text}"


def page(client, path: str, *, method="get", data=None, status=200, follow=False):
    """The page at /arz`path`, asserted to be in Egyptian Arabic, and its response."""
    response = getattr(client, method)(ARZ + path, data or {}, follow=follow)
    assert response.status_code == status, (path, response.status_code)
    html = response.content.decode()
    assert '<html lang="arz" dir="rtl">' in html
    assert_arz(visible_text(html), path)
    return response


def arz_mail(message) -> str:
    text = f"{message.subject}\n{message.body}"
    assert_arz(text, f"the e-mail {message.subject!r}")
    # Arabic script in the subject and in the body, not only the site's name.
    assert re.search("[\u0600-\u06ff]{3}", message.subject.split(":", 1)[-1]), message.subject
    return text


def link(message, pattern: str) -> str:
    url = re.search(rf"https?://\S+{pattern}\S*/", message.body).group(0)
    return urlsplit(url).path


@pytest.fixture
def person():
    return UserFactory(username="salma", first_name="Salma", last_name="Fahmy", language="arz")


def test_signing_up_and_verifying_the_address(client, mailoutbox):
    page(client, "/accounts/signup/")
    refused = page(
        client,
        "/accounts/signup/",
        method="post",
        data={"email": "not an address", "username": "", "password1": "12", "password2": "3"},
    )
    assert "اكتب إيميل صحيح." in refused.content.decode()
    weak = page(
        client,
        "/accounts/signup/",
        method="post",
        data={
            "email": "noha@example.org",
            "username": "noha",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert "كلمة السر دى كلها أرقام." in weak.content.decode()
    response = client.post(
        ARZ + "/accounts/signup/",
        {
            "email": "noha@example.org",
            "username": "noha",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    page(client, urlsplit(response.url).path.removeprefix(ARZ))
    [message] = mailoutbox
    assert message.to == ["noha@example.org"]
    arz_mail(message)
    confirm = link(message, "/accounts/confirm-email/").removeprefix(ARZ)
    assert "أكّد إن" in page(client, confirm).content.decode()
    done = page(client, confirm, method="post", follow=True)
    assert "إنت أكّدت noha@example.org." in done.content.decode()
    page(client, "/accounts/confirm-email/not-a-key/")


def test_an_address_with_an_account_gets_an_e_mail_not_a_second_account(client, person, mailoutbox):
    client.post(
        ARZ + "/accounts/signup/",
        {
            "email": person.email,
            "username": "another",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    [message] = mailoutbox
    assert "الحساب موجود أصلاً" in arz_mail(message)


def test_signing_in_and_out(client, person, settings):
    page(client, "/accounts/login/")
    wrong = page(
        client, "/accounts/login/", method="post", data={"login": "salma", "password": "no"}
    )
    assert "مش مظبوطين" in wrong.content.decode()
    signed_in = page(
        client,
        "/accounts/login/",
        method="post",
        data={"login": "salma", "password": PASSWORD},
        follow=True,
    )
    assert "دخلت باسم salma." in signed_in.content.decode()
    page(client, "/accounts/logout/")
    out = page(client, "/accounts/logout/", method="post", follow=True)
    assert "إنت خرجت." in out.content.decode()
    person.is_active = False
    person.save()
    page(client, "/accounts/inactive/")


def test_too_many_wrong_passwords(client, person):
    for attempt in range(5):
        client.post(ARZ + "/accounts/login/", {"login": "salma", "password": f"no-{attempt}"})
    refused = page(
        client, "/accounts/login/", method="post", data={"login": "salma", "password": PASSWORD}
    )
    assert "محاولات دخول غلط كتير أوى" in refused.content.decode()


def test_resetting_a_forgotten_password(client, person, mailoutbox):
    page(client, "/accounts/password/reset/")
    response = client.post(ARZ + "/accounts/password/reset/", {"email": person.email})
    page(client, urlsplit(response.url).path.removeprefix(ARZ))
    [message] = mailoutbox
    assert "salma" in arz_mail(message)
    key_page = client.get(link(message, "/accounts/password/reset/key/"), follow=True)
    path = (
        key_page.redirect_chain[-1][0] if key_page.redirect_chain else key_page.request["PATH_INFO"]
    )
    path = urlsplit(path).path.removeprefix(ARZ)
    page(client, path)
    mismatch = page(
        client, path, method="post", data={"password1": "a-new-pass-2020!", "password2": "other"}
    )
    assert "لازم تكتب نفس كلمة السر المرتين." in mismatch.content.decode()
    done = page(
        client,
        path,
        method="post",
        data={"password1": "a-fresh-passphrase-2020", "password2": "a-fresh-passphrase-2020"},
        follow=True,
    )
    assert "كلمة السر بتاعتك اتغيّرت دلوقتى." in done.content.decode()
    # The notice that the password was reset, and the link once more: used up.
    assert "كلمة السر بتاعتك اتغيّرت." in arz_mail(mailoutbox[-1])
    used = page(
        client, link(message, "/accounts/password/reset/key/").removeprefix(ARZ), follow=True
    )
    assert "رابط مش صالح" in used.content.decode()


def test_a_reset_for_an_unknown_address_is_told_by_e_mail(client, mailoutbox):
    client.post(ARZ + "/accounts/password/reset/", {"email": "nobody@example.org"})
    [message] = mailoutbox
    assert "حساب مش معروف" in arz_mail(message)


def test_changing_and_setting_the_password(client, person, mailoutbox):
    client.force_login(person)
    page(client, "/accounts/password/change/")
    wrong = page(
        client,
        "/accounts/password/change/",
        method="post",
        data={"oldpassword": "no", "password1": "short", "password2": "short"},
    )
    assert "كلمة السر دى قصيره أوى" in wrong.content.decode()
    page(
        client,
        "/accounts/password/change/",
        method="post",
        data={
            "oldpassword": PASSWORD,
            "password1": "a-fresh-passphrase-2020",
            "password2": "a-fresh-passphrase-2020",
        },
        follow=True,
    )
    arz_mail(mailoutbox[-1])
    person.set_unusable_password()
    person.save()
    client.force_login(person)
    page(client, "/accounts/password/set/")


def test_managing_e_mail_addresses(client, person, mailoutbox):
    client.force_login(person)
    page(client, "/accounts/email/")
    added = page(
        client,
        "/accounts/email/",
        method="post",
        data={"action_add": "", "email": "salma.work@example.org"},
        follow=True,
    )
    assert "إيميل التأكيد اتبعت لـ salma.work@example.org." in added.content.decode()
    arz_mail(mailoutbox[-1])
    page(client, "/accounts/email/")
    removed = page(
        client,
        "/accounts/email/",
        method="post",
        data={"action_remove": "", "email": "salma.work@example.org"},
        follow=True,
    )
    assert "الإيميل salma.work@example.org اتشال." in removed.content.decode()
    assert "الإيميل اتشال" in arz_mail(mailoutbox[-1])


def reauthenticated(client, person):
    client.force_login(person)
    page(client, "/accounts/reauthenticate/")
    client.post(ARZ + "/accounts/reauthenticate/", {"password": PASSWORD})


@pytest.mark.django_db(transaction=True)
def test_setting_up_and_using_the_second_factor(client, person, mailoutbox):
    """In transactions that commit: the e-mails leave on commit, inside the request."""
    client.force_login(person)
    page(client, "/accounts/2fa/")
    reauthenticated(client, person)
    page(client, "/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    wrong = page(client, "/accounts/2fa/totp/activate/", method="post", data={"code": "000000"})
    assert "الكود غلط." in wrong.content.decode()
    client.post(ARZ + "/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert "تطبيق المصادقه اشتغل" in arz_mail(mailoutbox[-1])
    page(client, "/accounts/2fa/")
    page(client, "/accounts/2fa/recovery-codes/")
    page(client, "/accounts/2fa/recovery-codes/generate/")
    client.post(ARZ + "/accounts/2fa/recovery-codes/generate/")
    assert "أكواد استرجاع جديده" in arz_mail(mailoutbox[-1])
    page(client, "/accounts/2fa/totp/deactivate/")

    client.logout()
    asked = client.post(ARZ + "/accounts/login/", {"login": "salma", "password": PASSWORD})
    assert urlsplit(asked.url).path == ARZ + "/accounts/2fa/authenticate/"
    page(client, "/accounts/2fa/authenticate/")
    page(client, "/accounts/2fa/authenticate/", method="post", data={"code": "000000"})


def test_a_second_factor_set_up_before_the_session(client, person):
    TOTP.activate(person, pyotp.random_base32())
    RecoveryCodes.activate(person)
    reauthenticated(client, person)
    page(client, "/accounts/2fa/")
    page(client, "/accounts/reauthenticate/")
    page(client, "/accounts/2fa/reauthenticate/")


def test_the_list_of_sessions(client, person):
    client.post(ARZ + "/accounts/login/", {"login": "salma", "password": PASSWORD})
    listed = page(client, "/accounts/sessions/").content.decode()
    assert "دلوقتى" in listed or "من " in listed
    done = page(client, "/accounts/sessions/", method="post", follow=True)
    assert "خرجت من كل الجلسات التانيه" in done.content.decode() or done.status_code == 200


def test_connected_accounts(client, person, mailoutbox):
    client.force_login(person)
    page(client, "/accounts/3rdparty/")
    account = SocialAccount.objects.create(
        user=person, provider="mediawiki", uid="4711", extra_data={"username": "Salma F"}
    )
    page(client, "/accounts/3rdparty/")
    gone = page(
        client, "/accounts/3rdparty/", method="post", data={"account": account.pk}, follow=True
    )
    assert "الحساب الخارجى اتفك." in gone.content.decode()
    assert "الحساب الخارجى اتفك" in arz_mail(mailoutbox[-1])


def leave_for_the_wiki(client, wikimedia, **data) -> dict:
    """Start a Wikimedia sign-in from /arz/ (allauth's POST): the authorize request's fields."""
    started = client.post(ARZ + "/accounts/mediawiki/login/", data)
    assert started.url.startswith(wikimedia.url)
    return {key: values[0] for key, values in parse_qs(urlsplit(started.url).query).items()}


def approve_on_the_wiki(client, wikimedia, authorize: dict):
    """What the person's "Allow" on the wiki does: back to the site with a code, whose
    callback fetches the token and the profile from the provider on loopback."""
    request = Request(
        f"{wikimedia.url}/oauth2/authorize", data=urlencode(authorize).encode(), method="POST"
    )
    with build_opener(_KeepRedirect).open(request) as answer:
        back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


class _KeepRedirect(HTTPRedirectHandler):
    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def test_the_wikimedia_sign_in_pages(client, wikimedia):
    """The step before leaving for the wiki, the failure and cancellation pages, and the form
    a Wikimedia account without a confirmed address completes, through the real provider
    on loopback."""
    assert "ادخل بـ ويكيميديا" in page(client, "/accounts/mediawiki/login/").content.decode()
    failed = page(client, "/accounts/mediawiki/login/callback/?code=x&state=forged", status=401)
    assert "الدخول بالحساب الخارجى مانفعش" in failed.content.decode()
    state = leave_for_the_wiki(client, wikimedia)["state"]
    cancelled = page(
        client,
        f"/accounts/mediawiki/login/callback/?error=access_denied&state={state}",
        follow=True,
    )
    assert "الدخول اتلغى" in cancelled.content.decode()

    wikimedia.profile["confirmed_email"] = False
    response = approve_on_the_wiki(client, wikimedia, leave_for_the_wiki(client, wikimedia))
    assert response.status_code == 302
    signup = page(client, urlsplit(response.url).path.removeprefix(ARZ)).content.decode()
    assert "كمّل الفورمه دى" in signup
    assert "حساب ويكيميديا بتاعك" in signup


@pytest.mark.django_db(transaction=True)
def test_connecting_a_wikimedia_account(client, person, wikimedia, mailoutbox):
    client.force_login(person)
    asked = page(client, "/accounts/mediawiki/login/?process=connect").content.decode()
    assert "إنت هتربط حساب خارجى جديد من ويكيميديا." in asked
    authorize = leave_for_the_wiki(client, wikimedia, process="connect")
    response = approve_on_the_wiki(client, wikimedia, authorize)
    connected = page(client, urlsplit(response.url).path.removeprefix(ARZ))
    assert "الحساب الخارجى اتربط." in connected.content.decode()
    assert "ويكيميديا اتربط بحسابك" in arz_mail(mailoutbox[-1])


def _allauth_strings():
    """allauth's English catalogue, as (context, msgid, plural, where) for each string."""
    po = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        where = " ".join(line[3:] for line in block.splitlines() if line.startswith("#: "))
        fields, current = {}, None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid") and where:
            yield (
                _unescape(fields["msgctxt"]) if "msgctxt" in fields else None,
                _unescape(fields["msgid"]),
                _unescape(fields["msgid_plural"]) if "msgid_plural" in fields else None,
                where,
            )


def _unescape(text: str) -> str:
    """A PO string as Python has it: its escapes (\\n, \\") read, its UTF-8 kept."""
    return text.encode().decode("unicode_escape").encode("latin-1").decode()


# Where the strings of the features the site uses are; not phone numbers, sign-in codes,
# passkeys or security keys, the identity provider, other providers, or the admin.
USED = re.compile(
    r"^(templates/(account|mfa|socialaccount|usersessions)/\S+"
    r"|(account|mfa|socialaccount|usersessions)/[\w/]+\.py):\d+$"
)
UNUSED = re.compile(
    r"phone|login_code|passkey|webauthn|_code\.html|_code_(message|subject)|trust\.html"
    r"|signup_closed|providers/|idp/|/admin\.py|socialaccount/models\.py"
)


def _used_allauth_strings():
    strings = [
        entry
        for entry in _allauth_strings()
        if any(USED.match(place) and not UNUSED.search(place) for place in entry[3].split())
    ]
    assert len(strings) > 200
    return strings


def _translate(context, msgid, plural):
    if plural and context:
        return translation.npgettext(context, msgid, plural, 5), plural
    if plural:
        return translation.ngettext(msgid, plural, 5), plural
    if context:
        return translation.pgettext(context, msgid), msgid
    return translation.gettext(msgid), msgid


# Names, the same in every language.
NAMES = {"TOTP", "WebAuthn"}


@pytest.mark.parametrize("language", ["arz", "zh-hans"])
def test_every_allauth_string_of_the_features_used_has_its_translation(language):
    """Every string, in a translation of its own, with no English word left in it (but
    names: TOTP, WebAuthn)."""
    missing, english = [], []
    with translation.override(language):
        for context, msgid, plural, _where in _used_allauth_strings():
            translated, source = _translate(context, msgid, plural)
            if translated == source and msgid not in NAMES:
                missing.append(msgid)
            words = set(
                re.findall(r"[A-Za-z]{3,}", re.sub(r"%\(\w+\)[sd]|<[^>]+>|\{\w+\}", "", translated))
            )
            if words - NAMES:
                english.append((msgid, translated))
    assert not missing, missing
    assert not english, english


def test_the_site_s_wording_wins_over_the_libraries():
    """A string both the site and allauth have reads as the site says; the corrections of
    allauth's Simplified Chinese win over allauth's."""
    with translation.override("arz"):
        assert translation.gettext("primary") == "الأساسي"  # locale/, not locale_libraries/
        assert translation.gettext("Make Primary") == "خليه الأساسى"
    with translation.override("zh-hans"):
        assert translation.gettext("Sign Out") == "退出登录"
        assert translation.gettext("Hello from %(site_name)s!") == "%(site_name)s 向您问好\uff01"
        # allauth's own Simplified Chinese for the rest.
        assert translation.gettext("Forgot your password?") == "忘记密码\uff1f"


def test_the_e_mail_addresses_page_in_simplified_chinese(client, person):
    client.force_login(person)
    html = client.get("/zh-hans/accounts/email/").content.decode()
    text = visible_text(html, "zh-hans")
    assert "以下电子邮件地址已关联到您的账户" in text
    assert "Email" not in text
