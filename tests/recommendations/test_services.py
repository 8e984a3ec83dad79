import pytest

from recommendations import selectors, services
from recommendations.models import Recommendation
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db


def latest_id(recommendation):
    return selectors.revision_latest(recommendation=recommendation).history_id


def test_every_save_is_a_revision_with_author_time_and_summary(working_group, user_factory):
    alice, bob = user_factory(first_name="Alice"), user_factory(first_name="Bob")
    draft = make(working_group, alice)
    services.recommendation_update(
        recommendation=draft,
        user=bob,
        title="Transparency",
        summary="A summary.",
        body="First paragraph, better.\n",
        base_revision=latest_id(draft),
        edit_summary="Sharper first paragraph",
    )
    revisions = list(selectors.revision_list(recommendation=draft))
    assert [r.revision_number for r in revisions] == [2, 1]
    assert revisions[0].history_user == bob
    assert revisions[0].history_change_reason == "Sharper first paragraph"
    assert revisions[1].history_user == alice
    assert revisions[0].history_date > revisions[1].history_date
    assert revisions[0].size - revisions[0].previous_size == len(", better")


def test_numbers_follow_the_group_highest_number(working_group, user):
    first = make(working_group, user)
    make(working_group, user, number="6A")
    third = make(working_group, user)
    assert (first.number, third.number) == ("1", "7")
    assert third.rank == 3


def test_saving_the_same_text_writes_no_revision(working_group, user):
    draft = make(working_group, user)
    services.recommendation_update(
        recommendation=draft,
        user=user,
        title="Transparency",
        summary="A summary.",
        body="First paragraph.\n",
        base_revision=latest_id(draft),
    )
    assert draft.history.count() == 1


def test_a_stale_save_that_merges_cleanly_is_saved_and_says_it_was_merged(
    working_group, user_factory
):
    """Alice and Bob changed different paragraphs from the same revision: Bob's save keeps
    both, as a revision of his saying it was merged with Alice's changes."""
    alice = user_factory(first_name="Alice", last_name="Ade")
    bob = user_factory(first_name="Bob")
    draft = make(working_group, alice, body="One.\n\nTwo.\n")
    base = latest_id(draft)
    text = {"title": "Transparency", "summary": "A summary."}
    services.recommendation_update(
        recommendation=draft, user=alice, body="One, by Alice.\n\nTwo.\n", base_revision=base,
        **text,
    )  # fmt: skip
    services.recommendation_update(
        recommendation=draft, user=bob, body="One.\n\nTwo, by Bob.\n", base_revision=base,
        edit_summary="Second point", **text,
    )  # fmt: skip
    assert Recommendation.objects.get(pk=draft.pk).body_en == "One, by Alice.\n\nTwo, by Bob.\n"
    latest = draft.history.first()
    assert latest.history_user == bob
    assert latest.history_change_reason == "Second point (merged with the changes of Alice Ade)"
    assert draft.history.count() == 3


def test_a_stale_save_that_conflicts_raises_with_the_merge_and_writes_nothing(
    working_group, user_factory
):
    alice, bob = user_factory(first_name="Alice"), user_factory(first_name="Bob")
    draft = make(working_group, alice, body="One.\n\nTwo.\n")
    base = latest_id(draft)
    text = {"title": "Transparency", "summary": "A summary."}
    services.recommendation_update(
        recommendation=draft, user=alice, body="One, by Alice.\n\nTwo.\n", base_revision=base,
        **text,
    )  # fmt: skip
    with pytest.raises(services.EditConflict) as raised:
        services.recommendation_update(
            recommendation=draft, user=bob, body="One, by Bob.\n\nTwo.\n",
            base_revision=base, **text,
        )  # fmt: skip
    conflict = raised.value
    assert conflict.conflicts == 1
    assert conflict.theirs["body"] == "One, by Alice.\n\nTwo.\n"
    assert conflict.yours["body"] == "One, by Bob.\n\nTwo.\n"
    assert conflict.latest.history_user == alice
    assert draft.history.count() == 2


def test_an_unknown_base_is_a_conflict_not_an_overwrite(working_group, user):
    draft = make(working_group, user)
    with pytest.raises(services.EditConflict):
        services.recommendation_update(
            recommendation=draft,
            user=user,
            title="T",
            summary="",
            body="Replaced",
            base_revision=None,
        )


def test_restore_is_a_new_revision(working_group, user):
    draft = make(working_group, user, revisions=3)
    services.recommendation_restore(recommendation=draft, user=user, number=1)
    draft.refresh_from_db()
    assert draft.body_en == "First paragraph.\n"
    revisions = list(selectors.revision_list(recommendation=draft))
    assert len(revisions) == 4
    assert revisions[0].history_change_reason == "Restored revision 1"
    with pytest.raises(Recommendation.DoesNotExist):
        services.recommendation_restore(recommendation=draft, user=user, number=9)


def test_ranking_is_kept_in_history(working_group, user):
    a, b, c = (make(working_group, user, title=t) for t in "abc")
    changed = services.recommendation_rank(
        working_group=working_group, user=user, order=[c.pk, a.pk]
    )
    ranks = dict(Recommendation.objects.values_list("pk", "rank"))
    assert ranks == {c.pk: 1, a.pk: 2, b.pk: None}
    assert changed == 3
    assert c.history.first().history_change_reason == "Ranking changed"
    assert c.history.first().rank == 1


def test_editing_in_another_language_still_edits_the_source(working_group, user):
    from django.utils import translation

    draft = make(working_group, user)
    with translation.override("zh-hans"):
        services.recommendation_update(
            recommendation=draft,
            user=user,
            title="透明",
            summary="",
            body="",
            base_revision=latest_id(draft),
        )
    draft.refresh_from_db()
    assert draft.title_en == "透明"
    assert draft.title_zh_hans in (None, "")
