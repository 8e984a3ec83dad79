"""Cached public pages follow every change they show, and only those (public/invalidation.py)."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from groups.models import FormerName, GuidingQuestion, Role, WorkingGroup
from public import caching
from public.invalidation import STALE_WHEN, STALE_WHEN_RELATED
from recommendations import selectors, services
from recommendations.models import (
    Comment,
    Recommendation,
    SourceFate,
    SourceLink,
    Suggestion,
    Thread,
    TranslationReadiness,
    Version,
)
from tests.factories import (
    CoreTeamFactory,
    MembershipFactory,
    UserFactory,
    WorkingGroupFactory,
    iteration,
)
from tests.factories import recommendation as make
from timeline.models import Milestone, MilestoneShift, Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(published, working_group, user, iterations):
    """The public fixture, with public feedback, a published synthesis and a milestone
    that names another group."""
    minutes = published["minutes"]
    thread = services.feedback_start(
        version=minutes.published_version, user=user, body="Publish them within a week."
    )
    synthesis = WorkingGroupFactory(kind=WorkingGroup.Kind.SYNTHESIS)
    synthesized = make(synthesis, user, title="Synthesized openness")
    services.recommendation_publish(recommendation=synthesized, user=user, iteration=iterations[1])
    other = WorkingGroupFactory()
    milestone = Milestone.objects.create(title="Other group's sprint", starts_on=date(2030, 5, 1))
    milestone.working_groups.add(other)
    member = MembershipFactory(working_group=working_group, user=UserFactory(first_name="Ines"))
    third = iteration("third-iteration", "Third iteration, 2031")
    return {
        **published,
        "group": working_group,
        "thread": thread,
        "synthesized": synthesized,
        "milestone": milestone,
        "member": member.user,
        "third": third,
    }


def _group_page(w):
    return w["group"].get_absolute_url()


def _minutes_page(w):
    return w["minutes"].get_public_url()


def _thread_page(w):
    return reverse("public:feedback_thread", args=[w["thread"].pk])


def _rename_area(w):
    area = w["group"].thematic_area
    area.name = "Renamed area"
    area.save()


def _rename_group(w):
    w["group"].name = "Renamed group"
    w["group"].save()


def _translate(w):
    w["minutes"].title_zh_hans = "会议记录"
    w["minutes"].save()


def _second_page(w):
    second = Version.objects.get(pk=w["minutes"].published_version_id).iteration
    return reverse("public:iteration", args=[second.slug])


def _mark_ready(w):
    # Its set is not translated since: the page says the mark has changed since.
    second = Version.objects.get(pk=w["minutes"].published_version_id).iteration
    TranslationReadiness.objects.create(iteration=second, language="zh-hans")


def _rename_iteration(w):
    second = Version.objects.get(pk=w["minutes"].published_version_id).iteration
    second.name_en = "Renamed iteration"
    second.save()


def _publish_in_third(w):
    version = Version.objects.get(pk=w["minutes"].published_version_id)
    Version.objects.create(
        recommendation=w["minutes"],
        revision=version.revision,
        kind=Version.Kind.ITERATION,
        iteration=w["third"],
        name="Third",
    )


def _answer(w):
    thread = Thread.objects.get(pk=w["thread"].pk)
    thread.status, thread.outcome = Thread.Status.RESOLVED, Thread.Outcome.ANSWERED
    thread.outcome_note = "We answered this on the list."
    thread.save()


def _edit_comment(w):
    comment = Comment.objects.get(thread=w["thread"])
    comment.body = "Publish them within a day."
    comment.save()


def _link_source(w):
    SourceLink.objects.create(
        synthesized=w["synthesized"],
        source_version_id=w["minutes"].published_version_id,
        note="Merged with the transparency part.",
    )


def _fate(w):
    SourceFate.objects.create(source=w["minutes"], fate="left_out", reason="Kept for later.")


def _rename_member(w):
    w["member"].first_name = "Renamed person"
    w["member"].save()


def _shift(w):
    MilestoneShift.objects.create(
        milestone=w["milestone"],
        working_group=w["group"],
        starts_on=date(2030, 6, 1),
        reason="Our group meets later.",
    )
    w["milestone"].working_groups.add(w["group"])


def _suggest(w):
    services.suggestion_make(
        version=w["minutes"].published_version,
        user=UserFactory(),
        target="title",
        replacement="Minutes, suggested otherwise",
        reason="Shorter.",
    )


# Each entry of the map: the page that shows it, the change, and what the page then shows.
CASES = {
    "groups.ThematicArea": (_group_page, _rename_area, "Renamed area"),
    "groups.WorkingGroup": (lambda w: reverse("public:groups"), _rename_group, "Renamed group"),
    "groups.GuidingQuestion": (
        _group_page,
        lambda w: GuidingQuestion.objects.create(working_group=w["group"], text="Who reads?"),
        "Who reads?",
    ),
    "groups.FormerName": (
        _group_page,
        lambda w: FormerName.objects.create(working_group=w["group"], name="Old name of it"),
        "Old name of it",
    ),
    "groups.Membership": (
        _group_page,
        lambda w: MembershipFactory(
            working_group=w["group"], user=UserFactory(first_name="Zelda", last_name="Quist")
        ),
        "Zelda Quist",
    ),
    "recommendations.Iteration": (_minutes_page, _rename_iteration, "Renamed iteration"),
    "recommendations.Recommendation": (
        lambda w: "/zh-hans" + _minutes_page(w),
        _translate,
        "会议记录",
    ),
    "recommendations.Version": (_minutes_page, _publish_in_third, "Third iteration, 2031"),
    "recommendations.Thread": (_thread_page, _answer, "We answered this on the list."),
    "recommendations.Comment": (_thread_page, _edit_comment, "Publish them within a day."),
    "recommendations.Suggestion": (_minutes_page, _suggest, "Minutes, suggested otherwise"),
    "recommendations.SourceLink": (
        _minutes_page,
        _link_source,
        "Merged with the transparency part.",
    ),
    "recommendations.SourceFate": (_minutes_page, _fate, "Kept for later."),
    "recommendations.TranslationReadiness": (_second_page, _mark_ready, 'data-readiness="changed"'),
    "timeline.Phase": (
        lambda w: reverse("public:timeline"),
        lambda w: Phase.objects.create(
            title="Drafting phase", starts_on=date(2030, 1, 1), ends_on=date(2030, 12, 31)
        ),
        "Drafting phase",
    ),
    "timeline.Milestone": (
        lambda w: reverse("public:timeline"),
        lambda w: Milestone.objects.create(title="Global sprint", starts_on=date(2030, 3, 1)),
        "Global sprint",
    ),
    "timeline.MilestoneShift": (
        lambda w: reverse("public:timeline") + f"?group={w['group'].slug}",
        _shift,
        "Our group meets later.",
    ),
    "strategy.User": (_group_page, _rename_member, "Renamed person"),
    "timeline.Milestone.working_groups": (
        lambda w: reverse("public:timeline") + f"?group={w['group'].slug}",
        lambda w: w["milestone"].working_groups.add(w["group"]),
        "Other group&#x27;s sprint",
    ),
}


def test_every_entry_of_the_map_has_a_case():
    assert set(CASES) == set(STALE_WHEN) | set(STALE_WHEN_RELATED)


@pytest.mark.parametrize("entry", sorted(CASES))
def test_a_change_shows_on_the_cached_page(
    client, world, entry, django_capture_on_commit_callbacks
):
    """GET (cached), change, GET again: the change is there."""
    page, change, shown = CASES[entry]
    url = page(world)
    before = client.get(url)
    assert before.status_code == 200
    assert shown not in before.content.decode()
    # The page is cached: without the invalidation, it would be served again as it was.
    assert client.get(url).content == before.content
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change(world)
    assert callbacks, "the change bumps the content version after commit"
    assert shown in client.get(url).content.decode()


def test_the_version_moves_only_after_the_commit(world, django_capture_on_commit_callbacks):
    """Inside the write's transaction nothing is bumped: an error there could roll it back,
    and a page rendered before the commit would be cached as new."""
    version = cache.get(caching.CONTENT_VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _rename_group(world)
        _rename_area(world)
        assert cache.get(caching.CONTENT_VERSION_KEY) == version
    assert callbacks
    for callback in callbacks:
        callback()
    assert cache.get(caching.CONTENT_VERSION_KEY) != version


def _private_changes(w, user):
    user.groups.add(Group.objects.create(name="Some auth group"))
    review = services.recommendation_submit_for_review(
        recommendation=make(w["group"], user, title="Under review"), user=user, name="Review 1"
    )
    thread = Thread.objects.create(version=review, public=False)
    Comment.objects.create(thread=thread, author=user, body="A private review comment.")
    never_published = w["draft"]
    never_published.title = "Still secret"
    never_published.save()
    # The working copy of a published recommendation: its next draft, not yet published.
    minutes = Recommendation.objects.get(pk=w["minutes"].pk)
    services.recommendation_update(
        recommendation=minutes,
        user=user,
        title="Open minutes, redrafted",
        summary="A new summary.",
        body="Every meeting publishes minutes within a day.\n",
        base_revision=selectors.revision_latest(recommendation=minutes).history_id,
        edit_summary="Redrafting after feedback",
    )
    user.save(update_fields=["last_login"])


def test_changes_no_public_page_shows_leave_the_cache_alone(
    client, world, user, django_capture_on_commit_callbacks
):
    url = _group_page(world)
    client.get(url)
    page = client.get(_minutes_page(world))
    version = cache.get(caching.CONTENT_VERSION_KEY)
    assert version is not None
    with django_capture_on_commit_callbacks(execute=True):
        _private_changes(world, user)
    caching.forget_local()
    assert cache.get(caching.CONTENT_VERSION_KEY) == version
    assert caching.content_version() == version
    cache.clear()  # rendered afresh: the page shows the published text, not the draft
    again = client.get(_minutes_page(world))
    assert "redrafted" not in again.content.decode()
    assert "Every meeting publishes minutes." in again.content.decode()
    assert page.status_code == again.status_code == 200


def test_a_hidden_comment_leaves_the_cached_pages(
    client, world, django_capture_on_commit_callbacks
):
    """A connector hides a feedback comment: the cached recommendation page and thread page
    no longer show it to anonymous readers."""
    connector = UserFactory()
    synthesis = world["synthesized"].working_group
    MembershipFactory(user=connector, working_group=synthesis, role=Role.CONNECTOR)
    pages = [_minutes_page(world), _thread_page(world)]
    text = "Publish them within a week."
    for url in pages:
        assert text in client.get(url).content.decode()
        assert text in client.get(url).content.decode()  # now from the cache
    moderator = Client()
    moderator.force_login(connector)
    comment = Comment.objects.get(thread=world["thread"])
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            reverse("feedback:moderate", args=[comment.pk, "hide"]), {"reason": "Off topic."}
        )
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).hidden_by == connector
    for url in pages:
        html = client.get(url).content.decode()
        assert text not in html
        assert "Off topic." in html


def test_a_hidden_suggestion_leaves_the_cached_pages(
    client, world, django_capture_on_commit_callbacks
):
    """The core team hides a suggestion on a published iteration: the cached recommendation
    page and the feedback CSV no longer show its words, the page says why it is hidden."""
    with django_capture_on_commit_callbacks(execute=True):
        _suggest(world)
    suggestion = Suggestion.objects.get()
    pages = [_minutes_page(world), reverse("public:feedback_csv")]
    text = "Minutes, suggested otherwise"
    for url in pages:
        assert text in client.get(url).content.decode()
        assert text in client.get(url).content.decode()  # now from the cache
    moderator = Client()
    moderator.force_login(CoreTeamFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            reverse(
                "recommendations:suggestion_moderate",
                args=[suggestion.version.recommendation_id, suggestion.pk, "hide"],
            ),
            {"reason": "Spam."},
        )
    assert response.status_code == 302
    for url in pages:
        assert text not in client.get(url).content.decode()
    assert "Hidden by the moderators: Spam." in client.get(pages[0]).content.decode()


def test_feedback_leaves_every_page_that_does_not_show_it_in_the_cache(
    client, world, user, django_capture_on_commit_callbacks
):
    """In a feedback period a comment comes every few seconds: it makes stale the pages that
    show it (its recommendation's, its thread's, the CSV) and leaves the others cached."""
    thread = world["thread"]
    shown = {
        "recommendation": _minutes_page(world),
        "its feedback, page by page": reverse(
            "public:feedback_list", args=[world["group"].slug, world["minutes"].number]
        ),
        "thread": _thread_page(world),
        "csv": reverse("public:feedback_csv"),
    }
    kept = {
        "home": "/",
        "list": reverse("public:list"),
        "group": _group_page(world),
        "other recommendation": world["hub"].get_public_url(),
        "other recommendation, in Chinese": "/zh-hans" + world["hub"].get_public_url(),
    }
    before = {name: client.get(url) for name, url in {**shown, **kept}.items()}
    assert all(response.status_code == 200 for response in before.values())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.feedback_reply(thread=thread, user=user, body="And the agendas, please.")
    assert callbacks
    for name, url in kept.items():
        assert client.get(url)["ETag"] == before[name]["ETag"], name
    for name, url in shown.items():
        assert client.get(url)["ETag"] != before[name]["ETag"], name
    for url in (shown["thread"], shown["csv"]):
        assert "And the agendas, please." in client.get(url).content.decode()


def test_a_comment_elsewhere_leaves_a_thread_page_cached(
    client, world, user, django_capture_on_commit_callbacks
):
    other = services.feedback_start(
        version=world["hub"].published_version, user=user, body="A hub per continent?"
    )
    page, hub = _thread_page(world), world["hub"].get_public_url()
    etags = {url: client.get(url)["ETag"] for url in (page, hub)}
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_reply(thread=other, user=user, body="Or per language.")
    assert client.get(page)["ETag"] == etags[page]
    assert client.get(hub)["ETag"] != etags[hub]
