"""The profile page: name and language, links to the rest, download my data, delete."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from recommendations import services
from recommendations.models import Comment, Thread
from recommendations.services.watching import watch_set
from tests.factories import MembershipFactory, UserFactory, iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db


def test_the_profile_changes_the_name_and_the_language_of_pages_and_email(client):
    person = UserFactory(first_name="Ana", last_name="Lima")
    client.force_login(person)
    response = client.post(
        reverse("account_profile"), {"first_name": "Ana", "last_name": "Souza", "language": "de"}
    )
    assert response.status_code == 302
    assert response.url == "/de/accounts/profile/"
    person.refresh_from_db()
    assert (person.display_name, person.language) == ("Ana Souza", "de")
    page = client.get(response.url).text
    assert "/de/workspace/notifications/preferences/" in page
    assert "/de/accounts/email/" in page


def test_after_signing_in_the_pages_are_in_the_preferred_language(client):
    person = UserFactory(language="fr")
    response = client.post(
        reverse("login"), {"login": person.username, "password": "a-good-password-42"}
    )
    assert response.status_code == 302
    assert response.url == "/fr/"


def test_the_profile_page_lists_addresses_and_groups_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    person = UserFactory()
    client.force_login(person)
    client.get(reverse("account_profile"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("account_profile"))
    counted = len(few.captured_queries)
    for number in range(5):
        EmailAddress.objects.create(user=person, email=f"more{number}@example.org")
        MembershipFactory(user=person)
    # New memberships make the header count what waits for a member again, once.
    client.get(reverse("account_profile"))
    with django_assert_max_num_queries(counted):
        response = client.get(reverse("account_profile"))
    assert response.text.count("@example.org") >= 6


def test_download_my_data_is_json_with_what_the_person_wrote(client, working_group):
    person = UserFactory(username="writer1")
    MembershipFactory(user=person, working_group=working_group)
    watch_set(user=person, target=working_group, watching=False)
    client.force_login(person)
    response = client.get(reverse("account_data"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "writer1"
    assert data["email_addresses"] == [
        {"email": "writer1@example.org", "verified": True, "primary": True}
    ]
    assert [m["working_group"] for m in data["memberships"]] == [working_group.name]
    assert [(w["working_group"], w["recommendation"], w["watching"]) for w in data["watches"]] == [
        (working_group.name, None, False)
    ]


def test_deleting_the_account_keeps_comments_as_by_a_former_participant(client, working_group):
    person = UserFactory(username="leaving", first_name="Lea", last_name="Ving")
    membership = MembershipFactory(user=person, working_group=working_group)
    made = make(working_group, person)
    services.recommendation_publish(recommendation=made, user=person, iteration=iteration("one"))
    made.refresh_from_db()
    thread = Thread.objects.create(version=made.published_version, public=True)
    comment = Comment.objects.create(thread=thread, author=person, body="Keep this.")
    client.force_login(person)
    refused = client.post(reverse("account_delete"), {})
    assert refused.status_code == 302
    person.refresh_from_db()
    assert person.is_active

    response = client.post(reverse("account_delete"), {"confirm": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "a former participant"
    assert (person.email, person.first_name, person.is_active) == ("", "", False)
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    membership.refresh_from_db()
    assert membership.left_on is not None
    comment.refresh_from_db()
    assert comment.body == "Keep this."
    assert comment.author.display_name == "a former participant"
    # Signed out, and the old password signs nobody in.
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
    answer = client.post(reverse("login"), {"login": "leaving", "password": "a-good-password-42"})
    assert answer.status_code == 200


def test_nobody_signs_up_with_a_deleted_accounts_kind_of_name(client):
    response = client.post(
        reverse("account_signup"),
        {
            "username": "former-12",
            "email": "x@example.org",
            "password1": "a-good-password-42",
            "password2": "a-good-password-42",
        },
    )
    assert response.status_code == 200
    assert "This user name is reserved" in response.text


@pytest.mark.parametrize("name", ["account_profile", "account_data"])
def test_the_public_is_asked_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_deleting_is_a_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("account_delete")).status_code == 405


def test_deleting_the_account_signs_it_out_everywhere(client):
    from django.test import Client

    person = UserFactory()
    elsewhere = Client()
    elsewhere.post(reverse("login"), {"login": person.username, "password": "a-good-password-42"})
    client.post(reverse("login"), {"login": person.username, "password": "a-good-password-42"})
    assert elsewhere.get(reverse("home")).wsgi_request.user == person
    sessions = client.get(reverse("usersessions_list"))
    assert sessions.status_code == 200
    client.post(reverse("account_delete"), {"confirm": "on"})
    assert not elsewhere.get(reverse("home")).wsgi_request.user.is_authenticated


def test_the_profile_page_is_in_the_sites_languages(client):
    client.force_login(UserFactory())
    assert "您的个人资料" in client.get("/zh-hans/accounts/profile/").text
    assert "البروفايل بتاعك" in client.get("/arz/accounts/profile/").text


def test_anyone_signed_in_volunteers_to_translate_from_the_profile(client):
    """The languages to translate into are chosen on the profile, kept in the order of the
    site's languages, shown chosen again, and in the data download; another choice replaces
    them; none leaves the person translating nothing."""
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("account_profile")).text
    assert "Languages I translate into" in page
    assert (
        'value="en"' not in page.split("Languages I translate into", 1)[1].split("</fieldset>")[0]
    )
    response = client.post(
        reverse("account_profile"), {"translates_into": ["arz", "zh-hans"], "language": ""}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.translates_into == ["zh-hans", "arz"]
    page = client.get(reverse("account_profile")).text
    assert 'value="arz" id="id_translates_into_1" checked' in page
    data = json.loads(client.get(reverse("account_data")).content)
    assert data["account"]["translates_into"] == ["zh-hans", "arz"]
    client.post(reverse("account_profile"), {"translates_into": ["de"], "language": ""})
    person.refresh_from_db()
    assert person.translates_into == ["de"]
    client.post(reverse("account_profile"), {"language": ""})
    person.refresh_from_db()
    assert person.translates_into == []


def test_the_source_language_or_an_unknown_one_is_refused_as_a_language_to_translate_into(
    client,
):
    person = UserFactory()
    client.force_login(person)
    for code in ("en", "xx"):
        response = client.post(
            reverse("account_profile"), {"translates_into": [code], "language": ""}
        )
        assert response.status_code == 422
        assert "is not one of the available choices" in response.text
    person.refresh_from_db()
    assert person.translates_into == []


def test_a_deleted_account_translates_nothing(client):
    from strategy.accounts.services import user_account_delete, user_translator_languages_set

    person = UserFactory()
    user_translator_languages_set(user=person, languages=["arz"])
    user_account_delete(user=person)
    person.refresh_from_db()
    assert person.translates_into == []


def test_a_person_reads_the_languages_they_proofread_and_cannot_set_them(client):
    """The core team assigns proofreaders (the admin); the profile only says which
    languages, and a `proofreads` posted with it changes nothing."""
    from strategy.accounts.services import user_proofread_languages_set

    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("account_profile")).text
    assert 'id="proofreads"' not in page
    for field in ("proofreads", "proofread_languages"):
        response = client.post(
            reverse("account_profile"), {field: ["zh-hans"], "language": "", "first_name": "Ann"}
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert (person.first_name, person.proofreads) == ("Ann", [])
    user_proofread_languages_set(user=person, languages=["arz", "zh-hans"])
    page = client.get(reverse("account_profile")).text
    said = page.split('id="proofreads"', 1)[1].split("</p>", 1)[0]
    assert "Simplified Chinese, Egyptian Arabic" in said
    # Posting the profile again (its form has no such field) keeps the assignment.
    client.post(reverse("account_profile"), {"proofreads": [], "language": ""})
    person.refresh_from_db()
    assert person.proofreads == ["zh-hans", "arz"]
    data = json.loads(client.get(reverse("account_data")).content)
    assert data["account"]["proofreads"] == ["zh-hans", "arz"]
