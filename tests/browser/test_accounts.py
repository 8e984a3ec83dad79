"""Accounts in a real Chromium: joining, recovering a password, the rate limit, and the core
team's second factor."""

import json
import re
import time
from pathlib import Path

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from groups.models import Membership
from recommendations import services
from tests.accounts import oauth_provider
from tests.browser.conftest import origin_of
from tests.factories import CoreTeamFactory, UserFactory, iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.browser
# The OAuth 2 provider on loopback that stands in for the Meta wiki.
wikimedia_provider = oauth_provider.wikimedia


@pytest.fixture
def wikimedia(wikimedia_provider, allowed_origins):
    """The provider, whose sign-in page the browser is sent to: the one origin besides the
    site's that these tests' pages may reach."""
    allowed_origins.add(origin_of(wikimedia_provider.url))
    return wikimedia_provider


PASSWORD = "a-good-password-42"


def link_in(message, pattern: str) -> str:
    url = re.search(rf"https?://\S+{pattern}\S*/", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def sign_in(page, login: str, password: str):
    page.goto("/accounts/login/")
    page.get_by_label("User name or e-mail address").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.fixture
def published(transactional_db, user, working_group):
    made = make(
        working_group, user, title="Open minutes", body="Every meeting publishes minutes.\n"
    )
    services.recommendation_publish(
        recommendation=made, user=user, iteration=iteration("second-iteration")
    )
    made.refresh_from_db()
    return made


def test_a_newcomer_joins_verifies_signs_in_and_gives_feedback(page, published, mailoutbox, shot):
    page.goto(published.get_public_url())
    page.get_by_role("link", name="Sign in to comment").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("amina@example.org")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    shot("sign-up")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

    [message] = mailoutbox
    assert message.to == ["amina@example.org"]
    page.goto(link_in(message, "/accounts/confirm-email/"))
    expect(page.get_by_role("main")).to_contain_text("amina@example.org")
    page.get_by_role("button", name="Confirm").click()

    sign_in(page, "amina@example.org", PASSWORD)
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
    page.goto(published.get_public_url())
    page.get_by_role("textbox", name="Comment", exact=True).fill(
        "Within a week, please: otherwise nobody reads them."
    )
    page.get_by_role("button", name="Publish my comment").click()
    expect(page.get_by_role("status")).to_contain_text("your comment is published")
    shot("feedback-given")


def test_a_member_who_forgot_the_password_resets_it_from_the_email(
    page, transactional_db, mailoutbox, shot
):
    person = UserFactory(username="forgetful", email="forgetful@example.org")
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("forgetful@example.org")
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password Reset")

    [message] = mailoutbox
    assert message.to == ["forgetful@example.org"]
    page.goto(link_in(message, "/accounts/password/reset/key/"))
    page.get_by_label("New Password", exact=True).fill("a-fresh-passphrase-2020")
    page.get_by_label("New Password (again)").fill("a-fresh-passphrase-2020")
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_role("main")).to_contain_text("Your password is now changed.")

    sign_in(page, "forgetful", "a-fresh-passphrase-2020")
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_contain_text(
        person.display_name
    )


def test_too_many_wrong_passwords_are_refused_with_the_rate_limit_message(
    page, transactional_db, shot
):
    person = UserFactory(username="targeted")
    for attempt in range(5):
        sign_in(page, "targeted", f"not-the-password-{attempt}")
        expect(page.get_by_role("alert")).to_contain_text("not correct")
    # The right password, too late: the account is refused for a while.
    sign_in(page, person.username, PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text(
        "Too many failed login attempts. Try again later."
    )
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_have_count(0)
    shot("rate-limited")


def next_step_totp_code(secret: str) -> str:
    """A code of the next 30-second step: allauth refuses a code that was used already (the
    one that activated the app may be of this step), and with MFA_TOTP_TOLERANCE = 1 it
    takes the next step's code now, with no wait for the step to come."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_the_core_team_sets_up_totp_and_then_needs_a_code_to_reach_the_admin(
    page, transactional_db, settings, shot
):
    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    settings.MFA_TOTP_TOLERANCE = 1
    CoreTeamFactory(username="core", first_name="Core", last_name="Team")
    sign_in(page, "core", PASSWORD)
    page.goto("/admin/")
    expect(page.get_by_role("status")).to_contain_text("Staff accounts need a second factor")
    # allauth asks for the password again before a second factor is set up.
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    secret = page.get_by_label("Authenticator secret").input_value()
    shot("totp-setup")
    page.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery Codes")
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Run the process")).to_be_visible()

    page.get_by_role("button", name=re.compile("Log out|Sign out")).first.click()
    sign_in(page, "core", PASSWORD)
    # The password alone no longer signs in: a wrong code is refused, a real one admits.
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("main")).to_contain_text("Incorrect code.")
    page.get_by_label("Code").fill(next_step_totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Run the process")).to_be_visible()
    shot("admin-after-code")


def sign_in_with_wikimedia(page):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Wikimedia").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wikimedia account")
    page.get_by_role("button", name="Allow").click()


def test_a_wikimedia_account_signs_in_and_is_matched_by_its_user_id_later(
    page, transactional_db, wikimedia, shot
):
    sign_in_with_wikimedia(page)
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
    account = SocialAccount.objects.get(provider="mediawiki", uid="4711")
    person = account.user
    assert not person.groups.exists()
    assert EmailAddress.objects.get(user=person).verified
    assert all("strategy@localhost" in agent for agent in wikimedia.user_agents)
    shot("signed-in-with-wikimedia")

    # Renamed on the wiki, with another address: still the same account here.
    page.get_by_role("button", name=re.compile("Sign out")).click()
    wikimedia.profile.update(username="Renamed Person", email="renamed@example.org")
    sign_in_with_wikimedia(page)
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
    assert SocialAccount.objects.get(uid="4711").user == person
    assert get_user_model().objects.count() == 1


def test_a_blocked_wikimedia_account_is_refused(page, transactional_db, wikimedia, shot):
    wikimedia.profile["blocked"] = True
    sign_in_with_wikimedia(page)
    expect(page.get_by_role("status")).to_contain_text("Your Wikimedia account is blocked")
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_have_count(0)
    assert not get_user_model().objects.exists()
    assert not SocialAccount.objects.exists()
    shot("blocked")


def test_a_wikimedia_account_links_to_the_local_account_with_the_same_verified_address(
    page, transactional_db, wikimedia
):
    local = UserFactory(username="localperson", email="wiki.person@example.org")
    sign_in_with_wikimedia(page)
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_contain_text(
        local.display_name
    )
    assert SocialAccount.objects.get(uid="4711").user == local
    local.refresh_from_db()
    assert local.check_password(PASSWORD)


def test_an_unconfirmed_wikimedia_address_does_not_link_to_a_local_account(
    page, transactional_db, wikimedia, mailoutbox
):
    local = UserFactory(username="localperson", email="wiki.person@example.org")
    wikimedia.profile["confirmed_email"] = False
    sign_in_with_wikimedia(page)
    # Not signed in as the local account: asked to finish joining, with an address.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    page.get_by_label("Email").fill("wiki.person@example.org")
    page.get_by_role("button", name="Sign Up").click()
    # The page does not tell whether the address has an account (allauth's protection
    # against enumeration); the address's owner is told by e-mail, and nothing is linked.
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    assert list(get_user_model().objects.all()) == [local]
    assert not SocialAccount.objects.exists()
    [message] = mailoutbox
    assert message.to == ["wiki.person@example.org"]
    assert "Account Already Exists" in message.subject
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_have_count(0)


def test_an_unverified_local_address_does_not_take_a_wikimedia_sign_in(
    page, transactional_db, wikimedia, mailoutbox
):
    """Anyone may type any address at sign-up: an unverified one links nothing."""
    local = UserFactory(
        username="localperson", email="wiki.person@example.org", verified_email=False
    )
    sign_in_with_wikimedia(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_have_count(0)
    assert list(get_user_model().objects.all()) == [local]
    assert not SocialAccount.objects.exists()
    local.refresh_from_db()
    # The local account keeps its password: nobody was signed in to it.
    assert local.check_password(PASSWORD)


def test_a_signed_in_person_connects_their_wikimedia_account(
    page, transactional_db, wikimedia, login_as
):
    person = login_as("community", email="someone.else@example.org")
    page.goto("/accounts/3rdparty/")
    page.get_by_role("link", name="Wikimedia").click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_role("status")).to_contain_text(
        "The third-party account has been connected."
    )
    assert SocialAccount.objects.get(uid="4711").user == person
    # From now on the Wikimedia account signs in to it.
    page.get_by_role("button", name=re.compile("Sign out")).click()
    sign_in_with_wikimedia(page)
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_contain_text(
        person.display_name
    )


def test_a_person_edits_the_profile_downloads_the_data_and_deletes_the_account(
    page, transactional_db, login_as, working_group, shot
):
    person = login_as("member", group=working_group, first_name="Lea", last_name="Ving")
    page.goto("/")
    page.get_by_role("link", name="Profile").click()
    page.get_by_label("Last name").fill("Vingt")
    # An individual contributor names no organized group: refused, and nothing typed is lost.
    page.get_by_label("Affiliation", exact=True).select_option("individual")
    page.get_by_label("Organized group", exact=True).fill("Wikimedia Deutschland")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Name an organized group only if you are on its staff or its board"
    )
    expect(page.get_by_label("Organized group", exact=True)).to_have_value("Wikimedia Deutschland")
    expect(page.get_by_label("Last name")).to_have_value("Vingt")
    shot("profile-affiliation-refused")
    page.get_by_label("Affiliation", exact=True).select_option("staff")
    page.get_by_label("Preferred language").select_option("fr")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile("/fr/accounts/profile/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    # The membership records it, and the group's page shows it beside the name.
    expect(page.get_by_role("main")).to_contain_text(
        f"{working_group.name}: Member (Organized group staff, Wikimedia Deutschland)"
    )
    shot("profile")
    with page.expect_download() as download:
        page.locator("a[download]").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["account"]["last_name"] == "Vingt"
    assert data["memberships"][0]["affiliation"] == "staff"
    page.goto(working_group.get_absolute_url())
    expect(page.locator(".people")).to_contain_text(
        "Lea Vingt Member (Organized group staff, Wikimedia Deutschland)"
    )
    page.go_back()

    page.locator("input[name=confirm]").check()
    page.locator("form[action$='/accounts/profile/delete/'] button").click()
    expect(page.locator("header")).not_to_contain_text("Vingt")
    person.refresh_from_db()
    assert person.display_name == "a former participant"


def test_an_invited_person_accepts_by_signing_in_with_wikimedia(
    page, transactional_db, wikimedia, working_group, mailoutbox
):
    from groups import services as group_services

    group_services.invitation_create(email="wiki.person@example.org", working_group=working_group)
    [message] = mailoutbox
    page.goto(link_in(message, "/invitations/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {working_group.name}")
    page.get_by_role("button", name="Sign in with Wikimedia").click()
    page.get_by_role("button", name="Allow").click()
    # Back on the invitation, signed in with the invited (and confirmed) address.
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to {working_group.name}")
    member = SocialAccount.objects.get(uid="4711").user
    assert Membership.objects.get(user=member).working_group == working_group


def open_invitation(page, mailoutbox, working_group, email: str):
    from groups import services as group_services

    invitation = group_services.invitation_create(email=email, working_group=working_group)
    path = link_in(mailoutbox[-1], "/invitations/")
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {working_group.name}")
    return invitation, path


def test_an_invited_person_accepts_with_a_wikimedia_account_of_another_address(
    page, browser, live_server, transactional_db, wikimedia, working_group, mailoutbox, shot
):
    """The link's holder signs in with Wikimedia, whose address is not the invited one: a
    new account, with the wiki's address, joins; the link is then used up."""
    invitation, path = open_invitation(page, mailoutbox, working_group, "noor.aziz@example.org")
    page.get_by_role("button", name="Sign in with Wikimedia").click()
    page.get_by_role("button", name="Allow").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("The invitation was sent to noor.aziz@example.org")
    expect(main).to_contain_text("you signed in with your Wikimedia account, as Wiki_Person")
    shot("accept-other-address")
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to {working_group.name}")
    expect(page.locator(".people")).to_contain_text("Wiki_Person")

    member = SocialAccount.objects.get(uid="4711").user
    assert member.email == "wiki.person@example.org"
    assert Membership.objects.get(user=member).working_group == working_group
    invitation.refresh_from_db()
    assert invitation.accepted_by == member
    assert not get_user_model().objects.filter(email__iexact="noor.aziz@example.org").exists()

    # Used once: another Wikimedia account, in another browser, gets nothing from it.
    wikimedia.profile.update(sub="4712", username="Other Person", email="other@example.org")
    other = browser.new_context(base_url=live_server.url).new_page()
    sign_in_with_wikimedia(other)
    expect(other.get_by_role("button", name=re.compile("Sign out"))).to_contain_text("Other_Person")
    other.goto(path)
    expect(other.get_by_role("alert")).to_contain_text("has been used already")
    assert Membership.objects.count() == 1


def test_an_existing_account_linked_to_wikimedia_accepts_an_invitation_to_another_address(
    page, transactional_db, wikimedia, working_group, working_group_factory, mailoutbox
):
    """The invitation goes to the account the Wikimedia account signs in to, which keeps
    its memberships and gains this one."""
    local = UserFactory(
        username="lea", first_name="Lea", last_name="Ving", email="lea.home@example.org"
    )
    SocialAccount.objects.create(
        user=local, provider="mediawiki", uid="4711", extra_data={"username": "Wiki Person"}
    )
    earlier = Membership.objects.create(user=local, working_group=working_group_factory())
    open_invitation(page, mailoutbox, working_group, "lea.work@example.org")
    page.get_by_role("button", name="Sign in with Wikimedia").click()
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_role("main")).to_contain_text("as Lea Ving")
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to {working_group.name}")
    assert get_user_model().objects.count() == 1
    assert set(Membership.objects.filter(user=local).values_list("working_group", flat=True)) == {
        earlier.working_group_id,
        working_group.pk,
    }


def test_a_person_signed_in_with_another_account_switches_to_wikimedia_to_accept(
    page, transactional_db, wikimedia, working_group, mailoutbox
):
    """Signed in with a password to an account of another address, the person is told so,
    and may sign in with Wikimedia instead: the membership goes to that account."""
    sign_in(page, UserFactory(username="shared", email="shared@example.org").username, PASSWORD)
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
    from groups import services as group_services

    group_services.invitation_create(email="noor.aziz@example.org", working_group=working_group)
    page.goto(link_in(mailoutbox[-1], "/invitations/"))
    expect(page.get_by_role("alert")).to_contain_text("another e-mail address")
    page.get_by_role("button", name="Sign in with Wikimedia").click()
    page.get_by_role("button", name="Allow").click()
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to {working_group.name}")
    member = SocialAccount.objects.get(uid="4711").user
    assert member.username != "shared"
    assert list(Membership.objects.values_list("user", flat=True)) == [member.pk]


def test_a_blocked_wikimedia_profile_cannot_accept_an_invitation(
    page, transactional_db, wikimedia, working_group, mailoutbox
):
    wikimedia.profile["blocked"] = True
    invitation, path = open_invitation(page, mailoutbox, working_group, "noor.aziz@example.org")
    page.get_by_role("button", name="Sign in with Wikimedia").click()
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_role("status")).to_contain_text("Your Wikimedia account is blocked")
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_have_count(0)
    assert not get_user_model().objects.exists()
    invitation.refresh_from_db()
    assert not invitation.is_accepted
    # The link still works for the invited person, by the other way in.
    page.goto(path)
    expect(page.get_by_role("button", name="Create my account and join")).to_be_visible()
