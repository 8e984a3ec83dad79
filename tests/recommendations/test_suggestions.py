"""Suggested changes: the text machinery, making, deciding (a three-way merge into the
draft, or the conflict screen), the notice, the permission cells and the query counts."""

import html as html_module
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import strip_tags
from simple_history.utils import bulk_create_with_history

from groups.models import Role
from recommendations import services
from recommendations.models import Suggestion
from recommendations.text.anchoring import plain_text
from recommendations.text.lines import number_lines
from recommendations.text.markdown import render_markdown
from recommendations.text.suggesting import (
    Change,
    paragraph_end_after_line,
    source_span,
    tracked,
)
from strategy import fragments
from strategy.models import Notice
from tests.factories import (
    CoreTeamFactory,
    MembershipFactory,
    UserFactory,
    iteration,
    recommendation,
    review_version,
)

pytestmark = pytest.mark.django_db

BODY = "We recommend a global hub for advocacy.\n\nFunding follows the **people** who do it.\n"


# The text machinery.
def test_a_passage_is_found_in_the_source_at_the_occurrence_shown():
    source = "A hub. Then a *hub* here, and a hub.\n"
    plain = plain_text(source)
    crossing = plain.index("a hub")
    assert source_span(source, plain, "a hub", crossing) is None  # across formatting
    last = plain.rindex("a hub")
    assert source_span(source, plain, "a hub", last) == (30, 35)
    assert source_span("Hub, hub, *x* hub.", "Hub, hub, x hub.", "hub", 12) == (14, 17)


def test_a_new_paragraph_goes_after_the_paragraph_holding_the_line():
    source = "First paragraph.\n\nSecond paragraph.\n\nThird.\n"
    assert paragraph_end_after_line(source, 1) == len("First paragraph.")
    assert paragraph_end_after_line(source, 2) == source.index("\n\nThird")
    assert paragraph_end_after_line(source, 9) is None


def test_tracked_changes_strike_the_passage_and_insert_the_words_in_chinese_too():
    """A Chinese passage: struck through in its block, the proposed words right after it,
    shown by the stylesheet (never text a selection counts), and its line known."""
    source = "我们建议设立一个全球中心。\n\n资金跟随人员。\n"
    numbered = number_lines(render_markdown(source))[0]
    plain = plain_text(source)
    start = plain.index("资金")
    html, lines = tracked(
        numbered,
        [Change(start=start, length=2, words="经费", href="#suggestion-1", label="1", key=1)],
    )
    assert '<del class="suggested">资金</del><ins class="suggested" data-words="经费"' in html
    assert lines == {1: (2, 2)}
    assert html_module.unescape(strip_tags(html)) == html_module.unescape(
        strip_tags(render_markdown(source))
    )


# Making and deciding.
@pytest.fixture
def member(working_group, user_factory):
    person = user_factory(first_name="Mei", last_name="Lin")
    MembershipFactory(user=person, working_group=working_group, role=Role.MEMBER)
    return person


@pytest.fixture
def version(working_group, member):
    return review_version(working_group, member, title="Advocacy hub", body=BODY)


@pytest.fixture
def reviewer(working_group_factory, version):
    person = UserFactory(first_name="Ana", last_name="Silva")
    MembershipFactory(user=person, working_group=working_group_factory(), role=Role.REVIEWER)
    services.assignment_create(
        version=version, reviewer=person, assigned_by=None, due_on=date(2030, 1, 1)
    )
    return person


def suggest(version, user, **fields):
    defaults = {"target": "passage", "quote": "global hub", "replacement": "regional hubs"}
    return services.suggestion_make(
        version=version, user=user, reason="Closer to people.", **{**defaults, **fields}
    )


def test_accepting_merges_the_words_into_the_draft_as_a_revision_naming_it(
    version, member, reviewer
):
    """The draft moved on elsewhere; the suggestion's words land in a new revision whose
    reason names it, and its author is told."""
    draft = version.recommendation
    services.recommendation_update(
        recommendation=draft,
        user=member,
        title="Advocacy hub",
        summary="",
        body=BODY + "\nA third paragraph.\n",
        base_revision=draft.history.latest().history_id,
    )
    suggestion = suggest(version, reviewer)
    decided = services.suggestion_accept(suggestion=suggestion, user=member)
    draft.refresh_from_db()
    assert "We recommend a regional hubs for advocacy." in draft.body
    assert "A third paragraph." in draft.body
    assert decided.state == Suggestion.State.ACCEPTED
    assert decided.revision.history_change_reason == (
        f"Suggestion {suggestion.pk} accepted (Ana Silva, on Review 1)"
    )
    notice = Notice.objects.get(kind="suggestion.decided", recipient=reviewer)
    assert "Accepted" in notice.subject


def test_a_suggestion_on_a_passage_edited_since_goes_to_the_merge(version, member, reviewer):
    suggestion = suggest(version, reviewer)
    draft = version.recommendation
    services.recommendation_update(
        recommendation=draft,
        user=member,
        title="Advocacy hub",
        summary="",
        body=BODY.replace("a global hub", "one global centre"),
        base_revision=draft.history.latest().history_id,
    )
    with pytest.raises(services.SuggestionConflict) as found:
        services.suggestion_accept(suggestion=suggestion, user=member)
    assert found.value.conflict.merged["body"].conflicts
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.OPEN
    draft.refresh_from_db()
    assert "regional" not in draft.body


def test_accepted_with_changes_and_declined_say_what_and_why(version, member, reviewer):
    title = suggest(version, reviewer, target="title", quote="", replacement="A hub for all")
    summary = suggest(version, reviewer, target="summary", quote="", replacement="Short.")
    paragraph = suggest(
        version,
        reviewer,
        target="paragraph",
        quote="",
        after_line=1,
        replacement="A new paragraph.",
    )
    services.suggestion_accept(suggestion=title, user=member, words="A hub for everyone")
    services.suggestion_accept(suggestion=paragraph, user=member)
    with pytest.raises(ValidationError):
        services.suggestion_decline(suggestion=summary, user=member, reason=" ")
    services.suggestion_decline(suggestion=summary, user=member, reason="Too short.")
    draft = version.recommendation
    draft.refresh_from_db()
    assert draft.title == "A hub for everyone"
    assert (
        draft.body.index("advocacy.")
        < draft.body.index("A new paragraph.")
        < (draft.body.index("Funding"))
    )
    title.refresh_from_db()
    assert (title.state, title.accepted_text) == ("accepted_changed", "A hub for everyone")
    with pytest.raises(ValidationError):
        services.suggestion_decline(suggestion=title, user=member, reason="Twice")


def test_bad_suggestions_are_refused_with_a_reason(version, reviewer):
    for fields, code in [
        ({"quote": "not in the text"}, "quote_not_found"),
        ({"quote": "lobal hub"}, "quote_not_whole_words"),
        ({"quote": "follows the people"}, "quote_across_formatting"),
        ({"target": "paragraph", "quote": "", "after_line": 40}, "no_such_line"),
        ({"target": "title", "quote": "", "replacement": "Advocacy hub"}, "unchanged"),
    ]:
        with pytest.raises(ValidationError) as refused:
            suggest(version, reviewer, **fields)
        assert refused.value.code == code
    assert not Suggestion.objects.exists()


def test_suggestions_on_a_published_iteration_keep_the_feedback_rate_limit(
    working_group, member, settings
):
    settings.FEEDBACK_PER_HOUR = 2
    made = recommendation(working_group, member, body=BODY)
    published = services.recommendation_publish(
        recommendation=made, user=member, iteration=iteration()
    )
    stranger = UserFactory()
    suggest(published, stranger)
    suggest(published, stranger, quote="advocacy", replacement="campaigns")
    with pytest.raises(ValidationError) as refused:
        suggest(published, stranger, quote="Funding", replacement="Money")
    assert refused.value.code == "rate_limited"


# The permission cells (docs/permissions.md, "Suggested changes").
WHO = ["anonymous", "stranger", "member", "reviewer", "other_group", "core_team"]


@pytest.fixture
def as_(client, working_group, working_group_factory, version):
    def sign_in(who):
        if who == "anonymous":
            return client
        user = CoreTeamFactory() if who == "core_team" else UserFactory()
        if who == "member":
            MembershipFactory(user=user, working_group=working_group, role=Role.MEMBER)
        elif who == "other_group":
            MembershipFactory(user=user, working_group=working_group_factory())
        elif who == "reviewer":
            MembershipFactory(user=user, working_group=working_group_factory(), role=Role.REVIEWER)
            services.assignment_create(
                version=version, reviewer=user, assigned_by=None, due_on=date(2030, 1, 1)
            )
        client.force_login(user)
        return client

    return sign_in


def expect(table):
    return pytest.mark.parametrize(("who", "status"), list(zip(WHO, table, strict=True)))


def _post_suggestion(client, version):
    url = reverse("recommendations:suggestion_create", args=[version.recommendation_id, version.pk])
    return client.post(
        url,
        {
            "suggest-target": "passage",
            "suggest-quote": "global hub",
            "suggest-replacement": "regional hubs",
            "suggest-reason": "Closer.",
        },
    )


@expect([302, 404, 302, 302, 404, 302])
def test_who_suggests_on_a_review_snapshot(as_, version, who, status):
    response = _post_suggestion(as_(who), version)
    assert response.status_code == status
    made = Suggestion.objects.exists()
    assert made == (who in ("member", "reviewer", "core_team"))


@expect([302, 302, 302, 302, 302, 302])
def test_who_suggests_on_a_published_iteration(as_, version, member, who, status):
    published = services.recommendation_publish(
        recommendation=version.recommendation, user=member, iteration=iteration()
    )
    response = _post_suggestion(as_(who), published)
    assert response.status_code == status
    assert Suggestion.objects.exists() == (who != "anonymous")


@expect([302, 404, 302, 403, 404, 302])
def test_who_decides(as_, version, reviewer, who, status):
    suggestion = suggest(version, reviewer)
    url = reverse(
        "recommendations:suggestion_decide", args=[version.recommendation_id, suggestion.pk]
    )
    response = as_(who).post(url, {"decide-decision": "decline", "decide-reason": "No."})
    assert response.status_code == status
    suggestion.refresh_from_db()
    assert (suggestion.state == "declined") == (who in ("member", "core_team"))


def test_the_rule_asked_directly(version, reviewer, member, working_group_factory):
    """The rules themselves, for the cells an HTTP answer cannot tell apart."""
    from django.contrib.auth.models import AnonymousUser

    suggestion = suggest(version, reviewer)
    other = UserFactory()
    MembershipFactory(user=other, working_group=working_group_factory())
    assert not AnonymousUser().has_perm("recommendations.suggest", version)
    assert not other.has_perm("recommendations.suggest", version)
    assert reviewer.has_perm("recommendations.suggest", version)
    assert not reviewer.has_perm("recommendations.decide_suggestion", suggestion)
    assert member.has_perm("recommendations.decide_suggestion", suggestion)
    assert not other.has_perm("recommendations.decide_suggestion", suggestion)


def test_a_synthesis_reviewer_suggests_but_only_its_writers_decide(
    working_group_factory, user_factory
):
    from groups.models import WorkingGroup

    synthesis = working_group_factory(kind=WorkingGroup.Kind.SYNTHESIS)
    writer, plain_member = user_factory(), user_factory()
    MembershipFactory(user=writer, working_group=synthesis, role=Role.WRITER)
    MembershipFactory(user=plain_member, working_group=synthesis, role=Role.MEMBER)
    snapshot = review_version(synthesis, writer, body=BODY)
    suggestion = suggest(snapshot, plain_member)
    assert writer.has_perm("recommendations.decide_suggestion", suggestion)
    assert not plain_member.has_perm("recommendations.decide_suggestion", suggestion)


# The version page.
def test_the_version_page_shows_suggestions_as_tracked_changes_and_filters_them(
    client, version, member, reviewer
):
    first = suggest(version, reviewer)
    second = suggest(version, reviewer, quote="advocacy", replacement="campaigns")
    services.suggestion_decline(suggestion=second, user=member, reason="We keep it.")
    client.force_login(member)
    html = client.get(version.get_absolute_url()).content.decode()
    assert (
        '<del class="suggested">global hub</del><ins class="suggested" data-words="regional hubs"'
    ) in html
    assert f'id="suggestion-{first.pk}"' in html
    assert "line 1" in html
    assert 'id="suggestion-form"' in html
    declined = client.get(version.get_absolute_url() + "?suggestions=declined").content.decode()
    assert f'id="suggestion-{second.pk}"' in declined
    assert f'id="suggestion-{first.pk}"' not in declined
    assert "We keep it." in declined


def test_a_version_of_1000_suggestions_costs_what_one_of_10_costs(
    client, version, member, reviewer, django_assert_num_queries
):
    def add(count):
        bulk_create_with_history(
            [
                Suggestion(
                    version=version,
                    author=reviewer,
                    target="passage",
                    quote="global hub",
                    quote_start=BODY.index("global hub"),
                    replacement=f"hub {index}",
                    reason="Why not",
                )
                for index in range(count)
            ],
            Suggestion,
        )

    add(10)
    client.force_login(member)
    client.get(reverse("workspace"))
    # Nothing kept: one more than before carrying, the open suggestions of earlier
    # versions (none here).
    fragments.forget()
    with django_assert_num_queries(14):
        client.get(version.get_absolute_url())
    # Its threads and suggestions kept (views/review.py, views/suggestions.py).
    with django_assert_num_queries(6):
        client.get(version.get_absolute_url())
    add(990)
    fragments.forget()
    with django_assert_num_queries(14):
        response = client.get(version.get_absolute_url())
    html = response.content.decode()
    assert html.count('class="suggestion suggestion-open"') == 200
    assert "All (1000)" in html


# The public record.
def test_the_public_page_and_the_csv_show_suggestions_on_published_iterations_only(
    client, working_group, member, version, reviewer, django_capture_on_commit_callbacks
):
    """An anonymous reader's cached page shows a new suggestion and then its outcome (the
    page cache is told); a review snapshot's suggestion is never shown."""
    import csv
    import io

    suggest(version, reviewer, quote="advocacy", replacement="secret words")
    published = services.recommendation_publish(
        recommendation=version.recommendation, user=member, iteration=iteration()
    )
    url = version.recommendation.get_public_url()
    assert "Suggested changes, and what became of them" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        made = suggest(published, UserFactory(first_name="Ola"), replacement="regional hubs")
    html = client.get(url).content.decode()
    assert f'id="public-suggestion-{made.pk}"' in html
    assert "regional hubs" in html
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_decline(suggestion=made, user=member, reason="One hub is enough.")
    html = client.get(url).content.decode()
    assert "One hub is enough." in html
    assert "secret words" not in html
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("public:feedback_csv")).content.decode()))
    )
    suggestions = [row for row in rows if row["kind"] == "suggestion"]
    assert [(row["suggestion"], row["outcome"], row["proposed words"]) for row in suggestions] == [
        (str(made.pk), "declined", "regional hubs")
    ]


def test_anyone_signed_in_gets_the_suggestion_form_on_the_public_page(client, member, version):
    services.recommendation_publish(
        recommendation=version.recommendation, user=member, iteration=iteration()
    )
    url = version.recommendation.get_public_url()
    assert 'id="suggestion-form"' not in client.get(url).content.decode()
    client.force_login(UserFactory())
    assert 'id="suggestion-form"' in client.get(url).content.decode()


def test_the_api_lists_suggestions_on_published_iterations_in_flat_queries(
    client, member, version, reviewer, django_assert_num_queries
):
    suggest(version, reviewer, quote="advocacy", replacement="secret words")
    published = services.recommendation_publish(
        recommendation=version.recommendation, user=member, iteration=iteration()
    )

    def add(count):
        bulk_create_with_history(
            [
                Suggestion(
                    version=published,
                    author=reviewer,
                    target="title",
                    quote="Advocacy hub",
                    replacement=f"Hub {index}",
                    reason="Shorter",
                )
                for index in range(count)
            ],
            Suggestion,
        )

    add(10)
    # The count, the page's ids, its rows.
    with django_assert_num_queries(3) as first:
        rows = client.get("/api/suggestions/?state=open").json()
    assert rows["count"] == 10
    assert rows["results"][0]["author"] == "Ana Silva"
    assert "secret words" not in str(rows)
    add(990)
    with django_assert_num_queries(len(first)):
        rows = client.get("/api/suggestions/?limit=500").json()
    assert rows["count"] == 1000


# Carried forward: open suggestions of earlier versions on newer ones.
EARLIER = (
    "We recommend a global hub.\n\nStaff do the advocacy every day.\n\n"
    "Funding follows the **people** who do it.\n\nEvery region reports yearly.\n"
)
NEWER = (
    "We recommend a global hub.\n\nEach region hires staff for its advocacy.\n\n"
    "Every region reports yearly.\n"
)


def _newer_version(recommendation, member, *, name="Review 2", body=NEWER):
    services.recommendation_update(
        recommendation=recommendation,
        user=member,
        title=recommendation.title_en,
        summary=recommendation.summary_en,
        body=body,
        base_revision=recommendation.history.latest().history_id,
    )
    return services.recommendation_submit_for_review(
        recommendation=recommendation, user=member, name=name
    )


def _entry(html, suggestion):
    entry = html[html.index(f'id="suggestion-{suggestion.pk}"') :]
    return entry[: entry.index("</article>")]


def test_open_suggestions_of_an_earlier_version_are_found_again_on_newer_ones_and_decided_there(
    client, working_group, member
):
    """Still anchored, moved or orphaned by the rule threads are found again by; a new
    paragraph by the paragraph it goes after; the title by the title. Decided ones stay
    behind. Deciding from the newer version comes back to it, and accepting merges from
    the version the suggestion was made on."""
    earlier = review_version(working_group, member, title="Advocacy hub", body=EARLIER)
    recommendation = earlier.recommendation
    kept = suggest(earlier, member)
    moved = suggest(earlier, member, quote="advocacy", replacement="campaigns")
    gone = suggest(earlier, member, quote="Funding follows the", replacement="Money follows the")
    title = suggest(earlier, member, target="title", quote="", replacement="A hub for all")
    paragraph = suggest(
        earlier, member, target="paragraph", quote="", after_line=4, replacement="Also online."
    )
    declined = suggest(earlier, member, quote="every day", replacement="daily")
    services.suggestion_decline(suggestion=declined, user=member, reason="We keep it.")
    newer = _newer_version(recommendation, member)
    own = suggest(newer, member, quote="Every region", replacement="Each region")

    client.force_login(member)
    html = client.get(newer.get_absolute_url()).content.decode()
    carried = html[html.index("Open suggestions from earlier versions") :]
    for suggestion, state in (
        (kept, "still anchored"),
        (moved, "moved"),
        (gone, "orphaned"),
        (title, "still anchored"),
        (paragraph, "still anchored"),
    ):
        entry = _entry(carried, suggestion)
        assert "From Review 1" in entry
        assert state in entry, suggestion.quote
        assert 'name="decide-on"' in entry
    assert f'id="suggestion-{declined.pk}"' not in html
    assert f'id="suggestion-{own.pk}"' not in carried
    # Found again, they are tracked changes in the newer text, on its lines.
    assert (
        '<del class="suggested">global hub</del><ins class="suggested" data-words="regional hubs"'
        in html
    )
    assert (
        '<del class="suggested">advocacy</del><ins class="suggested" data-words="campaigns"' in html
    )
    assert "line 2" in _entry(carried, moved)

    # Decided from the newer version: back there; the merge is from the earlier version.
    decide = reverse("recommendations:suggestion_decide", args=[recommendation.pk, kept.pk])
    response = client.post(decide, {"decide-decision": "accept", "decide-on": newer.pk})
    assert response.status_code == 302
    assert response.url == f"{newer.get_absolute_url()}#suggestion-{kept.pk}"
    recommendation.refresh_from_db()
    assert recommendation.body_en.startswith("We recommend a regional hubs.")
    assert "Each region hires staff for its advocacy." in recommendation.body_en
    assert recommendation.history.latest().history_change_reason == (
        f"Suggestion {kept.pk} accepted (Mei Lin, on Review 1)"
    )
    # A version of another recommendation is no place to come back to.
    other = review_version(working_group, member, title="Other")
    decide = reverse("recommendations:suggestion_decide", args=[recommendation.pk, moved.pk])
    response = client.post(
        decide,
        {"decide-decision": "decline", "decide-reason": "Not now.", "decide-on": other.pk},
    )
    assert response.url == f"{earlier.get_absolute_url()}#suggestion-{moved.pk}"

    # A published iteration carries the ones still open too.
    published = services.recommendation_publish(
        recommendation=recommendation, user=member, iteration=iteration()
    )
    html = client.get(published.get_absolute_url()).content.decode()
    carried = html[html.index("Open suggestions from earlier versions") :]
    for suggestion in (gone, title, paragraph, own):
        assert f'id="suggestion-{suggestion.pk}"' in carried
    for suggestion in (kept, moved, declined):
        assert f'id="suggestion-{suggestion.pk}"' not in carried


def test_a_newer_version_carrying_1000_suggestions_costs_what_one_carrying_10_costs(
    client, working_group, member, django_assert_num_queries
):
    earlier = review_version(working_group, member, title="Advocacy hub", body=EARLIER)
    newer = _newer_version(earlier.recommendation, member)

    def add(count):
        bulk_create_with_history(
            [
                Suggestion(
                    version=earlier,
                    author=member,
                    target="passage",
                    quote="global hub",
                    quote_prefix="We recommend a ",
                    quote_suffix=".\nStaff do the advocacy every ",
                    quote_start=EARLIER.index("global hub"),
                    replacement=f"hub {index}",
                    reason="Why not",
                )
                for index in range(count)
            ],
            Suggestion,
        )

    add(10)
    client.force_login(member)
    client.get(reverse("workspace"))
    fragments.forget()
    with django_assert_num_queries(14):
        client.get(newer.get_absolute_url())
    # Its threads and suggestions kept (views/review.py, views/suggestions.py).
    with django_assert_num_queries(6):
        client.get(newer.get_absolute_url())
    add(990)
    fragments.forget()
    with django_assert_num_queries(14):
        response = client.get(newer.get_absolute_url())
    html = response.content.decode()
    carried = html[html.index("Open suggestions from earlier versions") :]
    assert carried.count('class="suggestion suggestion-open"') == 200
    assert carried.count("still anchored") == 200
    assert "The first 200 are listed and marked in the text." in carried
