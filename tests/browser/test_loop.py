"""The collaboration loop through every role, in the browser, with the demo's accounts:
the reviewer comments on a version assigned to them; a member of the group sees the notice,
opens it, lands on the thread and replies; the reviewer sees the reply; the reviewer marks
the review done and the coordinator sees it; a community member's feedback reaches the
connector's "Needs me"; the connector's triage reaches the community member, with the
public page of "you said, we did". Each step's e-mail goes to the right people, in their
language, with the link that stops its topic, and never to whoever acted.

A notice about a thread waits a few minutes for others about it (NOTICE_GATHER_SECONDS),
and new feedback waits for its batch: here the wait is none for threads, and the feedback
batch is gathered explicitly, as the sweep would once its hour is over."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from groups.models import Membership
from recommendations.models import Recommendation, ReviewAssignment, Thread
from recommendations.selectors.reading import public_title
from strategy import notices
from strategy.models import Delivery, Notice, Topic

pytestmark = pytest.mark.browser

User = get_user_model()


def to(mailoutbox, person, since=0):
    """The e-mails sent to `person` from the `since`-th on."""
    return [message for message in mailoutbox[since:] if message.to == [person.email]]


def unread(person) -> int:
    return notices.notices_listed(user=person).filter(read_at__isnull=True).count()


def unsubscribe_path(message) -> str:
    link = re.search(r"https?://\S+/notifications/unsubscribe/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    return re.sub(r"^https?://[^/]+", "", link)


def listed(page, notice):
    """The notice in the person's list of notifications: the button that opens it."""
    return page.locator(f"button[formaction='{reverse('notices:open', args=[notice.pk])}']")


def gather_feedback_batch():
    """What the sweep does once the feedback batch has waited its hour."""
    later = timezone.now() + timedelta(hours=2)
    for recipient_id, gather_key in notices.notices_gathering_due(now=later):
        notices.notices_gather(recipient_id=recipient_id, gather_key=gather_key, now=later)


def test_the_loop_through_every_role(
    demo, page, open_as, browser, live_server, mailoutbox, settings, shot
):
    settings.NOTICE_GATHER_SECONDS = 0
    people = {
        user.username: user
        for user in User.objects.filter(
            username__in=["reviewer", "member", "coordinator", "connector", "community"]
        )
    }
    reviewer, mei, kofi = people["reviewer"], people["member"], people["coordinator"]
    carlos, chen = people["connector"], people["community"]
    # Two of them read in a language of their own (a third chooses theirs below, in the browser).
    User.objects.filter(pk=mei.pk).update(language="zh-hans")
    User.objects.filter(pk=kofi.pk).update(language="arz")
    assignment = ReviewAssignment.objects.select_related("version__recommendation").get(
        reviewer=reviewer
    )
    version = assignment.version
    title = f"{version.recommendation.number}. {version.source_title}"
    mei_unread = unread(mei)

    # 1. The reviewer signs in and comments on the version assigned to them.
    page.goto("/accounts/login/")
    page.get_by_label("User name or e-mail address").fill("reviewer")
    page.get_by_label("Password", exact=True).fill("strategy-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Needs me")
    page.goto(version.get_absolute_url())
    page.get_by_role("textbox", name="Comment", exact=True).fill("Who pays for the training?")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.locator(".comments").first).to_contain_text("Who pays for the training?")
    thread = Thread.objects.get(version=version, comments__body="Who pays for the training?")

    # The group's people hear of it, each once; the reviewer, who wrote it, does not.
    group_people = set(
        User.objects.filter(
            memberships__in=Membership.objects.active().filter(
                working_group=version.recommendation.working_group
            ),
            is_active=True,
        ).values_list("email", flat=True)
    )
    assert {mei.email, kofi.email} <= group_people
    assert reviewer.email not in group_people
    assert sorted(message.to[0] for message in mailoutbox) == sorted(group_people)
    (to_mei,) = to(mailoutbox, mei)
    assert to_mei.subject == f"Rania Haddad 对 {title} 发表了新评论"
    assert "Who pays for the training?" in to_mei.body
    assert "/zh-hans/notifications/unsubscribe/" in to_mei.body
    (to_kofi_comment,) = to(mailoutbox, kofi)
    assert to_kofi_comment.subject == f"تعليق جديد من Rania Haddad على {title}"

    # 2. A member of the group sees it in the header and the list, opens it, replies.
    member_page = open_as(mei)
    member_page.goto(reverse("workspace"))
    badge = member_page.get_by_role("navigation", name="Main").locator(
        f"a[href='{reverse('notices:list')}'] .badge"
    )
    expect(badge).to_have_text(str(mei_unread + 1))
    member_page.goto(reverse("notices:list"))
    opening = thread.comments.get()
    notice = listed(member_page, Notice.objects.get(key=f"comment:{opening.pk}:{mei.pk}"))
    expect(notice).to_have_text(f"Unread: Rania Haddad 对 {title} 发表了新评论")
    shot("member-notified", target=member_page)
    notice.click()
    expect(member_page).to_have_url(
        re.compile(rf"/zh-hans/.*/threads/{thread.pk}/#comment-{opening.pk}$")
    )
    expect(member_page.locator(f"#comment-{opening.pk}")).to_contain_text("Who pays")
    # The thread's page is in her language: the reply form is found by its field.
    expect(member_page.locator("html")).to_have_attribute("lang", "zh-hans")
    sent = len(mailoutbox)
    reply_form = member_page.locator("form:has(textarea[name=body])").last
    reply_form.locator("textarea[name=body]").fill("The group's own budget.")
    reply_form.locator("button[type=submit]").click()
    reply = thread.comments.get(author=mei)
    expect(member_page.locator(f"#comment-{reply.pk}")).to_contain_text("The group's own budget.")
    assert unread(mei) == mei_unread

    # 3. The reviewer sees the reply, by e-mail and in the list.
    (to_reviewer,) = to(mailoutbox, reviewer, sent)
    assert to_reviewer.subject == f"Mei Lin replied in a thread on {title}"
    assert "The group's own budget." in to_reviewer.body
    assert to(mailoutbox, mei, sent) == []
    page.goto(reverse("notices:list"))
    replied = listed(page, Notice.objects.get(key=f"comment:{reply.pk}:{reviewer.pk}"))
    expect(replied).to_have_text(f"Unread: Mei Lin replied in a thread on {title}")
    replied.click()
    expect(page).to_have_url(re.compile(rf"/threads/{thread.pk}/#comment-{reply.pk}$"))

    # 4. The reviewer marks the review done; the coordinator sees it.
    sent = len(mailoutbox)
    page.goto(reverse("reviews"))
    page.locator(f"#assignment-{assignment.pk}").get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as done.")
    (to_kofi,) = to(mailoutbox, kofi, sent)
    assert to_kofi.subject == f"Rania Haddad خلّص مراجعة {title}"
    assert "/arz/notifications/unsubscribe/" in to_kofi.body
    # The demo's assignment is weekly: the reviewer hears only of the next one, not of the
    # review they marked done.
    following = ReviewAssignment.objects.get(previous=assignment)
    keys = [message.extra_headers["X-Notice-Key"] for message in to(mailoutbox, reviewer, sent)]
    assert keys == [f"review.assigned:{following.pk}:{reviewer.pk}:once"]
    coordinator_page = open_as(kofi)
    coordinator_page.goto(reverse("notices:list"))
    done = listed(coordinator_page, Notice.objects.get(recipient=kofi, kind="review.completed"))
    expect(done).to_contain_text(f"Rania Haddad خلّص مراجعة {title}")
    shot("coordinator-review-done", target=coordinator_page)
    done.click()
    expect(coordinator_page).to_have_url(
        re.compile(re.escape(f"#assignment-{assignment.pk}") + "$")
    )

    # 5. A community member gives feedback on a published recommendation; it reaches the
    # connector's "Needs me" at once, and their e-mail with its batch.
    published = (
        Recommendation.objects.filter(published_version__isnull=False)
        .order_by("working_group__slug", "number")
        .first()
    )
    connector_page = open_as(carlos)
    connector_page.goto(reverse("needs_me"))
    waiting = connector_page.get_by_role("navigation", name="Main").locator(".needs-me-count")
    before = int(waiting.text_content()) if waiting.count() else 0
    sent = len(mailoutbox)
    community_page = open_as(chen)
    # The community member chooses, on their preferences page, to hear in Chinese.
    community_page.goto(reverse("notices:preferences"))
    community_page.get_by_label("Language of notices").select_option("zh-hans")
    community_page.get_by_role("button", name="Save").click()
    expect(community_page.get_by_role("status")).to_contain_text("Your preferences are saved.")
    community_page.goto(published.get_public_url())
    community_page.get_by_role("textbox", name="Comment", exact=True).fill(
        "Please publish it in Chinese too."
    )
    community_page.get_by_role("button", name="Publish my comment").click()
    expect(community_page.get_by_role("status")).to_contain_text("your comment is published")
    feedback = Thread.objects.get(public=True, comments__body="Please publish it in Chinese too.")
    assert to(mailoutbox, carlos, sent) == []  # it waits for its batch
    connector_page.goto(reverse("needs_me"))
    expect(waiting).to_have_text(str(before + 1))
    item = connector_page.locator(f"a[href='{reverse('feedback:triage', args=[feedback.pk])}']")
    expect(item).to_contain_text("Triage feedback")
    shot("connector-needs-me", target=connector_page)
    gather_feedback_batch()
    (to_carlos,) = to(mailoutbox, carlos, sent)
    about = f"{published.number}. {public_title(published)}"
    assert to_carlos.subject == f"New community feedback on {about}"
    assert "Chen Yu gave feedback, waiting for its outcome:" in to_carlos.body
    assert "Please publish it in Chinese too." in to_carlos.body
    assert "/notifications/unsubscribe/" in to_carlos.body
    assert to(mailoutbox, chen, sent) == []

    # 6. The connector triages it; the community member hears what became of it, with the
    # public page of what they said and what was done.
    sent = len(mailoutbox)
    item.click()
    connector_page.get_by_role("radio", name="Answered").check()
    connector_page.get_by_label("Note").fill("A translation is under way.")
    connector_page.get_by_role("button", name="Record the outcome").click()
    expect(connector_page.get_by_role("status")).to_contain_text("Outcome recorded.")
    connector_page.goto(reverse("needs_me"))
    expect(waiting).to_have_count(1 if before else 0)
    if before:
        expect(waiting).to_have_text(str(before))
    (to_chen,) = to(mailoutbox, chen, sent)
    with translation.override("zh-hans"):
        about = f"{published.number}. {public_title(published)}"
        thread_page = reverse("public:feedback_thread", args=[feedback.pk])
    assert to_chen.subject == f"您对 {about} 的反馈的处理结果:已答复"
    assert "您说:\n> Please publish it in Chinese too." in to_chen.body
    assert "A translation is under way." in to_chen.body
    assert thread_page.startswith("/zh-hans/")
    assert f"{settings.SITE_URL}{thread_page}" in to_chen.body
    assert "/zh-hans/notifications/unsubscribe/" in to_chen.body
    assert to(mailoutbox, carlos, sent) == []
    community_page.goto(reverse("notices:list"))
    outcome = listed(community_page, Notice.objects.get(recipient=chen, kind="feedback.outcome"))
    expect(outcome).to_contain_text(to_chen.subject)
    outcome.click()
    expect(community_page).to_have_url(re.compile(re.escape(thread_page) + "$"))
    expect(community_page.locator("main")).to_contain_text("A translation is under way.")
    shot("you-said-we-did", target=community_page)

    # 7. Each e-mail's link stops its topic, for its recipient only, without signing in.
    stranger = browser.new_context(base_url=live_server.url).new_page()
    for message, person, topic in [
        (to_mei, mei, Topic.COMMENTS),
        (to_reviewer, reviewer, Topic.COMMENTS),
        (to_kofi, kofi, Topic.REVIEW_ANSWERS),
        (to_carlos, carlos, Topic.FEEDBACK),
        (to_chen, chen, Topic.FEEDBACK),
    ]:
        assert notices.delivery_for(user=person, topic=topic) == Delivery.IMMEDIATE
        stranger.goto(unsubscribe_path(message))
        stranger.locator("main form button[type=submit]").click()
        expect(stranger.get_by_role("status")).to_be_visible()
        assert notices.delivery_for(user=person, topic=topic) == Delivery.OFF
    assert notices.delivery_for(user=kofi, topic=Topic.COMMENTS) == Delivery.IMMEDIATE
    assert not Notice.objects.filter(recipient=reviewer, kind="comment.new").exists()
    stranger.context.close()
