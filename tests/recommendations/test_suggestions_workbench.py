"""The merge workbench: every open suggestion of a version at once on the current draft,
the overlaps marked, one revision naming every suggestion taken; the draft moved on (a
passage gone, a save in between), the permission cells and the query counts."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from simple_history.utils import bulk_create_with_history

from groups.models import Role
from recommendations import services
from recommendations.models import Suggestion
from strategy.models import Notice
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory, review_version

pytestmark = pytest.mark.django_db

BODY = (
    "We recommend a global hub for advocacy.\n\n"
    "Funding follows the **people** who do it.\n\n"
    "我们建议每年报告一次。\n"
)


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


def suggest(version, user, quote, replacement, **fields):
    return services.suggestion_make(
        version=version,
        user=user,
        target=fields.pop("target", "passage"),
        quote=quote,
        replacement=replacement,
        reason=fields.pop("reason", "Closer to people."),
        **fields,
    )


def text_of(draft, revision):
    """The draft's text as of `revision`: what the workbench's result boxes hold when it
    opens."""
    return services.source_text(draft.history.get(history_id=revision))


def url(version):
    return reverse(
        "recommendations:suggestion_workbench", args=[version.recommendation_id, version.pk]
    )


def draft_edit(draft, user, body, title=None):
    draft.refresh_from_db()
    services.recommendation_update(
        recommendation=draft,
        user=user,
        title=title or draft.title_en,
        summary=draft.summary_en,
        body=body,
        base_revision=draft.history.latest().history_id,
    )


@pytest.fixture
def three(version, reviewer):
    """Two suggestions on the same sentence (overlapping words), one elsewhere, in Chinese."""
    hub = suggest(version, reviewer, "global hub", "regional hubs")
    whole = suggest(version, reviewer, "a global hub for advocacy", "one hub for all campaigns")
    chinese = suggest(version, reviewer, "每年", "每季度", reason="更及时。")
    return hub, whole, chinese


def test_the_workbench_places_every_open_suggestion_and_marks_the_overlaps(version, three):
    hub, whole, chinese = three
    workbench = services.suggestions_workbench(version=version)
    placed = {each.suggestion.pk: each for each in workbench.placed}
    assert placed[hub.pk].overlaps == [whole.pk]
    assert placed[whole.pk].overlaps == [hub.pk]
    assert placed[chinese.pk].overlaps == []
    assert not any(each.gone for each in workbench.placed)
    with pytest.raises(ValidationError) as refused:
        workbench.merged([hub.pk, whole.pk])
    assert refused.value.code == "overlap"
    merged, spans = workbench.merged([hub.pk, chinese.pk])
    assert merged["body"].startswith("We recommend a regional hubs for advocacy.")
    assert "我们建议每季度报告一次。" in merged["body"]
    field, start, end = spans[chinese.pk]
    assert merged[field][start:end] == "每季度"


def test_saving_makes_one_revision_naming_every_suggestion_taken(version, member, reviewer, three):
    hub, whole, chinese = three
    draft = version.recommendation
    before = draft.history.count()
    base = draft.history.latest().history_id
    decided = services.suggestions_merge(
        version=version,
        user=member,
        base_revision=base,
        decisions={
            hub.pk: ("accept", ""),
            whole.pk: ("decline", "Suggestion 1 says it better."),
            chinese.pk: ("accept", ""),
        },
    )
    assert len(decided) == 3
    draft.refresh_from_db()
    assert draft.history.count() == before + 1
    latest = draft.history.latest()
    assert latest.history_change_reason == (
        f"Suggestion {hub.pk} accepted (Ana Silva, on Review 1); "
        f"Suggestion {chinese.pk} accepted (Ana Silva, on Review 1)"
    )
    assert "We recommend a regional hubs for advocacy." in draft.body_en
    assert "我们建议每季度报告一次。" in draft.body_en
    for suggestion in three:
        suggestion.refresh_from_db()
    assert (hub.state, chinese.state, whole.state) == ("accepted", "accepted", "declined")
    assert hub.revision_id == chinese.revision_id == latest.history_id
    assert whole.decision_reason == "Suggestion 1 says it better."
    assert Notice.objects.filter(kind="suggestion.decided", recipient=reviewer).count() == 3


def test_both_of_an_overlapping_pair_cannot_be_accepted_and_a_decline_needs_a_reason(
    version, member, three
):
    hub, whole, _chinese = three
    base = version.recommendation.history.latest().history_id
    for decisions, code in (
        ({hub.pk: ("accept", ""), whole.pk: ("accept", "")}, "overlap"),
        ({hub.pk: ("decline", " ")}, "reason_required"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.suggestions_merge(
                version=version, user=member, base_revision=base, decisions=decisions
            )
        assert refused.value.code == code
    assert Suggestion.objects.filter(state="open").count() == 3


def test_an_edited_result_records_the_words_as_accepted(version, member, three):
    hub, whole, chinese = three
    workbench = services.suggestions_workbench(version=version)
    merged, _ = workbench.merged([hub.pk, chinese.pk])
    edited = {**merged, "body": merged["body"].replace("regional hubs", "regional centres")}
    services.suggestions_merge(
        version=version,
        user=member,
        base_revision=workbench.base.history_id,
        decisions={hub.pk: ("accept", ""), chinese.pk: ("accept", ""), whole.pk: ("keep", "")},
        text=edited,
    )
    hub.refresh_from_db()
    chinese.refresh_from_db()
    whole.refresh_from_db()
    assert (hub.state, hub.accepted_text) == ("accepted_changed", "regional centres")
    assert chinese.state == "accepted"
    assert whole.state == "open"
    version.recommendation.refresh_from_db()
    assert "a regional centres for advocacy" in version.recommendation.body_en


def test_a_passage_the_draft_no_longer_holds_is_shown_gone_and_cannot_be_accepted_blind(
    client, version, member, three
):
    hub, whole, _chinese = three
    draft_edit(
        version.recommendation,
        member,
        BODY.replace("a global hub for advocacy", "a network for advocacy"),
    )
    workbench = services.suggestions_workbench(version=version)
    gone = {each.suggestion.pk for each in workbench.placed if each.gone}
    assert gone == {hub.pk, whole.pk}
    with pytest.raises(ValidationError) as refused:
        workbench.merged([hub.pk])
    assert refused.value.code == "gone"
    client.force_login(member)
    html = client.get(url(version)).content.decode()
    entry = html[html.index(f'id="suggestion-{hub.pk}"') :]
    entry = entry[: entry.index("</article>")]
    assert "no longer holds the words" in entry
    assert 'value="accept"' not in entry
    assert 'value="decline"' in entry


def test_a_title_and_a_new_paragraph_go_in_with_the_rest(version, member, reviewer):
    title = suggest(version, reviewer, "", "A hub for everyone", target="title")
    paragraph = suggest(version, reviewer, "", "Also online.", target="paragraph", after_line=1)
    hub = suggest(version, reviewer, "global hub", "regional hubs")
    workbench = services.suggestions_workbench(version=version)
    merged, _spans = workbench.merged([title.pk, paragraph.pk, hub.pk])
    assert merged["title"] == "A hub for everyone"
    assert merged["body"].startswith(
        "We recommend a regional hubs for advocacy.\n\nAlso online.\n\nFunding follows"
    )
    assert workbench.get(paragraph.pk).lines == (1, 1)
    # Two new paragraphs in the same place touch; one after another line does not.
    same = suggest(version, reviewer, "", "Also by post.", target="paragraph", after_line=1)
    later = suggest(version, reviewer, "", "And by phone.", target="paragraph", after_line=2)
    workbench = services.suggestions_workbench(version=version)
    assert workbench.get(paragraph.pk).overlaps == [same.pk]
    assert workbench.get(later.pk).overlaps == []


def test_a_save_in_between_is_merged_three_ways_or_shown_as_a_conflict(
    client, version, member, three
):
    """Someone saves the draft after the workbench was opened: other words merge cleanly
    (the reason says so); the same words give the workbench again on their revision, the
    result with conflict markers to finish, nothing applied."""
    hub, whole, chinese = three
    draft = version.recommendation
    client.force_login(member)
    opened = draft.history.latest().history_id
    other = UserFactory(first_name="Kofi", last_name="Mensah")
    MembershipFactory(user=other, working_group=draft.working_group)
    draft_edit(draft, other, BODY.replace("Funding follows", "Money follows"))
    response = client.post(
        url(version),
        {
            "base_revision": opened,
            **text_of(draft, opened),
            f"s{hub.pk}": "accept",
            "save": "1",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert "Money follows" in draft.body_en
    assert "regional hubs" in draft.body_en
    assert "merged with the changes of Kofi Mensah" in draft.history.latest().history_change_reason

    # The same words changed meanwhile: the conflict, nothing written.
    opened = draft.history.latest().history_id
    count = draft.history.count()
    draft.refresh_from_db()
    draft_edit(draft, other, draft.body_en.replace("每年", "每月"))
    response = client.post(
        url(version),
        {
            "base_revision": opened,
            **text_of(draft, opened),
            f"s{chinese.pk}": "accept",
            f"s{whole.pk}": "decline",
            f"why{whole.pk}": "Too broad.",
            "save": "1",
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone saved the draft after you opened this page" in html
    assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt;" in html
    assert f'name="base_revision" value="{draft.history.latest().history_id}"' in html
    assert draft.history.count() == count + 1  # Kofi's save only
    chinese.refresh_from_db()
    whole.refresh_from_db()
    assert (chinese.state, whole.state) == ("open", "open")


def test_the_page_without_javascript_shows_the_result_then_saves_it(client, version, member, three):
    hub, whole, chinese = three
    client.force_login(member)
    response = client.get(url(version))
    html = response.content.decode()
    assert '<del class="suggested">a global hub for advocacy</del>' in html
    assert '<del class="suggested">每年</del><ins class="suggested" data-words="每季度"' in html
    assert f"Touches the same words as suggestion {whole.pk}: accept one of them at most." in html
    entry = html[html.index(f'id="suggestion-{chinese.pk}"') :]
    for shown in ("Ana Silva", "更及时。", "line 3"):
        assert shown in entry[: entry.index("</article>")]
    base = version.recommendation.history.latest().history_id
    choices = {
        "base_revision": base,
        **text_of(version.recommendation, base),
        f"s{hub.pk}": "accept",
        f"s{whole.pk}": "decline",
        f"why{whole.pk}": "One is enough.",
        f"s{chinese.pk}": "keep",
    }
    response = client.post(url(version), {**choices, "preview": "1"})
    assert response.status_code == 200
    assert "We recommend a regional hubs for advocacy." in response.content.decode()
    assert Suggestion.objects.filter(state="open").count() == 3
    # Both of an overlapping pair: refused, with the choices kept.
    response = client.post(url(version), {**choices, f"s{whole.pk}": "accept", "save": "1"})
    assert response.status_code == 422
    assert "touch the same words" in response.content.decode()
    # Edited by hand, then the choices changed: asked to show the result again.
    edited = {
        **choices,
        "body": BODY.replace("global hub", "global centre").replace("\n", "\r\n"),
        "result_of": "",
        f"s{hub.pk}": "accept",
    }
    response = client.post(url(version), {**edited, "save": "1"})
    assert response.status_code == 422
    assert "then changed which suggestions you accept" in response.content.decode()
    # The choices as they are, the result not edited: saved from the choices.
    response = client.post(url(version), {**choices, "save": "1"})
    assert response.status_code == 302
    assert response.url == f"{version.get_absolute_url()}#suggestions-heading"
    states = dict(Suggestion.objects.values_list("pk", "state"))
    assert states == {hub.pk: "accepted", whole.pk: "declined", chinese.pk: "open"}


def test_the_version_page_links_to_the_workbench_for_those_who_decide(
    client, version, member, reviewer, three, django_capture_on_commit_callbacks
):
    client.force_login(member)
    assert url(version) in client.get(version.get_absolute_url()).content.decode()
    client.force_login(reviewer)
    assert url(version) not in client.get(version.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for suggestion in three:
            services.suggestion_decline(suggestion=suggestion, user=member, reason="No.")
    client.force_login(member)
    assert url(version) not in client.get(version.get_absolute_url()).content.decode()


# The permission cells (docs/permissions.md, "Suggested changes").
WHO = ["anonymous", "stranger", "reviewer", "other_group", "member", "coordinator", "core_team"]


@pytest.fixture
def as_(client, working_group, working_group_factory, version, reviewer):
    def sign_in(who):
        if who == "anonymous":
            return client
        user = {"core_team": CoreTeamFactory, "reviewer": lambda: reviewer}.get(who, UserFactory)()
        if who in ("member", "coordinator"):
            role = Role.COORDINATOR if who == "coordinator" else Role.MEMBER
            MembershipFactory(user=user, working_group=working_group, role=role)
        elif who == "other_group":
            MembershipFactory(user=user, working_group=working_group_factory())
        client.force_login(user)
        return client

    return sign_in


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("anonymous", 302, 302),
        ("stranger", 404, 404),
        ("reviewer", 403, 403),
        ("other_group", 404, 404),
        ("member", 200, 302),
        ("coordinator", 200, 302),
        ("core_team", 200, 302),
    ],
)
def test_who_opens_and_saves_the_workbench(as_, version, reviewer, who, get, post):
    hub = suggest(version, reviewer, "global hub", "regional hubs")
    client = as_(who)
    response = client.get(url(version))
    assert response.status_code == get
    if who == "anonymous":
        assert response.url.startswith(reverse("login"))
    latest = version.recommendation.history.latest().history_id
    response = client.post(
        url(version),
        {
            "base_revision": latest,
            **text_of(version.recommendation, latest),
            f"s{hub.pk}": "accept",
            "save": "1",
        },
    )
    assert response.status_code == post
    hub.refresh_from_db()
    assert (hub.state == "accepted") == (post == 302 and who != "anonymous")


def test_a_workbench_of_1000_suggestions_costs_what_one_of_10_costs(
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
                    quote_prefix="We recommend a ",
                    quote_suffix=" for advocacy.",
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
    latest = version.recommendation.history.latest().history_id
    preview = {"base_revision": latest, **text_of(version.recommendation, latest), "preview": "1"}
    with django_assert_num_queries(8) as first:
        client.get(url(version))
    with django_assert_num_queries(8) as first_preview:
        client.post(url(version), preview)
    add(990)
    with django_assert_num_queries(len(first_preview)):
        client.post(url(version), preview)
    with django_assert_num_queries(len(first)):
        response = client.get(url(version))
    html = response.content.decode()
    assert html.count('class="suggestion suggestion-open suggestion-overlapping"') == 200
    assert "The first 200 of each are here" in html
    # Each touches the 199 others: the first ten are named.
    assert html.count(", …: accept one of them at most.") == 200


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "zh-hans",
            ["合并 Review 1 的建议", "显示结果", "保存为一个修订版本", "最多只接受其中一条"],
        ),
        (
            "arz",
            ["دمج اقتراحات Review 1", "اعرض النتيجة", "احفظ كمراجعة واحدة", "اقبل واحد منهم بس"],
        ),
    ],
)
def test_the_workbench_speaks_chinese_and_arabic(client, version, member, three, language, words):
    client.force_login(member)
    with translation.override(language):
        html = client.get(url(version)).content.decode()
    for shown in words:
        assert shown in html
    for english in ("Show the result", "Save as one revision", "Touches the same words"):
        assert english not in html


def test_open_suggestions_of_earlier_versions_come_along_and_merge_from_their_own(
    client, working_group, member
):
    """A newer version's workbench carries the earlier versions' open suggestions, found
    again in the draft; accepting one merges its words where they now stand."""
    earlier = review_version(working_group, member, title="Advocacy hub", body=BODY)
    carried = suggest(earlier, member, "global hub", "regional hubs")
    draft = earlier.recommendation
    draft_edit(draft, member, "A first line.\n\n" + BODY)
    newer = services.recommendation_submit_for_review(
        recommendation=draft, user=member, name="Review 2"
    )
    own = suggest(newer, member, "A first line.", "An opening line.")
    client.force_login(member)
    html = client.get(url(newer)).content.decode()
    entry = html[html.index(f'id="suggestion-{carried.pk}"') :]
    assert "From Review 1" in entry[: entry.index("</article>")]
    assert "line 2" in entry[: entry.index("</article>")]
    latest = draft.history.latest().history_id
    response = client.post(
        url(newer),
        {
            "base_revision": latest,
            **text_of(draft, latest),
            f"s{carried.pk}": "accept",
            f"s{own.pk}": "accept",
            "save": "1",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body_en.startswith("An opening line.\n\nWe recommend a regional hubs")
    assert draft.history.latest().history_change_reason == (
        f"Suggestion {carried.pk} accepted (Mei Lin, on Review 1); "
        f"Suggestion {own.pk} accepted (Mei Lin, on Review 2)"
    )
