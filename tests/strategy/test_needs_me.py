""" "Needs me": what waits for each person, by the roles they hold, oldest first, each item
linking to a page that person may open; nothing of a group they are not in; its count in
the header equal to the items on the page; queries that do not grow with the data."""

import copy
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from groups import services as group_services
from groups.models import Role, WorkingGroup
from recommendations import services
from recommendations.models import ReviewAssignment, Thread, Version
from recommendations.selectors.review import THREAD_WAITING_DAYS
from recommendations.text.translation_units import translation_languages
from strategy import fragments, needs_me
from strategy.accounts.services import user_proofread_languages_set
from strategy.models import Notice
from tests.conftest import module_data
from tests.factories import (
    CoreTeamFactory,
    MembershipFactory,
    UserFactory,
    WorkingGroupFactory,
    iteration,
    review_version,
)
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

ROLES = ["reviewer", "coordinator", "member", "connector", "writer", "translator", "core_team"]


def translator_permission():
    return Permission.objects.get(codename="translate_recommendation")


def older(thread: Thread, days: int) -> Thread:
    """The thread as if started `days` days ago."""
    Thread.objects.filter(pk=thread.pk).update(created_at=timezone.now() - timedelta(days=days))
    thread.refresh_from_db()
    return thread


class World:
    """Two thematic groups (ours, and another the people here are not in) and the synthesis
    group, one person per role, and `build(n)` to give each role n items, plus, each time,
    things that wait for nobody here and things of the other group."""

    def __init__(self, working_group_factory):
        self.ours = working_group_factory(name_en="Advocacy", slug="advocacy")
        self.other = working_group_factory(name_en="Diversity", slug="diversity")
        self.synthesis = WorkingGroup.objects.create(
            name_en="Synthesis group", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
        )
        self.author = UserFactory(username="author")
        MembershipFactory(user=self.author, working_group=self.ours)
        self.outsider = UserFactory(username="outsider")
        MembershipFactory(user=self.outsider, working_group=self.other, role=Role.COORDINATOR)
        self.people = {
            "reviewer": self.person("reviewer", self.other, Role.REVIEWER),
            "coordinator": self.person("coordinator", self.ours, Role.COORDINATOR),
            "member": self.person("member", self.ours, Role.MEMBER),
            "connector": self.person("connector", self.synthesis, Role.CONNECTOR),
            "writer": self.person("writer", self.synthesis, Role.WRITER),
            "translator": UserFactory(username="translator"),
            "core_team": CoreTeamFactory(username="core"),
            "nobody": UserFactory(username="nobody"),
        }
        self.people["translator"].user_permissions.add(translator_permission())
        self.iteration = iteration()
        self.built = 0

    @staticmethod
    def person(username, group, role):
        person = UserFactory(username=username)
        MembershipFactory(user=person, working_group=group, role=role)
        return person

    def published(self, group, title, **text):
        made = make(group, self.author, title=title, **text)
        services.recommendation_publish(
            recommendation=made, user=self.author, iteration=self.iteration
        )
        made.refresh_from_db()
        return made

    def build(self, n: int) -> None:
        for _ in range(n):
            self.built += 1
            self._one(self.built)

    def _one(self, k: int) -> None:
        people, ours, other = self.people, self.ours, self.other
        due = timezone.localdate() + timedelta(days=3)
        # The reviewer: one pending, one accepted; one declined, one done (nothing to do),
        # and someone else's.
        for status in ("pending", "accepted", "declined", "completed", "theirs"):
            version = review_version(ours, self.author, title=f"Review {status} {k}")
            reviewer = self.outsider if status == "theirs" else people["reviewer"]
            assignment = services.assignment_create(
                version=version, reviewer=reviewer, assigned_by=self.author, due_on=due
            )
            if status == "accepted":
                services.assignment_accept(assignment=assignment, user=reviewer)
            elif status == "declined":
                services.assignment_decline(assignment=assignment, user=reviewer, reason="Busy.")
            elif status == "completed":
                services.assignment_complete(assignment=assignment, user=reviewer)
        # The coordinator: a snapshot nobody reviews; a thread open past the week; one ready
        # to publish. The other group's alike, which our coordinator never sees.
        for group, name in ((ours, "Ours"), (other, "Secret")):
            review_version(group, self.author, title=f"{name} unreviewed {k}")
            waiting = review_version(group, self.author, title=f"{name} waiting thread {k}")
            services.assignment_create(
                version=waiting, reviewer=self.outsider, assigned_by=self.author, due_on=due
            )
            older(
                services.thread_start(version=waiting, user=self.author, body="Still open?"),
                THREAD_WAITING_DAYS + 1,
            )
            services.thread_start(version=waiting, user=self.author, body="Asked yesterday.")
            ready = review_version(group, self.author, title=f"{name} ready {k}")
            reviewed = services.assignment_create(
                version=ready, reviewer=self.outsider, assigned_by=self.author, due_on=due
            )
            done = services.thread_start(version=ready, user=self.outsider, body="Clear?")
            services.thread_resolve(thread=done, user=self.author, outcome="answered", note="Yes.")
            services.assignment_complete(assignment=reviewed, user=self.outsider)
        # The connector: feedback open, feedback triaged, feedback on a withdrawn one.
        source = self.published(ours, f"Source {k}", body=f"Source text {k}.\n")
        services.feedback_start(version=source.published_version, user=self.outsider, body="Hm?")
        triaged = self.published(ours, f"Triaged {k}")
        # Its members and coordinator: a suggestion open (the others declined, hidden, on a
        # withdrawn one, the other group's wait for nobody here).
        self.suggest(source.published_version, f"Source text {k}.")
        declined = self.suggest(triaged.published_version, "Triaged")
        services.suggestion_decline(suggestion=declined, user=self.author, reason="No.")
        hidden = self.suggest(triaged.published_version, "Triaged")
        services.suggestion_hide(suggestion=hidden, user=people["core_team"], reason="Spam.")
        secret = review_version(other, self.author, title=f"Secret suggested {k}")
        self.suggest(secret, f"Secret suggested {k}")
        thread = services.feedback_start(
            version=triaged.published_version, user=self.outsider, body="Done?"
        )
        services.thread_resolve(thread=thread, user=self.author, outcome="answered", note="Yes.")
        withdrawn = self.published(ours, f"Withdrawn {k}")
        self.suggest(withdrawn.published_version, f"Withdrawn {k}")
        services.feedback_start(version=withdrawn.published_version, user=self.outsider, body="?")
        services.recommendation_withdraw(recommendation=withdrawn, user=self.author, reason="Old.")
        # The writer: `source` and `triaged` have no fate yet; this one has.
        decided = self.published(ours, f"Decided {k}")
        services.source_fate_set(
            source=decided, fate="left_out", reason="Out of scope.", user=self.author
        )
        # The translator: every published one but `decided`, fully translated below.
        text = services.source_text(decided.published_version.revision)
        for language in translation_languages():
            services.translation_save(
                recommendation=decided,
                user=self.author,
                language=language,
                source=text,
                translations={key: f"[{language}] {value}" for key, value in _units(text)},
            )
        # The translator proofreads: a volunteer's draft of `source` waits (into Chinese).
        services.translation_draft_save(
            recommendation=source,
            user=self.author,
            language="zh-hans",
            source=services.source_text(source.published_version.revision),
            translations={"title": f"来源 {k}"},
        )
        # The core team: an invitation pending, one accepted.
        group_services.invitation_create(email=f"invited{k}@example.org", working_group=ours)
        accepted = group_services.invitation_create(
            email=f"accepted{k}@example.org", working_group=ours
        )
        type(accepted).objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())

    @staticmethod
    def suggest(version, title):
        # Each by someone new: community feedback's hourly limit counts per person.
        return services.suggestion_make(
            version=version,
            user=UserFactory(),
            target="title",
            replacement=f"{title}, otherwise",
            reason="Clearer.",
        )

    def sign_in(self, client, role):
        client.force_login(self.people[role])
        client.get(reverse("workspace"))  # the session's first request writes its limit
        return client


def _units(text):
    from recommendations.text.translation_units import units

    return units(text)


def _world_built() -> World:
    made = World(WorkingGroupFactory)
    made.build(1)
    return made


_world = module_data("_world", _world_built)


@pytest.fixture
def world(_world, db):
    """The module's world, built once (tests/conftest.py `module_data`); each test has its
    own copy of its objects, and what it writes is rolled back after it."""
    return copy.deepcopy(_world)


def page_of(client):
    response = client.get(reverse("needs_me"))
    assert response.status_code == 200
    return response


def items_of(response) -> dict[str, list]:
    return {section.role: section.items for section in response.context["sections"]}


# What each role finds, one of each kind per build: (what, title) pairs.
EXPECTED = {
    "reviewer": {
        ("Answer a review request", "Review pending 1"),
        ("Review this version", "Review accepted 1"),
    },
    # Besides its own: the snapshot whose reviewer declined needs another; the one whose
    # review is done (and no thread open) may be published.
    "coordinator": {
        ("Assign a reviewer", "Ours unreviewed 1"),
        ("Assign a reviewer", "Review declined 1"),
        ("Ready to publish", "Review completed 1"),
        (f"Review thread open for more than {THREAD_WAITING_DAYS} days", "Ours waiting thread 1"),
        ("Ready to publish", "Ours ready 1"),
        ("Decide on a suggested change", "Source 1"),
    },
    # Who drafts in the group decides on what is suggested on its versions.
    "member": {("Decide on a suggested change", "Source 1")},
    "connector": {("Triage feedback", "Source 1")},
    # Sources are every thematic group's published recommendation without a fate.
    "writer": {
        ("Decide what becomes of a source", "Source 1"),
        ("Decide what becomes of a source", "Triaged 1"),
    },
    # Into every language, as the translator chose none for the site.
    "translator": {
        (f"Translate into {name}", title)
        for name in ("Simplified Chinese", "Egyptian Arabic", "German", "French", "Spanish")
        for title in ("Source 1", "Triaged 1")
    }
    | {("Proofread the translation into Simplified Chinese", "Source 1")},
    "core_team": {("Invitation not yet accepted", "invited1@example.org")},
}


def _what_and_title(items) -> set[tuple[str, str]]:
    return {
        (item.what, item.title.split(". ", 1)[1] if ". " in item.title else item.title)
        for item in items
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_its_items_and_no_other_roles(client, world, role):
    found = items_of(page_of(world.sign_in(client, role)))
    assert list(found) == [role]
    assert _what_and_title(found[role]) == EXPECTED[role]


def test_a_person_with_no_role_sees_that_nothing_waits(client, world):
    response = page_of(world.sign_in(client, "nobody"))
    assert response.context["sections"] == []
    html = response.content.decode()
    assert "Nothing waits for you." in html
    assert 'class="badge needs-me-count"' not in html


def test_a_role_with_nothing_to_do_says_so(client, working_group):
    person = UserFactory()
    MembershipFactory(user=person, working_group=working_group, role=Role.COORDINATOR)
    client.force_login(person)
    response = page_of(client)
    assert [section.role for section in response.context["sections"]] == ["coordinator"]
    html = response.content.decode()
    assert "Nothing waits for you here." in html
    assert "Nothing waits for you." in html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("needs_me"))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("login")


def everyone(world):
    """The translator, given every other role but the core team's, and the reviewer's
    assignments (those to come too)."""
    person = world.people["translator"]
    MembershipFactory(user=person, working_group=world.ours, role=Role.COORDINATOR)
    MembershipFactory(user=person, working_group=world.other, role=Role.REVIEWER)
    MembershipFactory(user=person, working_group=world.other, role=Role.MEMBER)
    MembershipFactory(user=person, working_group=world.synthesis, role=Role.CONNECTOR)
    MembershipFactory(user=person, working_group=world.synthesis, role=Role.WRITER)
    ReviewAssignment.objects.filter(reviewer=world.people["reviewer"]).update(reviewer=person)
    world.people["reviewer"] = person
    return person


def someone_of(world, who):
    """everyone(world), the core team, or everyone(world) as the assigned proofreader of
    Chinese while another person is Egyptian Arabic's."""
    if who == "core_team":
        return world.people["core_team"]
    person = everyone(world)
    if who == "proofreader":
        user_proofread_languages_set(user=person, languages=["zh-hans"])
        user_proofread_languages_set(user=UserFactory(), languages=["arz"])
    return person


def test_every_role_at_once_sees_every_section_in_order(client, world):
    client.force_login(everyone(world))
    found = items_of(page_of(client))
    assert list(found) == ROLES[:-1]
    assert all(found.values())


def test_the_core_team_is_not_counted_among_the_translators(client, world):
    """It holds the permission to translate with every other, and translates; what waits
    for it is its own section."""
    core = world.people["core_team"]
    core.user_permissions.add(translator_permission())
    client.force_login(core)
    assert list(items_of(page_of(client))) == ["core_team"]
    assert client.get(reverse("translations:table")).status_code == 200


def test_a_translator_with_a_site_language_translates_into_it(client, world):
    translator = world.people["translator"]
    translator.language = "arz"
    translator.save(update_fields=["language"])
    found = items_of(page_of(world.sign_in(client, "translator")))["translator"]
    assert {item.what for item in found} == {"Translate into Egyptian Arabic"}
    assert len(found) == 2


def test_drafts_wait_for_proofreading_by_others_of_their_language_only(
    client, world, django_capture_on_commit_callbacks
):
    """A draft waits for the translators of its language who did not write it: its author
    and the translators of other languages see nothing to proofread."""
    proofread = "Proofread the translation into Simplified Chinese"
    translator = world.people["translator"]
    found = items_of(page_of(world.sign_in(client, "translator")))["translator"]
    [item] = [item for item in found if item.what == proofread]
    assert item.detail == "1 draft"
    assert item.url.endswith("/zh-hans/")
    # Now written by the translator: not theirs to proofread.
    from recommendations.models import TranslationDraft

    def written_by(author):
        with django_capture_on_commit_callbacks(execute=True):
            for draft in TranslationDraft.objects.all():
                draft.author = author
                draft.save()

    written_by(translator)
    found = items_of(page_of(client))["translator"]
    assert proofread not in {item.what for item in found}
    # Another's again, but the translator now translates into Arabic only.
    written_by(world.author)
    translator.translates_into = ["arz"]
    translator.save(update_fields=["translates_into"])
    found = items_of(page_of(client))["translator"]
    assert proofread not in {item.what for item in found}


def test_nothing_of_another_group_or_unpublished_leaks(client, world):
    """The other group's drafts never appear, nor, to those who do not read them, the
    working titles of ours: connectors, writers and translators read published versions."""
    for role in [*ROLES, "nobody"]:
        html = page_of(world.sign_in(client, role)).content.decode()
        assert "Secret" not in html, role
        if role not in ("coordinator", "reviewer", "core_team"):
            assert "unreviewed" not in html, role
            assert "Review pending" not in html, role


def test_the_other_groups_coordinator_sees_their_own(client, world):
    client.force_login(world.outsider)
    found = items_of(page_of(client))
    assert {title for _what, title in _what_and_title(found["coordinator"])} == {
        "Secret unreviewed 1",
        "Secret waiting thread 1",
        "Secret ready 1",
        "Secret suggested 1",
    }


def test_a_new_thread_waits_a_week_before_it_needs_the_coordinator(client, world, monkeypatch):
    version = review_version(world.ours, world.author, title="Fresh thread")
    services.assignment_create(
        version=version,
        reviewer=world.outsider,
        assigned_by=world.author,
        due_on=timezone.localdate(),
    )
    thread = services.thread_start(version=version, user=world.author, body="New?")
    titles = lambda: {  # noqa: E731
        title for _what, title in _what_and_title(items_of(page_of(client))["coordinator"])
    }
    world.sign_in(client, "coordinator")
    older(thread, THREAD_WAITING_DAYS - 1)
    assert "Fresh thread" not in titles()
    older(thread, THREAD_WAITING_DAYS + 1)
    # Time alone changes nothing kept: the page learns of it when renewed.
    now = fragments._clock()
    monkeypatch.setattr(fragments, "_clock", lambda: now + fragments.RENEWED_SECONDS)
    assert "Fresh thread" in titles()


def test_a_declined_review_needs_a_reviewer_again(
    client, world, django_capture_on_commit_callbacks
):
    version = Version.objects.get(recommendation__title_en="Review declined 1")
    world.sign_in(client, "coordinator")
    found = _what_and_title(items_of(page_of(client))["coordinator"])
    assert ("Assign a reviewer", "Review declined 1") in found
    # A completed review had its reviewer; a resubmitted snapshot replaces the older one.
    assert ("Assign a reviewer", "Review completed 1") not in found
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_submit_for_review(
            recommendation=version.recommendation, user=world.author, name="Review 2"
        )
    again = [
        item
        for item in items_of(page_of(client))["coordinator"]
        if item.title.endswith("Review declined 1")
    ]
    assert [item.detail for item in again] == ["Review 2"]


def test_items_are_oldest_first_within_a_role(client, world):
    world.build(2)
    for role in ROLES:
        items = items_of(page_of(world.sign_in(client, role)))[role]
        assert len(items) == 3 * len(EXPECTED[role])
        assert [item.since for item in items] == sorted(item.since for item in items), role
    # Across kinds too: the coordinator's oldest is the thread started a week ago.
    first = items_of(page_of(world.sign_in(client, "coordinator")))["coordinator"][0]
    assert first.what.startswith("Review thread open")


@pytest.mark.parametrize("role", ROLES)
def test_each_link_opens_for_that_person(client, world, role):
    items = items_of(page_of(world.sign_in(client, role)))[role]
    assert items
    for item in items:
        response = client.get(urlsplit(item.url).path)
        assert response.status_code == 200, (item.what, item.url)


@pytest.mark.parametrize("role", [*ROLES, "nobody"])
def test_the_header_counts_the_items_of_the_page(client, world, role):
    world.sign_in(client, role)
    response = page_of(client)
    listed = sum(len(items) for items in items_of(response).values())
    assert response.context["needs_me_waiting"].count == listed
    # On another page the count is the database's, and the same.
    elsewhere = client.get(reverse("notices:list"))
    assert elsewhere.context["needs_me_waiting"].count == listed
    badge = f'<span class="badge needs-me-count" aria-label="{listed} waiting">{listed}</span>'
    assert (badge in elsewhere.content.decode()) == bool(listed)


def test_the_header_shows_the_count_beside_the_notifications(client, world):
    world.sign_in(client, "coordinator")
    html = client.get(reverse("workspace")).content.decode()
    needs, notifications = html.index(reverse("needs_me")), html.index(reverse("notices:list"))
    assert needs < notifications
    assert 'aria-label="6 waiting">6</span>' in html[needs:notifications]


def test_the_count_outside_a_request_is_worked_out_each_time(world):
    waiting = needs_me.needs_me(world.people["reviewer"])
    assert waiting.count == 2
    assert len(waiting.listed()[0].items) == 2


def test_the_page_lists_the_oldest_of_each_kind_and_counts_the_rest(client, world, monkeypatch):
    """At most SHOWN items of a kind are listed (a translator of a busy language has
    thousands): the oldest; the heading and the header still count them all."""
    monkeypatch.setattr(needs_me, "SHOWN", 1)
    world.sign_in(client, "reviewer")
    html = client.get(reverse("needs_me")).content.decode()
    assert html.count('<li class="needs-me-item') == 1
    assert "1 more waits, not shown" in html
    assert 'aria-label="2 waiting">2</span>' in html
    waiting = needs_me.needs_me(world.people["reviewer"])
    assert waiting.count == 2
    (section,) = waiting.listed()
    assert (len(section.items), section.total, section.more) == (1, 2, 1)


@pytest.mark.parametrize("page", ["needs_me", "workspace"])
@pytest.mark.parametrize("who", ["everyone", "proofreader", "core_team"])
def test_the_page_and_the_header_cost_the_same_with_3_times_the_items(
    client, world, django_assert_num_queries, page, who
):
    """The page (every section) and another page's header count, counted afresh (nothing
    kept): the same queries for N items of each kind as for 3N (with proofreaders assigned
    too: which languages have one is asked once)."""
    client.force_login(someone_of(world, who))
    client.get(reverse("workspace"))
    cache.clear()
    with django_assert_num_queries(25, exact=False) as small:
        response = client.get(reverse(page))
    few = response.context["needs_me_waiting"].count
    world.build(2)
    cache.clear()
    with django_assert_num_queries(len(small)):
        response = client.get(reverse(page))
    assert response.context["needs_me_waiting"].count == 3 * few


def test_the_page_read_again_asks_only_who_holds_which_role(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Its sections are kept for the person: read again, the page asks the database who
    they are and what roles they hold, not what waits; a change (once it commits) shows
    at the next reading."""

    def listed():
        html = client.get(reverse("needs_me")).content.decode()
        return html[html.index("<h1>") : html.index("</main>")]

    client.force_login(someone_of(world, "everyone"))
    first = listed()
    assert first.count('class="needs-me"') == 6
    with django_assert_num_queries(25, exact=False) as again:
        assert listed() == first
    tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in again.captured_queries]
    assert not [table for table in tables if table.startswith('"recommendations_')], tables
    with django_capture_on_commit_callbacks(execute=True):
        world.build(1)
    assert listed() != first


def test_the_header_of_a_person_with_no_role_costs_little(client, world, django_assert_num_queries):
    """Their permissions (whether they translate): two queries, read once for the whole
    request; their roles and their unread notices are kept (groups/predicates.py,
    strategy/notices.py); nothing else."""
    world.sign_in(client, "nobody")
    with django_assert_num_queries(5) as counted:
        # The session, the person, the notices counted for their pages and listed.
        client.get(reverse("notices:list"))
    tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in counted.captured_queries]
    assert tables.count('"groups_membership"') == 0
    assert tables.count('"auth_permission"') == 2
    assert not [table for table in tables if table.startswith('"recommendations_')]


def notices_for(user, n: int, start: int = 0) -> None:
    Notice.objects.bulk_create(
        Notice(
            recipient=user,
            kind="review_assigned",
            key=f"test:{user.pk}:{index}",
            subject=f"Notice {index}",
            body="Body",
        )
        for index in range(start, start + n)
    )


def test_the_notification_list_costs_the_same_with_3_times_the_notices(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Read afresh (nothing kept), the list costs the same with 3 times the notices; kept
    for the person, it reads nothing of the ledger until the ledger changes."""
    from strategy import fragments, mailer
    from strategy.notices import notices_listed
    from strategy.views.notices import NOTICES_PER_PAGE

    person = world.people["coordinator"]
    world.sign_in(client, "coordinator")
    # The world's events tell the coordinator of some things already (their own notices).
    notices_for(person, 5)
    listed = notices_listed(user=person).count()
    fragments.forget()
    with django_assert_num_queries(25, exact=False) as small:
        response = client.get(reverse("notices:list"))
    assert len(response.context["items"]) == listed
    with django_assert_num_queries(25, exact=False) as kept:
        client.get(reverse("notices:list"))
    assert not [q for q in kept.captured_queries if '"strategy_notice"' in q["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        notices_for(person, 10, start=5)
        mailer.notices_changed()  # as every write of the ledger in bulk says
    world.build(2)
    assert notices_listed(user=person).count() >= listed + 10
    fragments.forget()
    with django_assert_num_queries(len(small)):
        response = client.get(reverse("notices:list"))
    assert len(response.context["items"]) == min(
        notices_listed(user=person).count(), NOTICES_PER_PAGE
    )


def test_the_coordinators_selectors_keep_to_the_read_rule_whatever_groups_they_are_given(
    world,
):
    from recommendations.selectors import review

    coordinator, other = world.people["coordinator"], [world.other.pk]
    assert not review.versions_without_reviewer(user=coordinator, group_ids=other).exists()
    assert not review.review_threads_waiting(user=coordinator, group_ids=other).exists()
    assert not review.recommendations_ready_to_publish(user=coordinator, group_ids=other).exists()
    assert review.versions_without_reviewer(user=world.outsider, group_ids=other).exists()


def test_a_coordinator_who_left_the_group_sees_nothing_of_it(client, world):
    from groups.models import Membership

    Membership.objects.filter(user=world.people["coordinator"]).update(
        left_on=timezone.localdate(), joined_on=timezone.localdate() - timedelta(days=30)
    )
    response = page_of(world.sign_in(client, "coordinator"))
    assert response.context["sections"] == []


def test_an_overdue_review_says_so(client, world):
    ReviewAssignment.objects.filter(version__recommendation__title_en="Review pending 1").update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    response = page_of(world.sign_in(client, "reviewer"))
    overdue = {
        item.title.split(". ", 1)[1] for item in items_of(response)["reviewer"] if item.overdue
    }
    assert overdue == {"Review pending 1"}
    assert 'class="overdue-label"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading", "what"),
    [("zh-hans", "作为审阅人", "答复审阅请求"), ("arz", "بصفتك مراجع", "رد على طلب مراجعه")],
)
def test_the_page_speaks_the_readers_language(client, world, language, heading, what):
    world.sign_in(client, "reviewer")
    html = client.get(f"/{language}{reverse('needs_me')}").content.decode()
    assert heading in html
    assert what in html


def counts_of(client, world) -> dict[str, int]:
    """Each role's header count on another page (the count kept, when there is one),
    checked against the items its page lists (which keeps them again)."""
    found = {}
    for role in ROLES:
        client.force_login(world.people[role])
        header = client.get(reverse("notices:list")).context["needs_me_waiting"].count
        listed = sum(len(items) for items in items_of(page_of(client)).values())
        assert header == listed, role
        found[role] = listed
    return found


def test_the_kept_count_follows_each_kind_of_change(
    client, world, django_capture_on_commit_callbacks
):
    """After each kind of change made through the services (once it commits), every role's
    header count is that of its page, and the role it concerns sees it move."""
    people, ours, author = world.people, world.ours, world.author
    due = timezone.localdate() + timedelta(days=3)
    made = {}

    def submit():
        made["version"] = review_version(ours, author, title="Walked")

    def assign():
        made["assignment"] = services.assignment_create(
            version=made["version"], reviewer=people["reviewer"], assigned_by=author, due_on=due
        )

    def complete():
        services.assignment_complete(assignment=made["assignment"], user=people["reviewer"])

    def comment():
        made["thread"] = services.thread_start(
            version=made["version"], user=people["reviewer"], body="One more thing."
        )

    def resolve():
        services.thread_resolve(thread=made["thread"], user=author, outcome="answered", note="Ok")

    def publish():
        services.recommendation_publish(
            recommendation=made["version"].recommendation, user=author, iteration=world.iteration
        )
        made["published"] = made["version"].recommendation
        made["published"].refresh_from_db()

    def feedback():
        made["feedback"] = services.feedback_start(
            version=made["published"].published_version, user=world.outsider, body="Why?"
        )

    def triage():
        services.thread_resolve(
            thread=made["feedback"], user=author, outcome="answered", note="Because."
        )

    def decide():
        services.source_fate_set(
            source=made["published"], fate="left_out", reason="Out of scope.", user=author
        )

    def translate():
        text = services.source_text(made["published"].published_version.revision)
        services.translation_save(
            recommendation=made["published"],
            user=author,
            language="de",
            source=text,
            translations={key: f"[de] {value}" for key, value in _units(text)},
        )

    def draft():
        made["draft"] = services.translation_draft_save(
            recommendation=made["published"],
            user=people["coordinator"],
            language="de",
            source=services.source_text(made["published"].published_version.revision),
            translations={"title": "Überarbeitet"},
        )

    def proofread():
        published = made["published"]
        services.translation_mark_ready(
            recommendation=published,
            user=people["core_team"],
            language="de",
            source=services.source_text(published.published_version.revision),
            drafts=list(published.translation_drafts.all()),
        )

    def invite():
        made["invitation"] = group_services.invitation_create(
            email="walked@example.org", working_group=ours
        )

    def revoke():
        group_services.invitation_revoke(invitation=made["invitation"], user=people["core_team"])

    def withdraw():
        services.recommendation_withdraw(
            recommendation=made["published"], user=author, reason="Superseded."
        )

    def suggest():
        made["suggestion"] = World.suggest(made["published"].published_version, "Walked")

    def hide():
        services.suggestion_hide(
            suggestion=made["suggestion"], user=people["core_team"], reason="Spam."
        )

    def join():
        MembershipFactory(user=people["connector"], working_group=ours, role=Role.COORDINATOR)

    def assign_proofreader():
        # Chinese now has its proofreader: its draft no longer waits for the translator.
        user_proofread_languages_set(user=UserFactory(), languages=["zh-hans"])

    def unassign_proofreader():
        user_proofread_languages_set(
            user=type(author).objects.get(proofreads=["zh-hans"]), languages=[]
        )

    # Each change, and a role whose count it moves.
    changes = [
        (submit, "coordinator"),
        (assign, "reviewer"),
        (complete, "reviewer"),
        (comment, "coordinator"),
        (resolve, "coordinator"),
        (publish, "translator"),
        (suggest, "member"),
        (hide, "member"),
        (feedback, "connector"),
        (triage, "connector"),
        (decide, "writer"),
        (translate, "translator"),
        (draft, "translator"),
        (proofread, "translator"),
        (invite, "core_team"),
        (revoke, "core_team"),
        (withdraw, "translator"),
        (join, "connector"),
        (assign_proofreader, "translator"),
        (unassign_proofreader, "translator"),
    ]
    before = counts_of(client, world)
    for change, moved in changes:
        with django_capture_on_commit_callbacks(execute=True):
            change()
        after = counts_of(client, world)
        assert after[moved] != before[moved], change.__name__
        before = after


def test_a_change_rolled_back_leaves_the_kept_count(
    client, world, django_capture_on_commit_callbacks
):
    """The generation moves once the change commits, not before: a change undone keeps
    the counts."""
    from django.db import transaction

    from strategy.generations import generation_key as _generation_key

    before = cache.get(_generation_key("groups.Invitation"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                group_services.invitation_create(
                    email="undone@example.org", working_group=world.ours
                )
                raise RuntimeError
        except RuntimeError:
            pass
    assert not callbacks
    assert cache.get(_generation_key("groups.Invitation")) == before


@pytest.mark.parametrize("who", ["everyone", "proofreader", "core_team"])
def test_the_header_reads_the_kept_count_without_a_query_of_the_apps(
    client, world, django_assert_num_queries, who
):
    """Once counted, the header of another page reads who holds which role and nothing
    more: no query of the apps' tables (nor of who proofreads what), with N items of each
    kind as with 3N."""
    person = someone_of(world, who)
    notices_for(person, 1)  # a notification listed either way
    client.force_login(person)
    client.get(reverse("workspace"))
    # The session, the person, the notices counted twice, their roles (memberships, which
    # group is the synthesis group) and permissions (whether they translate).
    with django_assert_num_queries(9, exact=False) as counted:
        response = client.get(reverse("notices:list"))
    few = response.context["needs_me_waiting"].count
    assert few
    tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in counted.captured_queries]
    assert not [table for table in tables if table.startswith('"recommendations_')]
    assert '"groups_invitation"' not in tables
    assert not [
        query
        for query in counted.captured_queries
        if query["sql"].startswith('SELECT "strategy_user"."proofreads" FROM')
    ]
    queries = len(counted)
    cache.clear()
    world.build(2)
    client.get(reverse("workspace"))
    with django_assert_num_queries(queries) as again:
        response = client.get(reverse("notices:list"))
    assert response.context["needs_me_waiting"].count == 3 * few
    tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in again.captured_queries]
    assert not [table for table in tables if table.startswith('"recommendations_')]


def test_without_the_cache_the_count_is_counted(client, world, settings):
    """Redis away (a cache that keeps nothing): the header still says the right number."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    world.sign_in(client, "coordinator")
    html = client.get(reverse("workspace")).content.decode()
    assert 'aria-label="6 waiting">6</span>' in html
