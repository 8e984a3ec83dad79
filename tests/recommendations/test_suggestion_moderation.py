"""Suggestions moderated as community feedback is (hidden with a reason by those who
moderate feedback), their admin, what waits for a decision ("Needs me"), one's own in the
data download, and a carried new paragraph's line."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import Role, WorkingGroup
from recommendations import services
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory, iteration
from tests.recommendations.test_suggestions import (  # noqa: F401 (fixtures)
    EARLIER,
    NEWER,
    WHO,
    _entry,
    _newer_version,
    as_,
    expect,
    member,
    reviewer,
    suggest,
    version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(version, member):  # noqa: F811
    return services.recommendation_publish(
        recommendation=version.recommendation, user=member, iteration=iteration()
    )


@pytest.fixture
def made(published):
    return suggest(published, UserFactory(first_name="Ola"), replacement="regional hubs")


def _moderate(client, suggestion, action, **data):
    url = reverse(
        "recommendations:suggestion_moderate",
        args=[suggestion.version.recommendation_id, suggestion.pk, action],
    )
    return client.post(url, data)


# Who hides (docs/permissions.md): who moderates community feedback.
assert WHO == ["anonymous", "stranger", "member", "reviewer", "other_group", "core_team"]


@expect([302, 403, 403, 403, 403, 302])
def test_who_hides_a_suggestion(as_, made, who, status):  # noqa: F811
    response = _moderate(as_(who), made, "hide", reason="Spam.")
    assert response.status_code == status
    made.refresh_from_db()
    assert bool(made.hidden_reason) == (who == "core_team")
    if who == "anonymous":
        assert response.url.startswith(reverse("login"))


@expect([302, 403, 403, 403, 403, 302])
def test_who_shows_a_hidden_suggestion_again(as_, made, who, status):  # noqa: F811
    services.suggestion_hide(suggestion=made, user=CoreTeamFactory(), reason="Spam.")
    response = _moderate(as_(who), made, "show")
    assert response.status_code == status
    made.refresh_from_db()
    assert bool(made.hidden_reason) == (who != "core_team")


def test_the_hide_rule_asked_directly(made, member, working_group_factory):  # noqa: F811
    """A synthesis connector moderates feedback, so hides suggestions too; its writer,
    and the group that decides, do not."""
    synthesis = working_group_factory(kind=WorkingGroup.Kind.SYNTHESIS)
    connector, writer = UserFactory(), UserFactory()
    MembershipFactory(user=connector, working_group=synthesis, role=Role.CONNECTOR)
    MembershipFactory(user=writer, working_group=synthesis, role=Role.WRITER)
    assert connector.has_perm("recommendations.hide_suggestion")
    assert CoreTeamFactory().has_perm("recommendations.hide_suggestion")
    assert not writer.has_perm("recommendations.hide_suggestion")
    assert not member.has_perm("recommendations.hide_suggestion")
    assert not AnonymousUser().has_perm("recommendations.hide_suggestion")


def test_hiding_needs_a_reason_and_a_known_action(client, made):
    client.force_login(CoreTeamFactory())
    assert _moderate(client, made, "hide", reason=" ").status_code == 302
    made.refresh_from_db()
    assert made.hidden_reason == ""
    assert _moderate(client, made, "erase").status_code == 404
    with pytest.raises(ValidationError) as refused:
        services.suggestion_hide(suggestion=made, user=CoreTeamFactory(), reason="  ")
    assert refused.value.code == "reason_required"


def test_a_hidden_suggestion_cannot_be_accepted_and_loses_its_decision_form(
    client,
    made,
    member,  # noqa: F811
):
    core = CoreTeamFactory()
    hidden = services.suggestion_hide(suggestion=made, user=core, reason="Advertising.")
    assert (hidden.hidden_by, hidden.hidden_reason) == (core, "Advertising.")
    assert hidden.history.latest().history_user == core
    with pytest.raises(ValidationError) as refused:
        services.suggestion_accept(suggestion=made, user=member)
    assert refused.value.code == "hidden"
    made.refresh_from_db()
    assert made.state == "open"
    # Through the page too: refused, nothing applied.
    client.force_login(member)
    decide = reverse(
        "recommendations:suggestion_decide", args=[made.version.recommendation_id, made.pk]
    )
    response = client.post(decide, {"decide-decision": "accept"})
    assert response.status_code == 422
    assert "cannot be accepted" in response.content.decode()
    # The version page: the group sees why, not the words, and no form; the moderators see
    # the words, and the button to show it again.
    entry = _entry(client.get(made.version.get_absolute_url()).content.decode(), made)
    assert "Hidden by the moderators: Advertising." in entry
    assert "regional hubs" not in entry
    assert "decide-decision" not in entry
    client.force_login(core)
    entry = _entry(client.get(made.version.get_absolute_url()).content.decode(), made)
    assert "regional hubs" in entry
    assert "Show again" in entry
    services.suggestion_unhide(suggestion=made, user=core)
    services.suggestion_accept(suggestion=made, user=member)
    made.refresh_from_db()
    assert made.state == "accepted"


def test_a_hidden_suggestion_keeps_its_place_not_its_words_in_public(client, made, published):
    """As a hidden comment: the public page says why it is hidden, the CSV and the API keep
    its row and outcome without its words."""
    services.suggestion_hide(suggestion=made, user=CoreTeamFactory(), reason="Off topic.")
    html = client.get(published.recommendation.get_public_url()).content.decode()
    assert f'id="public-suggestion-{made.pk}"' in html
    assert "Hidden by the moderators: Off topic." in html
    assert "regional hubs" not in html
    assert "Closer to people." not in html
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("public:feedback_csv")).content.decode()))
    )
    (row,) = [row for row in rows if row["kind"] == "suggestion"]
    assert row["suggestion"] == str(made.pk)
    assert (row["quote"], row["comment"], row["proposed words"]) == ("", "", "")
    (api,) = client.get("/api/suggestions/").json()["results"]
    assert api["id"] == made.pk
    assert api["hidden_reason"] == "Off topic."
    assert (api["quote"], api["replacement"], api["reason"]) == ("", "", "")


def test_a_hidden_suggestion_is_not_carried_to_newer_versions(client, working_group, member):  # noqa: F811
    from tests.factories import review_version

    earlier = review_version(working_group, member, title="Advocacy hub", body=EARLIER)
    shown = suggest(earlier, member)
    hidden = suggest(earlier, member, quote="advocacy", replacement="campaigns")
    services.suggestion_hide(suggestion=hidden, user=CoreTeamFactory(), reason="Spam.")
    newer = _newer_version(earlier.recommendation, member)
    client.force_login(member)
    html = client.get(newer.get_absolute_url()).content.decode()
    assert f'id="suggestion-{shown.pk}"' in html
    assert f'id="suggestion-{hidden.pk}"' not in html
    assert 'data-words="campaigns"' not in html


# A new paragraph carried forward: the line it lands after in the newer version.
def test_a_carried_new_paragraph_is_labelled_by_the_line_it_lands_after_now(
    client,
    working_group,
    member,  # noqa: F811
):
    """Made after line 4 of the earlier version (its last paragraph); a paragraph gone
    before it, the newer version holds that paragraph at line 3."""
    from tests.factories import review_version

    earlier = review_version(working_group, member, title="Advocacy hub", body=EARLIER)
    paragraph = suggest(
        earlier, member, target="paragraph", quote="", after_line=4, replacement="Also online."
    )
    newer = _newer_version(earlier.recommendation, member)
    client.force_login(member)
    entry = _entry(client.get(newer.get_absolute_url()).content.decode(), paragraph)
    assert "new paragraph after line 3" in entry
    assert "still anchored" in entry
    # On the version it was made on, its own line.
    entry = _entry(client.get(earlier.get_absolute_url()).content.decode(), paragraph)
    assert "new paragraph after line 4" in entry
    # Accepted from the newer version, it lands after that paragraph.
    services.suggestion_accept(suggestion=paragraph, user=member)
    recommendation = earlier.recommendation
    recommendation.refresh_from_db()
    assert recommendation.body_en.rstrip().endswith("Every region reports yearly.\n\nAlso online.")


# The admin.
@pytest.mark.parametrize("model", ["suggestion", "livedocument", "revisioncoauthor"])
def test_the_admin_lists_and_shows_them_read_only(admin_client, made, model):
    from recommendations.models import LiveDocument, RevisionCoauthor

    revision = made.version.revision
    LiveDocument.objects.create(recommendation_id=made.version.recommendation_id, state=b"x")
    RevisionCoauthor.objects.create(revision_id=revision.history_id, user=UserFactory())
    changelist = reverse(f"admin:recommendations_{model}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "hub"}).status_code == 200
    obj = {
        "suggestion": made,
        "livedocument": LiveDocument.objects.get(),
        "revisioncoauthor": RevisionCoauthor.objects.get(),
    }[model]
    page = admin_client.get(reverse(f"admin:recommendations_{model}_change", args=[obj.pk]))
    assert page.status_code == 200
    assert "<textarea" not in page.content.decode()
    assert admin_client.get(reverse(f"admin:recommendations_{model}_add")).status_code == 403


def test_the_admin_hides_and_shows_suggestions_with_a_reason(client, made):
    core = CoreTeamFactory()
    client.force_login(core)
    url = reverse("admin:recommendations_suggestion_changelist")
    listed = client.get(url, {"hidden_reason__isempty": "1"})
    assert listed.status_code == 200
    assert "Hide the selected suggestions" in listed.content.decode()
    asked = client.post(url, {"action": "hide", "_selected_action": [made.pk]})
    assert asked.status_code == 200
    assert "Why it is hidden" in asked.content.decode()
    done = client.post(
        url,
        {"action": "hide", "_selected_action": [made.pk], "confirm": "1", "reason": "Spam."},
    )
    assert done.status_code == 302
    made.refresh_from_db()
    assert (made.hidden_reason, made.hidden_by) == ("Spam.", core)
    client.post(url, {"action": "unhide", "_selected_action": [made.pk]})
    made.refresh_from_db()
    assert made.hidden_reason == ""


def test_the_admin_offers_no_hiding_to_staff_who_do_not_moderate(client, made):
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_suggestion"))
    client.force_login(staff)
    url = reverse("admin:recommendations_suggestion_changelist")
    assert "Hide the selected suggestions" not in client.get(url).content.decode()
    client.post(
        url,
        {"action": "hide", "_selected_action": [made.pk], "confirm": "1", "reason": "Spam."},
    )
    made.refresh_from_db()
    assert made.hidden_reason == ""


# One's own data.
def test_the_data_download_has_ones_suggestions(client, made, published):
    client.force_login(made.author)
    data = json.loads(client.get(reverse("account_data")).content)
    assert [(s["replacement"], s["state"], s["version"]) for s in data["suggestions"]] == [
        ("regional hubs", "open", published.name)
    ]
    client.force_login(UserFactory())
    assert json.loads(client.get(reverse("account_data")).content)["suggestions"] == []


# "Needs me" (tests/strategy/test_needs_me.py walks the thematic group's roles).
def test_a_synthesis_writer_is_asked_to_decide_and_its_members_are_not(
    client, working_group_factory
):
    from tests.factories import review_version

    synthesis = working_group_factory(kind=WorkingGroup.Kind.SYNTHESIS)
    writer, plain = UserFactory(), UserFactory()
    MembershipFactory(user=writer, working_group=synthesis, role=Role.WRITER)
    MembershipFactory(user=plain, working_group=synthesis, role=Role.MEMBER)
    synthesized = review_version(synthesis, writer, title="Synthesized", body="One hub.\n")
    suggest(synthesized, UserFactory(), quote="One hub", replacement="Many hubs")

    def waiting(person):
        client.force_login(person)
        sections = client.get(reverse("needs_me")).context["sections"]
        return {section.role: [item.what for item in section.items] for section in sections}

    assert waiting(writer)["writer"] == ["Decide on a suggested change"]
    assert waiting(plain) == {"member": []}
    assert "Decide on a suggested change" not in str(waiting(CoreTeamFactory()))
