import re

import pytest
from playwright.sync_api import expect

from groups.models import Membership, Role

pytestmark = pytest.mark.browser


def test_core_team_invites_and_the_person_lands_on_the_group(
    page, context, shot, login_as, working_group, mailoutbox, browser, live_server
):
    """The core team sends an invitation from the group page; the invited person opens the
    link from the e-mail, chooses a password and lands on the group's page as a member."""
    login_as("core_team")
    page.goto(working_group.get_absolute_url())
    page.get_by_role("link", name="Invite a person").click()
    page.get_by_label("E-mail address").fill("noor.aziz@example.org")
    page.get_by_label("Role").select_option(Role.COORDINATOR)
    shot("invite-form")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to noor.aziz@example.org")

    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/invitations/\S+/", mailoutbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)

    invited = browser.new_context(base_url=live_server.url)
    person = invited.new_page()
    person.goto(path)
    expect(person.get_by_role("heading", level=1)).to_have_text(f"Join {working_group.name}")
    person.get_by_label("First name").fill("Noor")
    person.get_by_label("Last name").fill("Aziz")
    person.get_by_label("User name").fill("noor")
    person.locator("#id_password1").fill("a-long-passphrase-2019")
    person.get_by_label("Password again").fill("a-long-passphrase-2019")
    shot("signup", target=person)
    person.get_by_role("button", name="Create my account and join").click()

    expect(person).to_have_url(re.compile(re.escape(working_group.get_absolute_url()) + "$"))
    expect(person.get_by_role("status")).to_contain_text(f"Welcome to {working_group.name}")
    expect(person.locator(".people")).to_contain_text("Noor Aziz")
    expect(person.get_by_role("button", name="Sign out (Noor Aziz)")).to_be_visible()
    shot("landed", target=person)
    assert Membership.objects.get(user__username="noor").role == Role.COORDINATOR
    # The page says what to do first, and the link goes there.
    steps = person.get_by_role("region", name="Your next step")
    expect(steps).to_contain_text("Start a draft")
    steps.get_by_role("link", name="Open your group's drafts in the workspace").click()
    expect(person).to_have_url(re.compile(r"/workspace/\?group=" + working_group.slug + "$"))

    # The same link a second time says it was used.
    again = browser.new_context(base_url=live_server.url).new_page()
    again.goto(path)
    expect(again.get_by_role("alert")).to_contain_text("has been used already")
    invited.close()


def test_the_core_team_sees_sends_again_and_revokes_pending_invitations(
    page, shot, login_as, working_group, mailoutbox
):
    """A thematic group's invite form offers no synthesis roles; the pending invitation is
    listed on the group's page, sent again, then revoked after a second confirmation."""
    login_as("core_team")
    page.goto(working_group.get_absolute_url())
    page.get_by_role("link", name="Invite a person").click()
    offered = page.get_by_label("Role").locator("option").all_inner_texts()
    assert "Writer" not in offered
    assert "Connector" not in offered
    page.get_by_label("E-mail address").fill("sam.okafor@example.org")
    page.get_by_role("button", name="Send the invitation").click()

    pending = page.get_by_role("region", name="Pending invitations")
    row = pending.get_by_role("row", name=re.compile("sam.okafor@example.org"))
    expect(row).to_contain_text("Member")
    expect(row).to_contain_text("Sent")
    shot("pending-invitations")
    row.get_by_role("button", name="Send again").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Invitation sent again to sam.okafor@example.org"
    )
    assert len(mailoutbox) == 2

    row = page.get_by_role("region", name="Pending invitations").get_by_role("row").nth(1)
    row.get_by_text("Revoke…").click()
    expect(row).to_contain_text("will stop working")
    shot("revoke-confirm")
    row.get_by_role("button", name="Revoke the invitation").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Invitation to sam.okafor@example.org revoked"
    )
    expect(page.get_by_text("No invitation is waiting for an answer.")).to_be_visible()


def test_an_existing_account_signs_in_from_the_link_and_gains_the_membership(
    page, shot, working_group, working_group_factory, mailoutbox, transactional_db
):
    """The invited address has an account: the link asks to sign in, brings the person back,
    and accepting adds the membership to that account, beside the ones it had."""
    from groups import services
    from tests.factories import MembershipFactory, UserFactory

    person = UserFactory(username="amira", first_name="Amira", last_name="Said")
    earlier = MembershipFactory(user=person, working_group=working_group_factory())
    services.invitation_create(
        email=person.email.upper(), working_group=working_group, role=Role.REVIEWER
    )
    link = re.search(r"https?://\S+/invitations/\S+/", mailoutbox[0].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    expect(page.get_by_role("main")).to_contain_text("exists already")
    page.get_by_role("main").get_by_role("link", name="Sign in", exact=True).click()
    page.get_by_label("User name or e-mail address").fill("amira")
    page.get_by_label("Password", exact=True).fill("a-good-password-42")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Accept the invitation")).to_be_visible()
    shot("confirm")
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to {working_group.name}")
    expect(page.locator(".people")).to_contain_text("Amira Said")
    assert {(m.working_group_id, m.role) for m in Membership.objects.filter(user=person)} == {
        (earlier.working_group_id, Role.MEMBER),
        (working_group.pk, Role.REVIEWER),
    }
