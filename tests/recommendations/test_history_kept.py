"""What the history page keeps (views/drafting.py recommendation_history: its table of
revisions, kept under the recommendation's updated_at and the people's names) shows a new
revision and a new name at once, is its own in each language, and costs the warm page the
same queries at 3 and 30 revisions."""

import pytest
from django.urls import reverse
from django.utils import translation

from groups.models import Role
from recommendations import selectors, services
from tests.factories import MembershipFactory, recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(working_group, user_factory):
    person = user_factory(first_name="Mei", last_name="Lin")
    MembershipFactory(user=person, working_group=working_group, role=Role.COORDINATOR)
    return person


def history(client, made, language="en") -> str:
    with translation.override(language):
        url = reverse("recommendations:history", args=[made.pk])
    return client.get(url).content.decode()


def revise(made, member, number):
    return services.recommendation_update(
        recommendation=made,
        user=member,
        title="Transparency",
        summary="A summary.",
        body=f"First paragraph.\n\nParagraph {number}.\n",
        base_revision=selectors.revision_latest(recommendation=made).history_id,
        edit_summary=f"Change number {number}",
    )


def test_a_new_revision_and_a_new_name_show_at_once(
    client, member, working_group, django_capture_on_commit_callbacks
):
    made = recommendation(working_group, member, revisions=2)
    client.force_login(member)
    assert "#2" in history(client, made)
    assert "#2" in history(client, made), "kept"
    made.refresh_from_db()
    made = revise(made, member, 3)
    html = history(client, made)
    assert "#3" in html
    assert "Change number 3" in html
    with django_capture_on_commit_callbacks(execute=True):
        member.first_name = "May"
        member.save()
    assert "May Lin" in history(client, made)


def test_each_language_has_its_own(client, member, working_group):
    made = recommendation(working_group, member, revisions=2)
    client.force_login(member)
    with translation.override("zh-hans"):
        compare = translation.gettext("Compare the chosen revisions")
    assert compare != "Compare the chosen revisions"
    assert "Compare the chosen revisions" in history(client, made, "en")
    assert compare in history(client, made, "zh-hans")
    assert "Compare the chosen revisions" in history(client, made, "en")


def test_the_warm_page_costs_the_same_queries_at_3_and_30_revisions(
    client, member, working_group, django_assert_num_queries
):
    made = recommendation(working_group, member, revisions=3)
    client.force_login(member)
    client.get(reverse("workspace"))
    history(client, made)
    with django_assert_num_queries(5) as warm:
        history(client, made)
    queries = len(warm)  # now: the next request empties the connection's log
    for number in range(4, 31):
        made.refresh_from_db()
        made = revise(made, member, number)
    assert "#30" in history(client, made)
    with django_assert_num_queries(queries):
        history(client, made)
