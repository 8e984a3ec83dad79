import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from groups.models import Role
from recommendations import presence, selectors, services
from tests.factories import MembershipFactory, review_version
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    # A session's first request writes its idle limit (strategy/sessions.py); the query
    # counts measure the requests after it. (Not the workspace: it keeps what it renders
    # until a change is committed, which a test's are not.)
    client.get(reverse("watching:list"))
    return client


def add_revisions(recommendation, user, count):
    for index in range(count):
        recommendation = services.recommendation_update(
            recommendation=recommendation,
            user=user,
            title=recommendation.title_en,
            summary="",
            body=f"Body {index}\n",
            base_revision=selectors.revision_latest(recommendation=recommendation).history_id,
        )
    return recommendation


# Each page's own, and 3 for the header's count of what needs the member (their roles and
# permissions: strategy/needs_me.py); the history's and the diff's own include their
# revisions' co-authors.
@pytest.mark.parametrize(
    ("url_name", "queries"), [("recommendations:history", 8), ("recommendations:diff", 10)]
)
def test_history_and_diff_queries_do_not_grow_with_revisions(
    member_client, member, working_group, django_assert_num_queries, url_name, queries
):
    """At 5 and at 200 revisions, the history page and the diff page run the same queries."""
    few = make(working_group, member, revisions=5)
    many = add_revisions(make(working_group, member), member, 199)
    assert many.history.count() == 200
    for recommendation in (few, many):
        with django_assert_num_queries(queries):
            response = member_client.get(reverse(url_name, args=[recommendation.pk]))
        assert response.status_code == 200


def test_history_lists_revisions_newest_first_with_authors_and_pages(
    member_client, member, working_group
):
    recommendation = add_revisions(make(working_group, member), member, 59)
    html = member_client.get(reverse("recommendations:history", args=[recommendation.pk])).content
    html = html.decode()
    assert html.index("#60") < html.index("#59")
    assert "#10" not in html  # on page 2
    assert "Page 1 of 2" in html
    assert "Mei Lin" in html
    page_two = member_client.get(
        reverse("recommendations:history", args=[recommendation.pk]), {"page": 2}
    ).content.decode()
    assert "#1<" in page_two.replace("</a>", "<")


WORKSPACE_WARM_QUERIES = 4


def test_workspace_queries_do_not_grow(
    member_client, member, working_group, working_group_factory, django_assert_num_queries
):
    make(working_group, member)
    # 3 of them the header's count of what needs the member (strategy/needs_me.py).
    with django_assert_num_queries(7):
        member_client.get(reverse("workspace"))
    for index in range(3):
        other = working_group_factory()
        MembershipFactory(user=member, working_group=other)
        for _ in range(10):
            make(other, member, title=f"Recommendation {index}")
    # Once more, the groups whose suggestions they decide on being others: counted again.
    with django_assert_num_queries(9):
        response = member_client.get(reverse("workspace"))
    assert response.content.decode().count("state-draft") == 31


def test_workspace_lists_open_review_threads_with_their_comments_at_the_same_queries(
    member_client,
    member,
    working_group,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """The open review threads of the member's groups, each with how many comments it has
    (counted for the listed threads only), at the same queries for one thread of one
    comment as for four with more."""
    version = review_version(working_group, member, name="Round one")
    services.thread_start(version=version, user=member, body="First look")
    with django_assert_num_queries(7):
        html = member_client.get(reverse("workspace")).content.decode()
    assert "Round one</a>" in html
    assert "1 comment<" in html
    # What the workspace keeps shows the new threads once they are committed; warm, it
    # reads none of its rows, only what every signed-in page reads (the header's counts).
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(3):
            thread = services.thread_start(version=version, user=member, body=f"Point {index}")
            for reply in range(index + 1):
                services.comment_reply(thread=thread, user=member, body=f"Reply {reply}")
    member_client.get(reverse("workspace"))
    with django_assert_num_queries(WORKSPACE_WARM_QUERIES):
        html = member_client.get(reverse("workspace")).content.decode()
    assert html.count("Round one</a>") == 4
    assert html.count("1 comment<") == 1
    for count in (2, 3, 4):
        assert f"{count} comments<" in html


def test_workspace_shows_a_page_of_each_group_and_all_of_one_on_request(
    member_client, member, working_group, working_group_factory, django_assert_num_queries
):
    recommendations = [make(working_group, member, title=f"Item {n}") for n in range(55)]
    for position, recommendation in enumerate(recommendations, start=1):
        recommendation.rank = position
        recommendation.save(update_fields=["rank"])
    html = member_client.get(reverse("workspace")).content.decode()
    assert html.count("state-draft") == 50
    assert "Item 49<" in html
    assert "Item 50<" not in html
    assert f"All 55 recommendations of {working_group.name}" in html
    with django_assert_num_queries(8):
        response = member_client.get(reverse("workspace"), {"group": working_group.slug, "page": 2})
    html = response.content.decode()
    assert html.count("state-draft") == 5
    assert "Item 50<" in html
    assert "Item 54<" in html
    assert "Page 2 of 2" in html
    assert "All my groups" in html
    # Another group's, or no group's, list does not exist for this member.
    other = working_group_factory()
    for slug in (other.slug, "no-such-group"):
        assert member_client.get(reverse("workspace"), {"group": slug}).status_code == 404


def test_diff_shows_words_added_and_removed_in_each_field(member_client, member, working_group):
    recommendation = make(working_group, member, title="Old title", body="Keep this. Drop that.\n")
    services.recommendation_update(
        recommendation=recommendation,
        user=member,
        title="New title",
        summary="A summary.",
        body="Keep this. Add more.\n",
        base_revision=selectors.revision_latest(recommendation=recommendation).history_id,
    )
    html = member_client.get(
        reverse("recommendations:diff", args=[recommendation.pk]), {"from": 1, "to": 2}
    ).content.decode()
    assert "<del>Old</del><ins>New</ins> title" in html
    assert "<del>Drop that.</del><ins>Add more.</ins>" in html
    assert "(unchanged)" in html  # the summary


def test_diff_of_unknown_revisions_is_404(member_client, member, working_group):
    recommendation = make(working_group, member)
    url = reverse("recommendations:diff", args=[recommendation.pk])
    assert member_client.get(url, {"from": 1, "to": 7}).status_code == 404
    assert member_client.get(url, {"from": "x", "to": 1}).status_code == 404


def test_preview_renders_without_saving(member_client, member, working_group):
    recommendation = make(working_group, member)
    latest = selectors.revision_latest(recommendation=recommendation).history_id
    response = member_client.post(
        reverse("recommendations:edit", args=[recommendation.pk]),
        {
            "title": "T",
            "body": "Some **bold** <script>x</script>",
            "base_revision": latest,
            "preview": "1",
        },
    )
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>x" not in html
    assert recommendation.history.count() == 1
    preview = member_client.post(reverse("recommendations:preview"), {"body": "*hi*"})
    assert preview.content.decode().strip() == "<p><em>hi</em></p>"


def test_oversized_body_is_refused_and_kept(member_client, member, working_group, settings):
    settings.RECOMMENDATION_BODY_LIMIT_KB = 200
    recommendation = make(working_group, member)
    latest = selectors.revision_latest(recommendation=recommendation).history_id
    body = "A long text. " * 20_000
    response = member_client.post(
        reverse("recommendations:edit", args=[recommendation.pk]),
        {"title": "T", "body": body, "base_revision": latest, "save": "1"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "the limit is 200 KB" in html
    assert html.count("A long text.") >= 20_000
    assert recommendation.history.count() == 1


@pytest.mark.parametrize("clean", [True, False])
def test_a_stale_save_is_merged_or_shows_the_conflict_screen(
    client, member, working_group, user_factory, clean
):
    """Kofi saved the first paragraph while Mei edited: her change to the second is saved
    merged with his, without asking; her change to the first is a conflict screen."""
    other = user_factory(first_name="Kofi", last_name="Mensah")
    MembershipFactory(user=other, working_group=working_group)
    recommendation = make(working_group, member, body="One.\n\nTwo.\n")
    base = selectors.revision_latest(recommendation=recommendation).history_id
    services.recommendation_update(
        recommendation=recommendation,
        user=other,
        title="Transparency",
        summary="A summary.",
        body="One, said Kofi.\n\nTwo.\n",
        base_revision=base,
    )
    client.force_login(member)
    mine = "One.\n\nTwo, said Mei.\n" if clean else "One, said Mei.\n\nTwo.\n"
    response = client.post(
        reverse("recommendations:edit", args=[recommendation.pk]),
        {
            "title": "Transparency",
            "summary": "A summary.",
            "body": mine,
            "base_revision": base,
            "save": "1",
        },
    )
    if clean:
        assert response.status_code == 302
        recommendation.refresh_from_db()
        assert recommendation.body_en == "One, said Kofi.\n\nTwo, said Mei.\n"
        latest = recommendation.history.first()
        assert latest.history_change_reason == "Merged with the changes of Kofi Mensah"
        assert recommendation.history.count() == 3
        return
    assert response.status_code == 409
    html = response.content.decode()
    assert "Kofi Mensah saved this draft" in html
    assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt;" in html  # the conflict, marked in the textarea
    assert recommendation.history.count() == 2


def test_opening_a_draft_someone_has_open_says_who(client, member, working_group, user_factory):
    other = user_factory(first_name="Kofi", last_name="Mensah")
    MembershipFactory(user=other, working_group=working_group)
    recommendation = make(working_group, member)
    presence.editing_open(recommendation_id=recommendation.pk, user=other)
    client.force_login(member)
    html = client.get(reverse("recommendations:edit", args=[recommendation.pk])).content.decode()
    assert "Kofi Mensah has had this draft open for editing since" in html
    # Saving closes one's own presence.
    presence.editing_close(recommendation_id=recommendation.pk, user=other)
    html = client.get(reverse("recommendations:edit", args=[recommendation.pk])).content.decode()
    assert "has had this draft open" not in html


def test_the_editing_notice_says_just_now_under_a_minute(
    client, member, working_group, user_factory
):
    """The probe: a draft opened seconds ago was "open for editing since 10:03 UTC (0 minutes
    ago)"."""
    other = user_factory(first_name="Kofi", last_name="Mensah")
    MembershipFactory(user=other, working_group=working_group)
    recommendation = make(working_group, member)
    url = reverse("recommendations:edit", args=[recommendation.pk])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        presence.editing_open(recommendation_id=recommendation.pk, user=other)
        client.force_login(member)
        html = client.get(url).content.decode()
        assert "UTC (just now)." in html
        assert "0 minutes" not in html
        # Five minutes on, the draft still open (and seen since): the time it has been open.
        clock.shift(300)
        presence.editing_open(recommendation_id=recommendation.pk, user=other)
        html = client.get(url).content.decode()
    assert "UTC (5\xa0minutes ago)." in html
    assert "just now" not in html


def test_ranking_form_orders_the_group(client, working_group, user_factory):
    coordinator = user_factory()
    MembershipFactory(user=coordinator, working_group=working_group, role=Role.COORDINATOR)
    a, b = make(working_group, coordinator, title="A"), make(working_group, coordinator, title="B")
    client.force_login(coordinator)
    response = client.post(
        reverse("recommendations:ranking", args=[working_group.slug]),
        {f"rank-{a.pk}": "2", f"rank-{b.pk}": "1"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (b.rank, a.rank) == (1, 2)
    bad = client.post(
        reverse("recommendations:ranking", args=[working_group.slug]), {f"rank-{a.pk}": "zero"}
    )
    assert "Enter a whole number." in bad.content.decode()


def test_the_workspace_and_the_ranking_page_tell_a_rank_from_a_number(
    client, working_group, user_factory
):
    """A rank reads "#1" in the column "Rank", apart from the recommendation's own number
    ("2. Transparency"); the unranked say so. The ranking page gives the same ranks, each
    input named "Rank" and its recommendation."""
    coordinator = user_factory()
    MembershipFactory(user=coordinator, working_group=working_group, role=Role.COORDINATOR)
    first = make(working_group, coordinator, title="Accountability")
    second = make(working_group, coordinator, title="Transparency")
    client.force_login(coordinator)
    client.post(
        reverse("recommendations:ranking", args=[working_group.slug]),
        {f"rank-{second.pk}": "1"},
    )
    html = client.get(reverse("workspace")).content.decode()
    assert '<th scope="col">Rank</th>' in html
    assert '<span class="rank"><span class="rank-label">Rank </span>#1</span>' in html
    assert f"{second.number}. Transparency</a>" in html
    assert '<span class="rank-label">Rank: </span>not ranked' in html
    assert html.index("Transparency") < html.index("Accountability")
    ranking = client.get(reverse("recommendations:ranking", args=[working_group.slug]))
    ranking = ranking.content.decode()
    assert '<th scope="col" id="rank-heading">Rank</th>' in ranking
    assert f'aria-labelledby="rank-heading rank-of-{second.pk}"' in ranking
    assert f'id="rank-of-{second.pk}" dir="auto">{second.number}. Transparency</label>' in ranking
    assert f'name="rank-{second.pk}" value="1"' in ranking
    assert f'name="rank-{first.pk}" aria' in ranking  # no value: unranked
    assert ranking.count("<ol") == 0  # no list numbers beside the numbers and the ranks
