"""Everyone hears what concerns them: comments, replies, reviewers' answers, resolved
threads, community feedback and its outcome, stale translations. Each notice goes through
the ledger (once, in the recipient's language, as they chose, with the link that stops its
topic), never to whoever caused it, never about what the recipient may not read."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import Role, WorkingGroup
from recommendations import selectors, services
from recommendations.models import ReviewAssignment, Thread
from strategy import notices
from strategy.models import Delivery, Notice, Topic
from tests.factories import (
    MembershipFactory,
    UserFactory,
    WorkingGroupFactory,
    iteration,
    recommendation,
    review_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(working_group):
    """A group with a coordinator, two members and a reviewer from elsewhere, and people
    with no part in it."""
    found = {
        "coordinator": UserFactory(username="kofi", first_name="Kofi", last_name="Mensah"),
        "member": UserFactory(username="mei", first_name="Mei", last_name="Lin"),
        "other_member": UserFactory(username="ana", first_name="Ana", last_name="Silva"),
        "reviewer": UserFactory(username="rania", first_name="Rania", last_name="Aziz"),
        "outsider": UserFactory(username="olu", first_name="Olu", last_name="Ade"),
        "other_group": UserFactory(username="jan", first_name="Jan", last_name="Berg"),
    }
    MembershipFactory(user=found["coordinator"], working_group=working_group, role=Role.COORDINATOR)
    MembershipFactory(user=found["member"], working_group=working_group, role=Role.MEMBER)
    MembershipFactory(user=found["other_member"], working_group=working_group, role=Role.MEMBER)
    elsewhere = WorkingGroupFactory(slug="elsewhere", name="Elsewhere")
    MembershipFactory(user=found["reviewer"], working_group=elsewhere, role=Role.REVIEWER)
    MembershipFactory(user=found["other_group"], working_group=elsewhere, role=Role.MEMBER)
    return found


@pytest.fixture
def version(working_group, people):
    return review_version(working_group, people["coordinator"], title="Transparency")


def told(kind):
    """Who was told, by user name, of the notices of `kind`."""
    return set(Notice.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def three_replies_gathered(version, people, capture):
    """Ana replies three times to Mei's thread; the notices have waited their time."""
    thread = services.thread_start(version=version, user=people["member"], body="Unclear.")
    with capture(execute=True):
        for number in range(3):
            services.comment_reply(
                thread=thread, user=people["other_member"], body=f"Reply number {number}."
            )
        gather_all()
    return thread


def gather_all(later_by=timedelta(hours=2)):
    """What the sweep does once the notices have waited their time."""
    now = timezone.now() + later_by
    for recipient_id, gather_key in notices.notices_gathering_due(now=now):
        notices.notices_gather(recipient_id=recipient_id, gather_key=gather_key, now=now)


def test_a_new_review_thread_reaches_the_groups_people_but_its_author(
    version, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(
            version=version, user=people["member"], body="The second paragraph is vague."
        )
    assert told("comment.new") == {"kofi", "ana"}
    # Waiting a few minutes for replies that may follow, then one e-mail each.
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        gather_all()
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.org", "kofi@example.org"]
    message = mailoutbox[0]
    assert message.subject == "New comment by Mei Lin on 1. Transparency"
    assert "The second paragraph is vague." in message.body
    comment = thread.comments.get()
    assert (
        f"/workspace/recommendations/{version.recommendation_id}/threads/{thread.pk}/"
        f"#comment-{comment.pk}"
    ) in message.body
    assert "/notifications/unsubscribe/" in message.body


def test_a_reply_reaches_the_participants_and_the_group_not_outsiders(
    version, people, django_capture_on_commit_callbacks
):
    reviewer = people["reviewer"]
    ReviewAssignment.objects.create(
        version=version,
        reviewer=reviewer,
        assigned_by=people["coordinator"],
        due_on=date(2030, 1, 10),
    )
    thread = services.thread_start(version=version, user=reviewer, body="Unclear.")
    services.comment_reply(thread=thread, user=people["member"], body="Clearer now?")
    # The reviewer who started it is told; so is the group; not the author, nor anyone
    # with no part in it.
    assert told("comment.reply") == {"rania", "kofi", "ana"}
    assert told("comment.new") == {"kofi", "mei", "ana"}


def test_a_participant_who_may_no_longer_read_the_version_is_not_told(
    version, people, django_capture_on_commit_callbacks
):
    reviewer = people["reviewer"]
    assignment = ReviewAssignment.objects.create(
        version=version,
        reviewer=reviewer,
        assigned_by=people["coordinator"],
        due_on=date(2030, 1, 10),
    )
    thread = services.thread_start(version=version, user=reviewer, body="Unclear.")
    # The reviewer declines: the version's review is no longer theirs to read.
    services.assignment_decline(assignment=assignment, user=reviewer, reason="No time.")
    services.comment_reply(thread=thread, user=people["member"], body="Clearer now?")
    assert "rania" not in told("comment.reply")
    assert told("comment.reply") == {"kofi", "ana"}


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("accept", "review.accepted"),
        ("decline", "review.declined"),
        ("complete", "review.completed"),
    ],
)
def test_a_reviewers_answer_reaches_the_groups_coordinators(
    version, people, working_group, answer, kind, mailoutbox, django_capture_on_commit_callbacks
):
    second = UserFactory(username="second", first_name="Sam", last_name="Two", language="arz")
    MembershipFactory(user=second, working_group=working_group, role=Role.COORDINATOR)
    reviewer = people["reviewer"]
    assignment = services.assignment_create(
        version=version,
        reviewer=reviewer,
        assigned_by=people["coordinator"],
        due_on=date(2030, 1, 10),
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if answer == "accept":
            services.assignment_accept(assignment=assignment, user=reviewer)
        elif answer == "decline":
            services.assignment_decline(assignment=assignment, user=reviewer, reason="No time.")
        else:
            services.assignment_complete(assignment=assignment, user=reviewer)
    # The coordinators, not the members, not the reviewer.
    assert told(kind) == {"kofi", "second"}
    assert len(mailoutbox) == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    english = by_address["kofi@example.org"]
    assert english.subject.startswith("Rania Aziz ")
    assert f"#assignment-{assignment.pk}" in english.body
    arabic = by_address["second@example.org"]
    assert arabic.subject != english.subject
    assert "/arz/" in arabic.body
    assert "/arz/notifications/unsubscribe/" in arabic.body


def test_a_coordinator_who_reviews_is_not_told_of_their_own_answer(
    version, people, django_capture_on_commit_callbacks
):
    coordinator = people["coordinator"]
    assignment = services.assignment_create(
        version=version, reviewer=coordinator, assigned_by=coordinator, due_on=date(2030, 1, 10)
    )
    services.assignment_accept(assignment=assignment, user=coordinator)
    assert told("review.accepted") == set()


def test_a_resolved_thread_reaches_its_participants_but_who_resolved_it(version, people):
    thread = services.thread_start(version=version, user=people["member"], body="Unclear.")
    services.comment_reply(thread=thread, user=people["other_member"], body="Agreed.")
    services.thread_resolve(
        thread=thread, user=people["coordinator"], outcome=Thread.Outcome.ANSWERED, note="Done."
    )
    assert told("thread.resolved") == {"mei", "ana"}
    notice = Notice.objects.get(kind="thread.resolved", recipient=people["member"])
    assert notice.subject == "Thread resolved on 1. Transparency: Answered"
    assert "Kofi Mensah resolved a thread you took part in: Answered." in notice.body
    assert "Done." in notice.body


# Community feedback.
@pytest.fixture
def published(working_group, people):
    made = recommendation(working_group, people["coordinator"], title="Open data")
    return services.recommendation_publish(
        recommendation=made, user=people["coordinator"], iteration=iteration()
    )


@pytest.fixture
def triagers(core_team_user):
    synthesis = WorkingGroupFactory(slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS)
    connector = UserFactory(username="connie", first_name="Connie", language="zh-hans")
    MembershipFactory(user=connector, working_group=synthesis, role=Role.CONNECTOR)
    writer = UserFactory(username="wren")
    MembershipFactory(user=writer, working_group=synthesis, role=Role.WRITER)
    return {"connector": connector, "core": core_team_user, "writer": writer}


def test_new_feedback_reaches_the_connectors_and_the_core_team_in_one_batch(
    published, people, triagers, user_factory, mailoutbox, django_capture_on_commit_callbacks
):
    community = [user_factory(username=f"voice{n}", first_name=f"Voice{n}") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for number, person in enumerate(community):
            services.feedback_start(version=published, user=person, body=f"Idea number {number}.")
    assert told("feedback.new") == {"connie", triagers["core"].username}
    assert Notice.objects.filter(kind="feedback.new").count() == 6
    assert mailoutbox == []
    # Ten minutes on, the batch is still open (an hour).
    with django_capture_on_commit_callbacks(execute=True):
        gather_all(later_by=timedelta(minutes=11))
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        gather_all(later_by=timedelta(minutes=61))
    assert len(mailoutbox) == 2
    connector_mail = next(m for m in mailoutbox if m.to == ["connie@example.org"])
    for number in range(3):
        assert f"Idea number {number}." in connector_mail.body
    assert connector_mail.subject == "3 条关于 1. Open data 的新通知"
    assert "/zh-hans/feedback/" in connector_mail.body


def test_the_author_hears_what_became_of_their_feedback(
    published, people, triagers, user_factory, mailoutbox, django_capture_on_commit_callbacks
):
    author = user_factory(username="amal", first_name="Amal", language="arz")
    supporter = user_factory(username="bo", first_name="Bo")
    thread = services.feedback_start(version=published, user=author, body="Add a glossary.")
    services.feedback_reply(thread=thread, user=supporter, body="Yes, please.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_resolve(
            thread=thread,
            user=triagers["connector"],
            outcome=Thread.Outcome.DECLINED,
            note="Out of the scope of this draft.",
        )
    assert told("feedback.outcome") == {"amal"}
    assert told("thread.resolved") == {"bo"}
    outcome = Notice.objects.get(kind="feedback.outcome")
    assert outcome.url == f"/arz/feedback/{thread.pk}/"
    assert outcome.state == "sent"
    arabic = next(m for m in mailoutbox if m.to == ["amal@example.org"])
    assert "Add a glossary." in arabic.body
    assert "Out of the scope of this draft." in arabic.body
    assert f"/arz/feedback/{thread.pk}/" in arabic.body
    assert "What became" not in arabic.subject


def test_feedback_on_a_withdrawn_recommendation_is_told_to_nobody(
    published, people, triagers, user_factory
):
    author = user_factory(username="amal")
    thread = services.feedback_start(version=published, user=author, body="Add a glossary.")
    services.recommendation_withdraw(
        recommendation=published.recommendation, user=people["coordinator"], reason="Merged."
    )
    services.feedback_reply(thread=thread, user=user_factory(username="bo"), body="Yes.")
    assert told("comment.reply") == set()


# Stale translations.
def test_a_translation_outdated_by_a_new_publication_reaches_that_languages_translators(
    published, people, working_group, user_factory, mailoutbox, django_capture_on_commit_callbacks
):
    permission = Permission.objects.get(codename="translate_recommendation")
    chinese = user_factory(username="li", language="zh-hans")
    arabic = user_factory(username="amr", language="arz")
    german = user_factory(username="uwe", language="de")
    user_factory(username="zed", language="zh-hans")  # no translator
    for person in (chinese, arabic, german):
        person.user_permissions.add(permission)
    current = published.recommendation
    source = services.source_text(published.revision)
    services.translation_save(
        recommendation=current,
        user=chinese,
        language="zh-hans",
        source=source,
        translations={"title": "开放数据", "summary": "摘要。", "body.0": "第一段。"},
    )
    current.refresh_from_db()
    services.recommendation_update(
        recommendation=current,
        user=people["coordinator"],
        base_revision=selectors.revision_latest(recommendation=current).history_id,
        edit_summary="Sharper",
        title="Open data",
        summary="A sharper summary.",
        body="First paragraph, changed.\n",
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_publish(
            recommendation=current,
            user=people["coordinator"],
            iteration=iteration(slug="third", name="Third iteration"),
        )
    # Chinese only: nothing was translated into Arabic or German, so nothing went stale.
    assert told("translation.stale") == {"li"}
    assert "zed" not in told("translation.stale")
    message = mailoutbox[0]
    assert message.to == ["li@example.org"]
    assert "/zh-hans/workspace/" in message.body
    assert "中文" in message.subject or "简体中文" in message.subject


# Preferences.
def test_no_email_keeps_the_notice_in_the_list_and_the_digest_gathers_by_recommendation(
    version, people, mailoutbox, django_capture_on_commit_callbacks
):
    notices.preference_set(user=people["coordinator"], topic=Topic.COMMENTS, delivery=Delivery.OFF)
    notices.preference_set(
        user=people["other_member"], topic=Topic.COMMENTS, delivery=Delivery.DIGEST
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_start(version=version, user=people["member"], body="First remark.")
        gather_all()
    assert mailoutbox == []
    assert Notice.objects.get(recipient=people["coordinator"]).state == "off"
    assert (
        Notice.objects.get(recipient=people["other_member"], kind="comment.new").state == "digest"
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest = notices.digest_create(user=people["other_member"], day=date(2030, 1, 1))
    assert digest is not None
    assert "== 1. Transparency ==" in mailoutbox[0].body
    assert "First remark." in mailoutbox[0].body


def test_three_replies_within_minutes_are_one_email_that_mentions_all_three(
    version, people, mailoutbox, django_capture_on_commit_callbacks
):
    thread = services.thread_start(version=version, user=people["member"], body="Unclear.")
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            services.comment_reply(
                thread=thread, user=people["other_member"], body=f"Reply number {number}."
            )
    assert Notice.objects.filter(recipient=people["member"], kind="comment.reply").count() == 3
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        gather_all(later_by=timedelta(minutes=11))
        gather_all(later_by=timedelta(minutes=12))  # again: nothing more
    to_mei = [m for m in mailoutbox if m.to == ["mei@example.org"]]
    assert len(to_mei) == 1
    for number in range(3):
        assert f"Reply number {number}." in to_mei[0].body
    assert to_mei[0].subject == "3 new notices about 1. Transparency"
    assert set(
        Notice.objects.filter(recipient=people["member"], kind="comment.reply").values_list(
            "state", flat=True
        )
    ) == {"gathered"}


def test_a_reply_to_feedback_reaches_its_participants_only(
    published, people, triagers, user_factory
):
    author = user_factory(username="amal")
    thread = services.feedback_start(version=published, user=author, body="Add a glossary.")
    services.feedback_reply(thread=thread, user=triagers["connector"], body="Which terms?")
    services.feedback_reply(thread=thread, user=author, body="Consensus, quorum.")
    # The community's threads are not the group's review: its members hear of new
    # feedback through the connectors, not of every reply.
    assert set(
        Notice.objects.filter(kind="comment.reply").values_list("recipient__username", "key")
    ) == {
        ("amal", f"comment:{thread.comments.all()[1].pk}:{author.pk}"),
        ("connie", f"comment:{thread.comments.all()[2].pk}:{triagers['connector'].pk}"),
    }


def test_a_reply_and_the_resolution_soon_after_are_one_email(
    version, people, mailoutbox, django_capture_on_commit_callbacks
):
    thread = services.thread_start(version=version, user=people["member"], body="Unclear.")
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply(thread=thread, user=people["coordinator"], body="Reworded it.")
        services.thread_resolve(
            thread=thread, user=people["coordinator"], outcome=Thread.Outcome.ANSWERED
        )
        gather_all(later_by=timedelta(minutes=11))
    to_mei = [m for m in mailoutbox if m.to == ["mei@example.org"]]
    assert len(to_mei) == 1
    assert "Reworded it." in to_mei[0].body
    assert "resolved a thread you took part in" in to_mei[0].body
    assert to_mei[0].subject == "2 new notices about 1. Transparency"


def test_a_notice_alone_in_its_wait_leaves_as_itself(
    version, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_start(version=version, user=people["member"], body="Unclear.")
        # Too early: the wait is not over.
        gather_all(later_by=timedelta(minutes=5))
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        gather_all(later_by=timedelta(minutes=11))
    assert (
        sorted(m.subject for m in mailoutbox) == ["New comment by Mei Lin on 1. Transparency"] * 2
    )
    assert set(Notice.objects.values_list("state", flat=True)) == {"sent"}
    assert not Notice.objects.filter(kind="gathered").exists()


def test_choosing_no_email_during_the_wait_is_honoured(
    version, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_start(version=version, user=people["member"], body="Unclear.")
        notices.preference_set(
            user=people["coordinator"], topic=Topic.COMMENTS, delivery=Delivery.OFF
        )
        gather_all()
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
    assert Notice.objects.get(recipient=people["coordinator"]).state == "off"


def test_the_digest_groups_by_recommendation_newest_first(
    working_group, people, mailoutbox, django_capture_on_commit_callbacks
):
    member = people["other_member"]
    notices.preference_set(user=member, topic=Topic.COMMENTS, delivery=Delivery.DIGEST)
    older = review_version(working_group, people["coordinator"], title="Older one")
    newer = review_version(working_group, people["coordinator"], title="Newer one")
    services.thread_start(version=older, user=people["member"], body="Remark A.")
    services.thread_start(version=newer, user=people["member"], body="Remark B.")
    services.thread_start(version=older, user=people["member"], body="Remark C.")
    services.thread_start(version=newer, user=people["member"], body="Remark D.")
    with django_capture_on_commit_callbacks(execute=True):
        notices.digest_create(user=member, day=date(2030, 1, 1))
    body = mailoutbox[0].body
    positions = [
        body.index(text)
        for text in (
            f"== {newer.recommendation.number}. Newer one ==",
            "Remark D.",
            "Remark B.",
            f"== {older.recommendation.number}. Older one ==",
            "Remark C.",
            "Remark A.",
        )
    ]
    assert positions == sorted(positions)
    assert mailoutbox[0].subject == "Your daily digest: 4 notices"


def test_the_list_of_notifications_shows_each_notice_not_the_email_that_carried_them(
    client, version, people, django_capture_on_commit_callbacks
):
    three_replies_gathered(version, people, django_capture_on_commit_callbacks)
    assert Notice.objects.filter(recipient=people["member"], kind="gathered").count() == 1
    client.force_login(people["member"])
    page = client.get(reverse("notices:list")).content.decode()
    assert page.count("Ana Silva replied in a thread on 1. Transparency") == 3
    assert "3 new notices" not in page


@pytest.mark.parametrize("size", [2, 6])
def test_telling_a_group_takes_the_same_queries_however_many(
    working_group, people, size, django_assert_num_queries
):
    """The read rule is asked of everyone at once, their preferences read at once, the
    notices written at once: as many queries for four people as for eight."""
    for number in range(size):
        MembershipFactory(user=UserFactory(username=f"extra{number}"), working_group=working_group)
    version = review_version(working_group, people["coordinator"])
    thread = services.thread_start(version=version, user=people["member"], body="Unclear.")
    told_people = size + 2  # the extra members, the coordinator, the other member
    with django_assert_num_queries(12):
        services.comment_reply(thread=thread, user=people["member"], body="More.")
    assert Notice.objects.filter(kind="comment.reply").count() == told_people


def test_the_read_rule_asked_at_once_agrees_with_the_permission_cell_by_cell(
    version, people, core_team_user, working_group
):
    """selectors.version_readers and recommendations.view_review are one rule: the
    group, the core team, an assigned reviewer, one who declined, a reviewer of a version
    opened to every reviewer, and people with no part in it."""
    from recommendations.selectors.review import version_readers

    declined = UserFactory(username="declined")
    MembershipFactory(user=declined, working_group=WorkingGroupFactory(), role=Role.REVIEWER)
    ReviewAssignment.objects.create(
        version=version,
        reviewer=people["reviewer"],
        assigned_by=people["coordinator"],
        due_on=date(2030, 1, 10),
    )
    ReviewAssignment.objects.create(
        version=version,
        reviewer=declined,
        assigned_by=people["coordinator"],
        due_on=date(2030, 1, 10),
        status=ReviewAssignment.Status.DECLINED,
        decline_reason="No time.",
    )
    everyone = [*people.values(), core_team_user, declined]
    expected = {"kofi", "mei", "ana", "rania", core_team_user.username}
    by_rule = {p.username for p in everyone if p.has_perm("recommendations.view_review", version)}
    at_once = version_readers(version=version, people=everyone)
    assert by_rule == expected
    assert {p.username for p in everyone if p.pk in at_once} == expected
    open_version = review_version(working_group, people["coordinator"], name="Open to all")
    open_version.open_to_all_reviewers = True
    open_version.save(update_fields=["open_to_all_reviewers"])
    at_once = version_readers(version=open_version, people=everyone)
    by_rule = {
        p.username for p in everyone if p.has_perm("recommendations.view_review", open_version)
    }
    assert {p.username for p in everyone if p.pk in at_once} == by_rule
    assert {"rania", "declined"} <= by_rule
    assert not {"olu", "jan"} & by_rule


@pytest.mark.parametrize("size", [2, 6])
def test_telling_the_triagers_of_new_feedback_takes_the_same_queries_however_many(
    published, triagers, user_factory, size, django_assert_num_queries
):
    synthesis = WorkingGroup.objects.get(slug="synthesis")
    for number in range(size):
        MembershipFactory(
            user=UserFactory(username=f"connector{number}"),
            working_group=synthesis,
            role=Role.CONNECTOR,
        )
    author = user_factory(username="amal")
    # The thread, its comment and the rate limit, then the triagers and the ledger, and the
    # public pages the feedback makes stale (its recommendation's address, for the thread and
    # for the comment): the same for four of them as for eight.
    with django_assert_num_queries(32):
        services.feedback_start(version=published, user=author, body="Add a glossary.")
    assert Notice.objects.filter(kind="feedback.new").count() == size + 2


def test_comments_and_resolutions_are_written_in_each_recipients_language(
    version, people, mailoutbox, django_capture_on_commit_callbacks
):
    chinese, arabic = people["coordinator"], people["other_member"]
    chinese.language, arabic.language = "zh-hans", "arz"
    chinese.save(update_fields=["language"])
    arabic.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(version=version, user=people["member"], body="Unclear.")
        gather_all()
    by_address = {m.to[0]: m for m in mailoutbox}
    zh = by_address["kofi@example.org"]
    assert zh.subject == "Mei Lin 对 1. Transparency 发表了新评论"
    assert "Mei Lin 在 1. Transparency 的“Review 1”上发起了讨论:" in zh.body
    assert f"/zh-hans/workspace/recommendations/{version.recommendation_id}/threads/" in zh.body
    assert "/zh-hans/notifications/unsubscribe/" in zh.body
    arz = by_address["ana@example.org"]
    assert arz.subject == "تعليق جديد من Mei Lin على 1. Transparency"
    assert "/arz/notifications/unsubscribe/" in arz.body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply(thread=thread, user=arabic, body="Agreed.")
        services.thread_resolve(
            thread=thread, user=people["member"], outcome=Thread.Outcome.ANSWERED, note="Done."
        )
        gather_all()
    arz = next(m for m in mailoutbox if m.to == ["ana@example.org"])
    assert arz.subject == "اتقفل نقاش على 1. Transparency: اترد عليه"
    assert "Mei Lin قفل نقاش انت شاركت فيه: اترد عليه." in arz.body
    # The coordinator took no part in the thread: of the reply, not of its resolution.
    [zh] = [m for m in mailoutbox if m.to == ["kofi@example.org"]]
    assert zh.subject == "Ana Silva 在 1. Transparency 的讨论中回复了"
    assert "Ana Silva 回复:" in zh.body


def test_the_unread_count_counts_each_notice_not_the_email_that_carried_them(
    client, version, people, django_capture_on_commit_callbacks
):
    three_replies_gathered(version, people, django_capture_on_commit_callbacks)
    client.force_login(people["member"])
    page = client.get(reverse("notices:list")).content.decode()
    assert '<span class="badge" aria-label="3 unread">3</span>' in page


def test_a_reply_hidden_by_a_moderator_before_its_email_left_is_not_sent(
    published, people, triagers, user_factory, mailoutbox, django_capture_on_commit_callbacks
):
    author = user_factory(username="amal")
    thread = services.feedback_start(version=published, user=author, body="Add a glossary.")
    with django_capture_on_commit_callbacks(execute=True):
        kept = services.feedback_reply(thread=thread, user=triagers["core"], body="Which terms?")
        rude = services.feedback_reply(thread=thread, user=user_factory(), body="Rude words.")
        services.comment_hide(comment=rude, user=triagers["connector"], reason="Insults.")
        gather_all()
    to_amal = [m for m in mailoutbox if m.to == ["amal@example.org"]]
    assert len(to_amal) == 1
    assert "Which terms?" in to_amal[0].body
    assert "Rude words." not in to_amal[0].body
    assert Notice.objects.get(key=f"comment:{rude.pk}:{author.pk}").state == "cancelled"
    assert Notice.objects.get(key=f"comment:{kept.pk}:{author.pk}").state == "sent"
    client = Client()
    client.force_login(author)
    page = client.get(reverse("notices:list")).content.decode()
    assert "Which terms?" in page
    assert "Rude words." not in page
