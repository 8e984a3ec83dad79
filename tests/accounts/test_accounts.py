"""Accounts through django-allauth: joining, verifying, signing in, rate limits, languages."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from groups.models import Membership
from strategy.audit import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-good-password-42"
NEW_PASSWORD = "another-long-phrase-77"


def confirm_path(message) -> str:
    url = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def sign_up(client, *, prefix="", username="newcomer", email="newcomer@example.org"):
    return client.post(
        f"{prefix}{reverse('account_signup')}",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def sign_in(client, login, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"login": login, "password": password}, **extra)


def signed_in_user(client):
    return client.get(reverse("home")).wsgi_request.user


def test_a_new_account_is_a_community_member_in_no_group_and_verifies_its_address_first(
    client, mailoutbox
):
    response = sign_up(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    person = get_user_model().objects.get(username="newcomer")
    assert not person.is_staff
    assert not person.is_superuser
    assert not person.groups.exists()
    assert not Membership.objects.filter(user=person).exists()
    assert not signed_in_user(client).is_authenticated

    # Before the address is verified, the right password does not sign in.
    response = sign_in(client, "newcomer")
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not signed_in_user(client).is_authenticated

    # allauth does not send a second e-mail for a sign-in attempt soon after the first.
    [message] = mailoutbox
    assert message.to == ["newcomer@example.org"]
    assert message.subject == "Strategy process: Please Confirm Your Email Address"
    assert "Strategy process" in message.body
    assert client.get(confirm_path(message)).status_code == 200
    response = client.post(confirm_path(message))
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=person).verified

    response = sign_in(client, "newcomer@example.org")
    assert response.status_code == 302
    assert signed_in_user(client) == person


def test_signing_in_by_user_name_rotates_the_session(client):
    person = UserFactory()
    session = client.session
    session["probe"] = "before"
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    response = sign_in(client, person.username)
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert signed_in_user(client) == person


def test_the_verification_email_is_in_the_language_of_the_sign_up_page(client, mailoutbox):
    sign_up(client, prefix="/fr")
    person = get_user_model().objects.get(username="newcomer")
    assert person.language == "fr"
    [message] = mailoutbox
    assert "Confirmez votre adresse" in message.subject
    assert "/fr/accounts/confirm-email/" in message.body


def test_the_password_reset_email_is_in_the_persons_language(client, mailoutbox):
    UserFactory(username="greta", email="greta@example.org", language="de")
    response = client.post(reverse("account_reset_password"), {"email": "greta@example.org"})
    assert response.status_code == 302
    [message] = mailoutbox
    assert "Passwort" in message.subject
    url = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", url)
    # allauth moves the key into the session and redirects to a page without it.
    form_path = client.get(path).url
    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert sign_in(client, "greta", NEW_PASSWORD).status_code == 302
    assert signed_in_user(client).username == "greta"


def test_too_many_wrong_passwords_for_one_account_are_refused_with_a_message(client):
    person = UserFactory()
    for attempt in range(5):
        response = sign_in(client, person.username, f"wrong-{attempt}")
        assert response.status_code == 200
        assert "Too many failed" not in response.text
    # Even the right password is refused now, from another address as well.
    response = sign_in(client, person.username, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 429 or "Too many failed login attempts" in response.text
    assert "Too many failed login attempts" in response.text
    assert not signed_in_user(client).is_authenticated


def test_too_many_failed_sign_ins_from_one_address_are_refused(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    people = UserFactory.create_batch(4)
    for person in people[:3]:
        assert "Too many" not in sign_in(client, person.username, "wrong-one").text
    response = sign_in(client, people[3].username)
    assert "Too many failed login attempts" in response.text
    # Another address is not concerned.
    assert sign_in(client, people[3].username, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_a_failed_sign_in_by_address_names_the_account_in_the_audit_log(client):
    person = UserFactory()
    sign_in(client, person.email.upper(), "wrong-password")
    [event] = AuditEvent.objects.filter(kind="sign_in_failed")
    assert event.subject == person
    assert event.subject_name == person.email.upper()


def test_the_admins_own_sign_in_page_sends_to_the_sites(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_invited_newcomers_address_counts_as_verified(client, working_group):
    from groups import services

    invitation = services.invitation_create(
        email="invited@example.org", working_group=working_group
    )
    user, _membership = services.invitation_accept_as_new_user(
        invitation=invitation, username="invited", password=PASSWORD
    )
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("invited@example.org", True, True)
    assert sign_in(client, "invited@example.org").status_code == 302
    assert signed_in_user(client) == user


def test_the_address_book_adds_verifies_and_makes_primary(client, mailoutbox):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "second@example.org"}
    )
    assert response.status_code == 302
    [message] = [m for m in mailoutbox if m.to == ["second@example.org"]]
    client.post(confirm_path(message))
    response = client.post(
        reverse("account_email"), {"action_primary": "", "email": "second@example.org"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "second@example.org"
    assert EmailAddress.objects.get(user=person, primary=True).email == "second@example.org"


def test_the_password_is_changed_with_the_current_one(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_a_short_password_is_refused_at_sign_up(client):
    response = client.post(
        reverse("account_signup"),
        {
            "username": "short",
            "email": "s@example.org",
            "password1": "tiny-7",
            "password2": "tiny-7",
        },
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="short").exists()
    assert "at least 12 characters" in response.text


def test_the_sign_in_page_offers_joining_resetting_and_wikimedia(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Sign in with Wikimedia" in response.text
    assert reverse("account_signup") in response.text
    assert reverse("account_reset_password") in response.text


def test_without_a_client_id_there_is_no_wikimedia_button(client, settings):
    providers = settings.SOCIALACCOUNT_PROVIDERS
    settings.SOCIALACCOUNT_PROVIDERS = {"mediawiki": {**providers["mediawiki"], "APPS": []}}
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Wikimedia" not in response.text


def test_the_notice_of_a_changed_password_is_in_the_persons_language(client, mailoutbox):
    person = UserFactory(language="de")
    client.force_login(person)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    [message] = mailoutbox
    assert message.to == [person.email]
    assert "Passwort geändert" in message.subject


def test_signing_up_with_a_taken_address_tells_its_owner_in_their_language(client, mailoutbox):
    UserFactory(username="owner", email="taken@example.org", language="fr")
    response = sign_up(client, username="intruder", email="taken@example.org")
    # The page says what it says for any address: no one learns the address has an account.
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="intruder").exists()
    [message] = mailoutbox
    assert message.to == ["taken@example.org"]
    assert "Account Already Exists" not in message.subject


def test_too_many_sign_in_requests_from_one_address_get_the_sites_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    person = UserFactory()
    for _ in range(2):
        sign_in(client, person.username, "wrong-one")
    response = sign_in(client, person.username)
    assert response.status_code == 429
    assert "Too many requests came from your address" in response.text
    assert "Strategy process" in response.text
