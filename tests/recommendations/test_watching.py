"""Watching: who watches what (the rule, cell by cell), the forms that change it (per role),
what the pages say, and the list of what one watches."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import Role, WorkingGroup
from recommendations.models import Watch
from recommendations.selectors.watching import (
    watched_groups,
    watchers_of_group,
    watchers_of_recommendation,
    watches,
)
from recommendations.services.watching import watch_set
from tests.factories import (
    CoreTeamFactory,
    MembershipFactory,
    UserFactory,
    WorkingGroupFactory,
    iteration,
)
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(working_group):
    """A group with a coordinator and a member, two published recommendations and a draft;
    another group with a member and a published recommendation; someone in no group."""
    coordinator = MembershipFactory(working_group=working_group, role=Role.COORDINATOR).user
    member = MembershipFactory(working_group=working_group, role=Role.MEMBER).user
    other_group = WorkingGroupFactory()
    other_member = MembershipFactory(working_group=other_group).user
    second = iteration()
    one = publish(make(working_group, coordinator, title="One"), coordinator, second)
    two = publish(make(working_group, coordinator, title="Two"), coordinator, second)
    draft = make(working_group, coordinator, title="A draft")
    elsewhere = publish(make(other_group, other_member, title="Elsewhere"), other_member, second)
    return {
        "group": working_group,
        "other_group": other_group,
        "coordinator": coordinator,
        "member": member,
        "other_member": other_member,
        "outsider": UserFactory(),
        "one": one,
        "two": two,
        "draft": draft,
        "elsewhere": elsewhere,
    }


def watching(person, target) -> bool:
    """Whether `person` watches `target`, asked both ways: the person's answer and the
    list of watchers must agree (they are one rule)."""
    said = watches(user=person, target=target)
    if isinstance(target, WorkingGroup):
        listed = watchers_of_group(group=target).filter(pk=person.pk).exists()
    else:
        listed = watchers_of_recommendation(recommendation=target).filter(pk=person.pk).exists()
    assert said == listed
    return said


# The rule, cell by cell.


def test_members_watch_their_group_and_its_recommendations_by_default(world):
    for person in (world["coordinator"], world["member"]):
        assert watching(person, world["group"])
        assert watching(person, world["one"])
        assert watching(person, world["draft"])
        assert not watching(person, world["other_group"])
        assert not watching(person, world["elsewhere"])


def test_a_member_who_stopped_watching_the_group_watches_none_of_it(world):
    member = world["member"]
    watch_set(user=member, target=world["group"], watching=False)
    assert not watching(member, world["group"])
    assert not watching(member, world["one"])
    assert not watching(member, world["two"])
    # The other members still do.
    assert watching(world["coordinator"], world["one"])


def test_a_member_who_stopped_watching_one_recommendation_still_watches_the_rest(world):
    member = world["member"]
    watch_set(user=member, target=world["one"], watching=False)
    assert not watching(member, world["one"])
    assert watching(member, world["two"])
    assert watching(member, world["group"])


def test_watching_one_recommendation_holds_whatever_the_group(world):
    """A member who stopped watching the group but watches one of its recommendations
    watches that one."""
    member = world["member"]
    watch_set(user=member, target=world["group"], watching=False)
    watch_set(user=member, target=world["two"], watching=True)
    assert watching(member, world["two"])
    assert not watching(member, world["one"])


def test_someone_in_no_group_watches_nothing_by_default(world):
    outsider = world["outsider"]
    for target in ("group", "other_group", "one", "draft", "elsewhere"):
        assert not watching(outsider, world[target])


def test_watching_a_group_one_is_not_in_watches_all_its_recommendations(world):
    outsider = world["outsider"]
    watch_set(user=outsider, target=world["group"], watching=True)
    assert watching(outsider, world["group"])
    for target in ("one", "two", "draft"):
        assert watching(outsider, world[target])
    assert not watching(outsider, world["elsewhere"])
    # And unwatching one of them leaves the others.
    watch_set(user=outsider, target=world["two"], watching=False)
    assert not watching(outsider, world["two"])
    assert watching(outsider, world["one"])


def test_watching_one_recommendation_of_another_group_watches_that_one_only(world):
    outsider = world["outsider"]
    watch_set(user=outsider, target=world["elsewhere"], watching=True)
    assert watching(outsider, world["elsewhere"])
    assert not watching(outsider, world["other_group"])
    assert not watching(outsider, world["one"])


def test_members_who_left_no_longer_watch_by_default(world):
    member = world["member"]
    membership = member.memberships.get()
    membership.joined_on = timezone.localdate() - timedelta(days=30)
    membership.left_on = timezone.localdate() - timedelta(days=1)
    membership.save()
    assert not watching(member, world["group"])
    assert not watching(member, world["one"])
    # Unless they said so.
    watch_set(user=member, target=world["group"], watching=True)
    assert watching(member, world["one"])


def test_someone_not_yet_a_member_does_not_watch_by_default(world, working_group):
    newcomer = MembershipFactory(
        working_group=working_group, joined_on=timezone.localdate() + timedelta(days=3)
    ).user
    assert not watching(newcomer, working_group)


def test_an_inactive_account_watches_nothing(world):
    member = world["member"]
    watch_set(user=member, target=world["one"], watching=True)
    member.is_active = False
    member.save()
    assert member not in watchers_of_recommendation(recommendation=world["one"])
    assert member not in watchers_of_group(group=world["group"])


def test_the_watchers_of_a_recommendation_are_everyone_the_rule_says(world):
    watch_set(user=world["member"], target=world["one"], watching=False)
    watch_set(user=world["outsider"], target=world["one"], watching=True)
    watch_set(user=world["other_member"], target=world["group"], watching=True)
    assert set(watchers_of_recommendation(recommendation=world["one"])) == {
        world["coordinator"],
        world["outsider"],
        world["other_member"],
    }
    assert set(watchers_of_recommendation(recommendation=world["two"])) == {
        world["coordinator"],
        world["member"],
        world["other_member"],
    }
    assert set(watchers_of_group(group=world["group"])) == {
        world["coordinator"],
        world["member"],
        world["other_member"],
    }
    # A person holding two roles in the group is one watcher.
    MembershipFactory(user=world["coordinator"], working_group=world["group"], role=Role.WRITER)
    assert list(watchers_of_group(group=world["group"])).count(world["coordinator"]) == 1


def _crowd(group, recommendation, size):
    for _ in range(size):
        MembershipFactory(working_group=group)
        watch_set(user=UserFactory(), target=recommendation, watching=True)
        watch_set(user=UserFactory(), target=group, watching=True)
        watch_set(user=MembershipFactory(working_group=group).user, target=group, watching=False)


def test_the_watchers_are_found_in_one_query_at_any_size(world, django_assert_num_queries):
    one, group = world["one"], world["group"]
    _crowd(group, one, 2)
    with django_assert_num_queries(1):
        small = len(list(watchers_of_recommendation(recommendation=one)))
    with django_assert_num_queries(1):
        small_group = len(list(watchers_of_group(group=group)))
    _crowd(group, one, 20)
    with django_assert_num_queries(1):
        large = len(list(watchers_of_recommendation(recommendation=one)))
    with django_assert_num_queries(1):
        large_group = len(list(watchers_of_group(group=group)))
    # The two members, then each time a member, one who said yes of the recommendation and
    # one who said yes of the group; not the members who said no.
    assert (small, large) == (2 + 2 * 3, 2 + 22 * 3)
    assert (small_group, large_group) == (2 + 2 * 2, 2 + 22 * 2)


# The service.


def test_saying_the_same_twice_keeps_one_row_and_a_no_is_kept(world):
    member, one = world["member"], world["one"]
    watch_set(user=member, target=one, watching=True)
    watch_set(user=member, target=one, watching=True)
    assert Watch.objects.filter(user=member).count() == 1
    watch_set(user=member, target=one, watching=False)
    row = Watch.objects.get(user=member)
    assert row.recommendation == one
    assert row.working_group is None
    assert row.watching is False


def test_a_watch_is_of_exactly_one_thing(world):
    for targets in ({}, {"recommendation": world["one"], "working_group": world["group"]}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Watch.objects.create(user=world["member"], watching=True, **targets)


# The forms, per role.


def _post(client, target, action, **data):
    if isinstance(target, WorkingGroup):
        url = reverse("watching:group", args=[target.slug, action])
    else:
        url = reverse("watching:recommendation", args=[target.pk, action])
    return client.post(url, data)


def test_anonymous_is_sent_to_sign_in_and_nothing_is_recorded(client, world):
    for target in (world["one"], world["group"]):
        response = _post(client, target, "watch")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Watch.objects.exists()


@pytest.mark.parametrize(
    "role", ["outsider", "member", "coordinator", "other_member", "reviewer", "core_team"]
)
def test_anyone_signed_in_watches_and_stops_watching_a_published_recommendation(
    client, world, role
):
    if role == "reviewer":
        person = MembershipFactory(working_group=world["other_group"], role=Role.REVIEWER).user
    elif role == "core_team":
        person = CoreTeamFactory()
    else:
        person = world[role]
    client.force_login(person)
    page = world["one"].get_public_url()
    response = _post(client, world["one"], "watch", next=page)
    assert response.status_code == 302
    assert response["Location"] == page
    assert watches(user=person, target=world["one"])
    followed = client.get(page)
    assert "You watch recommendation 1 of" in followed.content.decode()
    response = _post(client, world["one"], "unwatch", next=page)
    assert response["Location"] == page
    assert Watch.objects.get(user=person).watching is False
    assert not watches(user=person, target=world["one"])


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("outsider", False),
        ("other_member", False),
        ("member", True),
        ("coordinator", True),
        ("core_team", True),
    ],
)
def test_only_those_who_read_a_draft_may_watch_it(client, world, role, allowed):
    person = CoreTeamFactory() if role == "core_team" else world[role]
    client.force_login(person)
    response = _post(client, world["draft"], "unwatch")
    if allowed:
        assert response.status_code == 302
        # No page of this site to go back to: the draft's own page.
        assert response["Location"] == world["draft"].get_absolute_url()
        assert Watch.objects.filter(user=person, recommendation=world["draft"]).exists()
    else:
        assert response.status_code == 404
        assert not Watch.objects.exists()


def test_a_withdrawn_recommendation_of_another_group_cannot_be_watched(client, world):
    from recommendations import services

    services.recommendation_withdraw(
        recommendation=world["elsewhere"], user=world["other_member"], reason="Superseded."
    )
    client.force_login(world["outsider"])
    assert _post(client, world["elsewhere"], "watch").status_code == 404
    assert not Watch.objects.exists()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/path",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_next_address_off_the_site_is_not_followed(client, world, next_url):
    client.force_login(world["outsider"])
    response = _post(client, world["one"], "watch", next=next_url)
    assert response.status_code == 302
    assert response["Location"] == world["one"].get_public_url()
    response = _post(client, world["group"], "watch", next=next_url)
    assert response["Location"] == world["group"].get_absolute_url()


def test_an_unknown_action_group_or_recommendation_is_404_and_get_is_refused(client, world):
    client.force_login(world["outsider"])
    assert _post(client, world["one"], "follow").status_code == 404
    assert (
        client.post(reverse("watching:group", args=["no-such-group", "watch"])).status_code == 404
    )
    assert (
        client.post(reverse("watching:recommendation", args=[999999, "watch"])).status_code == 404
    )
    assert (
        client.get(reverse("watching:group", args=[world["group"].slug, "watch"])).status_code
        == 405
    )
    assert not Watch.objects.exists()


def test_the_forms_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["outsider"])
    assert _post(client, world["one"], "watch").status_code == 403
    assert _post(client, world["group"], "watch").status_code == 403
    assert not Watch.objects.exists()


def test_anyone_signed_in_watches_a_group_and_the_synthesis(client, world):
    synthesis = WorkingGroupFactory(kind=WorkingGroup.Kind.SYNTHESIS, thematic_area=None)
    client.force_login(world["outsider"])
    for group in (world["other_group"], synthesis):
        response = _post(client, group, "watch", next=group.get_absolute_url())
        assert response["Location"] == group.get_absolute_url()
        assert watches(user=world["outsider"], target=group)
    page = client.get(synthesis.get_absolute_url()).content.decode()
    assert "You watch the synthesis" in page
    assert "Stop watching" in page
    client.force_login(world["member"])
    _post(client, world["group"], "unwatch")
    assert not watches(user=world["member"], target=world["group"])


# What the pages say.


def test_the_recommendation_page_says_whether_i_watch_it(client, world):
    page = world["one"].get_public_url()
    anonymous = client.get(page)
    assert "watch-form" not in anonymous.content.decode()
    assert "Stop watching" not in anonymous.content.decode()

    client.force_login(world["outsider"])
    response = client.get(page)
    text = response.content.decode()
    assert "You do not watch this recommendation" in text
    assert reverse("watching:recommendation", args=[world["one"].pk, "watch"]) in text
    assert "private" in response["Cache-Control"]
    _post(client, world["one"], "watch")
    text = client.get(page).content.decode()
    assert "Watching" in text
    assert "Stop watching" in text
    assert "You watch this recommendation" in text
    assert reverse("watching:recommendation", args=[world["one"].pk, "unwatch"]) in text

    client.force_login(world["member"])
    assert "You watch this recommendation" in client.get(page).content.decode()


def test_the_public_never_gets_the_signed_in_page_from_the_cache(client, world):
    """A signed-in person's page (with their watch form) is not kept; the anonymous page,
    kept, has none of it."""
    page = world["one"].get_public_url()
    signed_in = Client()
    signed_in.force_login(world["member"])
    assert "Stop watching" in signed_in.get(page).content.decode()
    first = client.get(page)
    again = client.get(page)
    for response in (first, again):
        assert "watch-form" not in response.content.decode()
        assert "public" in response["Cache-Control"]
    assert "Stop watching" in signed_in.get(page).content.decode()


def test_the_group_page_says_whether_i_watch_it(client, world):
    page = world["group"].get_absolute_url()
    assert "watch-form" not in client.get(page).content.decode()
    client.force_login(world["member"])
    text = client.get(page).content.decode()
    assert "You watch this group" in text
    assert "Stop watching" in text
    _post(client, world["group"], "unwatch")
    text = client.get(page).content.decode()
    assert "You do not watch this group" in text
    assert reverse("watching:group", args=[world["group"].slug, "watch"]) in text
    client.force_login(world["outsider"])
    assert "You do not watch this group" in client.get(page).content.decode()


def test_the_recommendation_page_asks_whether_i_watch_it_once(client, world):
    page = world["one"].get_public_url()
    client.force_login(world["outsider"])
    client.get(page)
    with CaptureQueriesContext(connection) as asked:
        client.get(page)
    watching_queries = [q for q in asked.captured_queries if "recommendations_watch" in q["sql"]]
    assert len(watching_queries) == 1


# What I watch.


def test_the_list_of_what_i_watch(client, world):
    member = world["member"]
    watch_set(user=member, target=world["elsewhere"], watching=True)
    watch_set(user=member, target=world["two"], watching=False)
    client.force_login(member)
    response = client.get(reverse("watching:list"))
    assert response.status_code == 200
    assert [g.pk for g in response.context["groups"]] == [world["group"].pk]
    assert response.context["groups"][0].member is True
    assert [r.pk for r in response.context["watched"]] == [world["elsewhere"].pk]
    assert [r.pk for r in response.context["unwatched"]] == [world["two"].pk]
    text = response.content.decode()
    assert reverse("watching:group", args=[world["group"].slug, "unwatch"]) in text
    assert reverse("watching:recommendation", args=[world["elsewhere"].pk, "unwatch"]) in text
    assert reverse("watching:recommendation", args=[world["two"].pk, "watch"]) in text
    # Stopping from the list comes back to it.
    back = _post(client, world["group"], "unwatch", next=reverse("watching:list"))
    assert back["Location"] == reverse("watching:list")
    assert list(watched_groups(user=member)) == []


def test_the_list_shows_only_titles_one_may_read(client, world):
    """A draft watched by someone who then left the group is not listed (they no longer
    read it)."""
    member = world["member"]
    watch_set(user=member, target=world["draft"], watching=True)
    member.memberships.update(
        joined_on=timezone.localdate() - timedelta(days=9),
        left_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(member)
    response = client.get(reverse("watching:list"))
    assert response.context["watched"] == []
    assert "A draft" not in response.content.decode()


def test_the_list_is_anonymous_proof(client):
    response = client.get(reverse("watching:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_asks_as_many_queries_at_any_size(client, world, django_assert_num_queries):
    person = world["outsider"]
    client.force_login(person)
    client.get(reverse("watching:list"))

    def more(count):
        second = iteration()
        for _ in range(count):
            group = WorkingGroupFactory()
            coordinator = MembershipFactory(working_group=group, role=Role.COORDINATOR).user
            made = publish(make(group, coordinator), coordinator, second)
            watch_set(user=person, target=group, watching=True)
            watch_set(user=person, target=made, watching=True)
            MembershipFactory(user=person, working_group=group)
            watch_set(
                user=person,
                target=publish(make(group, coordinator), coordinator, second),
                watching=False,
            )

    more(1)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("watching:list"))
    more(4)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("watching:list"))
    assert len(response.context["groups"]) == 5
    assert len(response.context["watched"]) == 5
    assert len(response.context["unwatched"]) == 5


def test_a_draft_s_own_page_says_whether_i_watch_it(client, world):
    """Members read their group's drafts in the workspace, and watch them from there."""
    page = world["draft"].get_absolute_url()
    client.force_login(world["member"])
    text = client.get(page).content.decode()
    assert "You watch this recommendation" in text
    unwatch = reverse("watching:recommendation", args=[world["draft"].pk, "unwatch"])
    assert unwatch in text
    response = client.post(unwatch, {"next": page})
    assert response["Location"] == page
    assert "You do not watch this recommendation" in client.get(page).content.decode()


def test_the_data_i_download_says_what_i_watch(client, world):
    watch_set(user=world["outsider"], target=world["elsewhere"], watching=True)
    client.force_login(world["outsider"])
    data = client.get(reverse("account_data")).json()
    assert [(w["working_group"], w["recommendation"], w["watching"]) for w in data["watches"]] == [
        (world["other_group"].name, world["elsewhere"].number, True)
    ]


def test_the_core_team_reads_watches_in_the_admin(client, world):
    watch_set(user=world["outsider"], target=world["elsewhere"], watching=True)
    watch_set(user=world["member"], target=world["group"], watching=False)
    watch_set(user=world["coordinator"], target=world["one"], watching=False)
    client.force_login(CoreTeamFactory())
    changelist = reverse("admin:recommendations_watch_changelist")
    response = client.get(changelist, {"watching__exact": "0"})
    assert response.status_code == 200
    assert {w.user for w in response.context["cl"].result_list} == {
        world["member"],
        world["coordinator"],
    }
    by_group = client.get(
        changelist, {"recommendation__working_group__id__exact": world["other_group"].pk}
    )
    assert [w.user for w in by_group.context["cl"].result_list] == [world["outsider"]]
    row = Watch.objects.get(user=world["outsider"])
    change = client.get(reverse("admin:recommendations_watch_change", args=[row.pk]))
    assert change.status_code == 200
    assert 'name="watching"' not in change.content.decode()
    assert client.get(reverse("admin:recommendations_watch_add")).status_code == 403


def test_a_synthesis_member_watches_the_synthesis_by_default(client):
    synthesis = WorkingGroupFactory(kind=WorkingGroup.Kind.SYNTHESIS, thematic_area=None)
    writer = MembershipFactory(working_group=synthesis, role=Role.WRITER).user
    client.force_login(writer)
    text = client.get(synthesis.get_absolute_url()).content.decode()
    assert "You watch the synthesis" in text
    assert "Members watch their group unless they stop." in text
