"""Those who watch a recommendation hear when it is published in an iteration and when it
is merged into the synthesis (recommendations/services/notices.py), through the ledger: in
their language, as they chose, never the person who did it, never a title the public may
not read yet."""

import pytest

from groups.models import Role, WorkingGroup
from recommendations import services
from recommendations.services.watching import watch_set
from strategy import notices
from strategy.models import Delivery, Notice, Topic
from tests.factories import MembershipFactory, UserFactory, iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(working_group):
    found = {
        "coordinator": UserFactory(username="kofi", first_name="Kofi", last_name="Mensah"),
        "member": UserFactory(
            username="mei", first_name="Mei", last_name="Lin", language="zh-hans"
        ),
        "quiet": UserFactory(username="ana", first_name="Ana", last_name="Silva"),
        "follower": UserFactory(username="chen", first_name="Chen", last_name="Wu"),
        "stranger": UserFactory(username="olu", first_name="Olu", last_name="Ade"),
    }
    MembershipFactory(user=found["coordinator"], working_group=working_group, role=Role.COORDINATOR)
    MembershipFactory(user=found["member"], working_group=working_group, role=Role.MEMBER)
    MembershipFactory(user=found["quiet"], working_group=working_group, role=Role.MEMBER)
    return found


def told(kind):
    return set(Notice.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_publishing_tells_those_who_watch_it_but_the_publisher(
    working_group, people, mailoutbox, django_capture_on_commit_callbacks
):
    draft = make(working_group, people["coordinator"], title="Transparency")
    watch_set(user=people["follower"], target=draft, watching=True)
    watch_set(user=people["quiet"], target=working_group, watching=False)
    second = iteration("second-iteration", "Second iteration")
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_publish(
            recommendation=draft, user=people["coordinator"], iteration=second
        )
    # Members watch their group's by default; Ana stopped watching the group; Chen, who is
    # in no group, chose to watch it; Kofi published it.
    assert told("watched.published") == {"mei", "chen"}
    by_person = {message.to[0]: message for message in mailoutbox}
    chinese = by_person[people["member"].email]
    assert chinese.subject == "1. Transparency 已发布于 Second iteration"
    assert "List-Unsubscribe" in chinese.extra_headers
    english = by_person[people["follower"].email]
    assert english.subject == "1. Transparency was published in Second iteration"
    assert "/recommendations/" in english.body
    notice = Notice.objects.get(kind="watched.published", recipient=people["follower"])
    assert notice.url == draft.get_public_url()
    assert notice.topic == Topic.WATCHED


def test_a_watcher_who_turned_the_topic_off_reads_it_only_in_the_list(
    working_group, people, mailoutbox, django_capture_on_commit_callbacks
):
    notices.preference_set(user=people["member"], topic=Topic.WATCHED, delivery=Delivery.OFF)
    draft = make(working_group, people["coordinator"], title="Transparency")
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_publish(
            recommendation=draft, user=people["coordinator"], iteration=iteration("second")
        )
    assert people["member"].email not in [message.to[0] for message in mailoutbox]
    assert Notice.objects.filter(kind="watched.published", recipient=people["member"]).exists()


def test_merging_tells_the_sources_watchers_and_names_the_synthesis_only_once_public(
    working_group, people, mailoutbox, django_capture_on_commit_callbacks
):
    second = iteration("second-iteration", "Second iteration")
    source = make(working_group, people["coordinator"], title="Transparency")
    version = services.recommendation_publish(
        recommendation=source, user=people["coordinator"], iteration=second
    )
    synthesis = WorkingGroup.objects.create(
        name_en="Synthesis", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
    )
    writer = UserFactory(username="wanjiru")
    MembershipFactory(user=writer, working_group=synthesis, role=Role.WRITER)
    synthesized = make(synthesis, writer, title="Secret working title")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.source_link(synthesized=synthesized, source_version=version, user=writer)
    assert told("watched.merged") == {"kofi", "mei", "ana"}
    bodies = " ".join(message.body for message in mailoutbox)
    assert "Secret working title" not in bodies
    assert "not published yet" in bodies

    Notice.objects.filter(kind="watched.merged").delete()
    services.recommendation_publish(recommendation=synthesized, user=writer, iteration=second)
    other = make(working_group, people["coordinator"], title="Diversity")
    other_version = services.recommendation_publish(
        recommendation=other, user=people["coordinator"], iteration=second
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.source_link(synthesized=synthesized, source_version=other_version, user=writer)
    english = next(message for message in mailoutbox if message.to[0] == people["quiet"].email)
    assert '"Secret working title"' in english.body
    assert english.subject == "2. Diversity was merged into the synthesis"
