"""@mentions in comments: one rule of what a mention is; a notice to each mentioned person
who may read the thread (one notice, not a mention and a comment notice), never to anyone
else; mentions rendered inert whatever the comment holds; and the completion of names in
the comment box, for those who may read the version, listing only those who may too."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Role, WorkingGroup
from recommendations import services
from recommendations.models import ReviewAssignment
from recommendations.selectors.review import MENTION_CHOICES
from recommendations.services.notices import comment_hidden_notify
from recommendations.text.mentions import MENTIONS_MAX, mentioned_usernames, render_comment
from strategy.models import TOPIC_SECTIONS, Delivery, Notice, Topic
from strategy.notices import preference_set
from tests.factories import (
    MembershipFactory,
    UserFactory,
    WorkingGroupFactory,
    iteration,
    recommendation,
    review_version,
)

pytestmark = pytest.mark.django_db


# The rule.
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("@mei, see the second paragraph", ["mei"]),
        ("Thanks @mei.", ["mei"]),
        ("(@mei) and @kofi_2!", ["mei", "kofi_2"]),
        ("@Mei and @mei again", ["Mei"]),
        ("@jean-luc.picard", ["jean-luc.picard"]),
        ("@élodie et @李华", ["élodie", "李华"]),
        ("write to mei@example.org", []),
        ("an @ alone, and @@mei", []),
        ("`@mei` in code", []),
        ("    @mei in a code block", []),
        ("[@mei](https://example.org) in a link", []),
        ("**@mei** in bold", ["mei"]),
    ],
)
def test_what_is_a_mention(body, expected):
    assert mentioned_usernames(body) == expected


def test_a_comment_naming_thousands_mentions_at_most_the_limit():
    body = " ".join(f"@person{number}" for number in range(MENTIONS_MAX * 3))
    assert len(mentioned_usernames(body)) == MENTIONS_MAX


def test_mentions_are_marked_and_hostile_input_stays_inert():
    body = (
        '@mei <script>alert("x")</script> <img src=x onerror=alert(1)> '
        '@x"><script>alert(2)</script> [@mei](javascript:alert(3)) '
        '<span class="mention" onclick="alert(4)">fake</span>'
    )
    html = render_comment(body)
    assert html.startswith('<p><span class="mention">@mei</span> &lt;script&gt;')
    assert '<span class="mention">@x</span>"&gt;&lt;script&gt;' in html
    assert "<script" not in html
    assert "<img" not in html
    assert "href" not in html  # a javascript: link is no link
    assert not re.search(r"<[^>]*onclick", html)
    # The only spans are mentions' (three: "[@mei](javascript:...)" is no link); the one
    # typed is text.
    assert html.count("<span") == 3
    assert "&lt;span" in html


def test_a_recommendations_text_is_not_read_for_mentions():
    from recommendations.text.markdown import render_markdown

    assert render_markdown("@mei") == "<p>@mei</p>\n"


def test_mentions_are_a_topic_of_their_own_under_discussions():
    sections = {str(title): topics for title, topics in TOPIC_SECTIONS}
    assert Topic.MENTIONS in sections["Discussions"]
    assert Topic.MENTIONS.label == "Mentions of me"


# The notices.
@pytest.fixture
def people(working_group):
    found = {
        "coordinator": UserFactory(username="kofi", first_name="Kofi", last_name="Mensah"),
        "member": UserFactory(username="mei", first_name="Mei", last_name="Lin"),
        "other_member": UserFactory(username="ana", first_name="Ana", last_name="Silva"),
        "reviewer": UserFactory(username="rania", first_name="Rania", last_name="Aziz"),
        "outsider": UserFactory(username="olu", first_name="Olu", last_name="Ade"),
        "left": UserFactory(username="meiko", first_name="Meiko", is_active=False),
    }
    for key, role in [
        ("coordinator", Role.COORDINATOR),
        ("member", Role.MEMBER),
        ("other_member", Role.MEMBER),
        ("left", Role.MEMBER),
    ]:
        MembershipFactory(user=found[key], working_group=working_group, role=role)
    elsewhere = WorkingGroupFactory(slug="elsewhere", name="Elsewhere")
    MembershipFactory(user=found["reviewer"], working_group=elsewhere, role=Role.REVIEWER)
    MembershipFactory(user=found["outsider"], working_group=elsewhere, role=Role.MEMBER)
    return found


@pytest.fixture
def version(working_group, people):
    made = review_version(working_group, people["coordinator"], title="Transparency")
    ReviewAssignment.objects.create(
        version=made,
        reviewer=people["reviewer"],
        assigned_by=people["coordinator"],
        due_on=date(2030, 1, 10),
    )
    return made


def kinds_of(person) -> list[str]:
    return sorted(Notice.objects.filter(recipient=person).values_list("kind", flat=True))


def test_a_mentioned_member_gets_one_notice_and_who_may_not_read_gets_none(
    version, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(
            version=version,
            user=people["reviewer"],
            body="@mei, is this clear? @olu @meiko @rania @nobody",
        )
    # The member is told she is mentioned, once; the group hears of the thread as ever.
    assert kinds_of(people["member"]) == ["comment.mention"]
    assert kinds_of(people["coordinator"]) == ["comment.new"]
    assert kinds_of(people["other_member"]) == ["comment.new"]
    # Someone who may not read the version, a closed account, the author: nothing.
    assert kinds_of(people["outsider"]) == []
    assert kinds_of(people["left"]) == []
    assert kinds_of(people["reviewer"]) == []
    notice = Notice.objects.get(kind="comment.mention")
    assert notice.topic == Topic.MENTIONS
    assert notice.subject == "Rania Aziz mentioned you in a comment on 1. Transparency"
    assert 'Rania Aziz mentioned you in a comment on "Review 1" of 1. Transparency:' in (
        notice.body
    )
    comment = thread.comments.get()
    assert notice.url == (
        f"/workspace/recommendations/{version.recommendation_id}/threads/{thread.pk}/"
        f"#comment-{comment.pk}"
    )
    assert "olu" not in "".join(Notice.objects.values_list("body", flat=True)).replace("@olu", "")


def test_a_mention_in_a_reply_replaces_the_reply_notice(version, people):
    thread = services.thread_start(version=version, user=people["member"], body="Unclear.")
    services.comment_reply(thread=thread, user=people["reviewer"], body="What do you mean, @mei?")
    assert kinds_of(people["member"]) == ["comment.mention"]
    assert kinds_of(people["coordinator"]) == ["comment.new", "comment.reply"]


def test_mentioning_oneself_tells_no_one(version, people):
    services.thread_start(version=version, user=people["member"], body="Note to @mei: check.")
    assert kinds_of(people["member"]) == []


def test_an_edit_that_adds_a_mention_tells_the_newly_mentioned_once(version, people):
    thread = services.thread_start(version=version, user=people["reviewer"], body="Unclear.")
    comment = thread.comments.get()
    services.comment_edit(comment=comment, user=people["reviewer"], body="Unclear, @ana.")
    services.comment_edit(comment=comment, user=people["reviewer"], body="Unclear, @ana @mei.")
    services.comment_edit(comment=comment, user=people["reviewer"], body="Unclear, @ana @mei!")
    assert kinds_of(people["other_member"]) == ["comment.mention", "comment.new"]
    assert kinds_of(people["member"]) == ["comment.mention", "comment.new"]
    assert Notice.objects.filter(kind="comment.mention").count() == 2


def test_a_hidden_comment_withdraws_its_mention_before_it_leaves(version, people):
    thread = services.thread_start(version=version, user=people["reviewer"], body="Hi @mei.")
    comment_hidden_notify(comment=thread.comments.get())
    notice = Notice.objects.get(kind="comment.mention")
    assert notice.state == Notice.State.CANCELLED


def test_a_mention_honours_the_preference_and_the_language(version, people):
    member = people["member"]
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    preference_set(user=member, topic=Topic.MENTIONS, delivery=Delivery.OFF)
    services.thread_start(version=version, user=people["reviewer"], body="@mei?")
    notice = Notice.objects.get(kind="comment.mention")
    assert notice.state == Notice.State.OFF
    assert notice.language == "zh-hans"
    assert "Rania Aziz" in notice.subject
    assert "mentioned you" not in notice.subject


@pytest.fixture
def published(working_group, people):
    made = recommendation(working_group, people["coordinator"], title="Open data")
    return services.recommendation_publish(
        recommendation=made, user=people["coordinator"], iteration=iteration()
    )


def test_a_mention_in_community_feedback_reaches_anyone_and_replaces_the_batch(
    published, people, user_factory
):
    synthesis = WorkingGroupFactory(slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS)
    connector = user_factory(username="connie", first_name="Connie")
    MembershipFactory(user=connector, working_group=synthesis, role=Role.CONNECTOR)
    author = user_factory(username="amal", first_name="Amal")
    thread = services.feedback_start(
        version=published, user=author, body="@connie @olu: what of wikis?"
    )
    assert kinds_of(connector) == ["comment.mention"]
    assert kinds_of(people["outsider"]) == ["comment.mention"]
    notice = Notice.objects.filter(kind="comment.mention").first()
    assert notice.url == f"/feedback/{thread.pk}/#comment-{thread.comments.get().pk}"


def test_a_mention_on_a_withdrawn_recommendation_tells_no_one(published, people, user_factory):
    thread = services.feedback_start(
        version=published, user=user_factory(username="amal"), body="Add a glossary."
    )
    services.recommendation_withdraw(
        recommendation=published.recommendation, user=people["coordinator"], reason="Merged."
    )
    services.feedback_reply(thread=thread, user=user_factory(username="bo"), body="@olu yes.")
    assert kinds_of(people["outsider"]) == []


def test_a_thread_shows_its_mentions_marked(client, version, people):
    thread = services.thread_start(
        version=version, user=people["reviewer"], body="@mei <b>see</b> this"
    )
    client.force_login(people["member"])
    page = client.get(thread.get_absolute_url()).content.decode()
    assert '<span class="mention">@mei</span> &lt;b&gt;see&lt;/b&gt; this' in page
    assert 'data-mentions="' in page
    assert "js/mentions.js" in page


def test_every_comment_box_on_a_version_offers_the_completion(client, version, people):
    """The new thread's box, the reply's, the edit's; not the resolution's."""
    thread = services.thread_start(version=version, user=people["member"], body="Unclear.")
    client.force_login(people["member"])
    address = f'data-mentions="{people_url(version)[:-3]}"'
    edit = reverse(
        "recommendations:comment_edit",
        kwargs={"pk": version.recommendation_id, "comment": thread.comments.get().pk},
    )
    for page in [version.get_absolute_url(), thread.get_absolute_url(), edit]:
        html = client.get(page).content.decode()
        assert html.count(address) == 1, page
        assert "js/mentions.js" in html
    # Incorporated, but in no revision: the resolution's form again.
    refused = client.post(
        reverse(
            "recommendations:resolve", kwargs={"pk": version.recommendation_id, "thread": thread.pk}
        ),
        {"outcome": "incorporated"},
    )
    assert refused.status_code == 422
    assert "data-mentions" not in refused.content.decode()


# The completion.
def people_url(version, query="") -> str:
    address = reverse(
        "recommendations:mention_people",
        kwargs={"pk": version.recommendation_id, "version": version.pk},
    )
    return f"{address}?q={query}"


def test_anonymous_is_sent_to_sign_in(client, version):
    response = client.get(people_url(version, "m"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["outsider", "signed_in", "unassigned_reviewer"])
def test_a_stranger_to_the_version_gets_nothing(client, version, people, who):
    """Another group's member, someone signed in with no role, a reviewer not assigned
    to this version: the version does not exist for them."""
    if who == "signed_in":
        stranger = UserFactory(username="sam")
    elif who == "unassigned_reviewer":
        stranger = UserFactory(username="remy")
        MembershipFactory(user=stranger, working_group=WorkingGroupFactory(), role=Role.REVIEWER)
    else:
        stranger = people["outsider"]
    client.force_login(stranger)
    assert client.get(people_url(version, "m")).status_code == 404


@pytest.mark.parametrize("who", ["member", "coordinator", "reviewer", "core"])
def test_who_may_read_the_version_gets_those_who_may_too(
    client, version, people, core_team_user, who
):
    people["core"] = core_team_user
    UserFactory(username="meira", first_name="Meira")  # matches, but has no part in it
    client.force_login(people[who])
    answer = client.get(people_url(version, "mei")).json()
    usernames = [person["username"] for person in answer["people"]]
    assert usernames == ["mei"]  # not Meiko (closed), nor Meira
    assert answer["people"][0] == {"username": "mei", "name": "Mei Lin"}
    # By name too, and the reviewer and the core team are listed as readers.
    assert [p["username"] for p in client.get(people_url(version, "Aziz")).json()["people"]] == [
        "rania"
    ]
    core = client.get(people_url(version, core_team_user.username[:4])).json()["people"]
    assert core_team_user.username in [p["username"] for p in core]


def test_the_completion_never_shows_an_address(client, version, people):
    client.force_login(people["member"])
    body = client.get(people_url(version, "mei")).content.decode()
    assert "mei" in body
    assert "@example.org" not in body
    assert client.get(people_url(version, "mei@")).json() == {"people": []}
    assert client.get(people_url(version, "")).json() == {"people": []}


def test_a_reviewer_who_declined_is_not_listed(client, version, people):
    ReviewAssignment.objects.filter(reviewer=people["reviewer"]).update(
        status=ReviewAssignment.Status.DECLINED, decline_reason="No time."
    )
    client.force_login(people["member"])
    assert client.get(people_url(version, "rania")).json() == {"people": []}


@pytest.mark.parametrize("size", [3, 30])
def test_the_completion_takes_the_same_queries_however_many_match(
    client, version, people, working_group, size
):
    for number in range(size):
        MembershipFactory(
            user=UserFactory(username=f"member{number:02}", first_name="Member"),
            working_group=working_group,
        )
    client.force_login(people["member"])
    client.get(people_url(version, "me"))  # the session, once
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(people_url(version, "me")).json()
    # Kofi Mensah, Mei Lin and the new members.
    assert len(answer["people"]) == min(size + 2, MENTION_CHOICES)
    # The session and its user, the version, the candidates, the read rule asked of them.
    assert len(queries) == 5, [query["sql"] for query in queries.captured_queries]
