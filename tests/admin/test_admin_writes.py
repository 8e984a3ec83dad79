"""The admin writes through the services: a revision with its author and reason, states
only through the workflow, no bulk deletion of what carries history."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from recommendations import selectors, services
from recommendations.models import Comment, Recommendation, Thread
from tests.factories import CoreTeamFactory, UserFactory, iteration, review_version
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

CHANGE = "admin:recommendations_recommendation_change"
# The inline of source links is shown read-only, but its management form is posted.
NO_LINKS = {"source_links-TOTAL_FORMS": "0", "source_links-INITIAL_FORMS": "0"}


@pytest.fixture
def core(client):
    person = CoreTeamFactory()
    client.force_login(person)
    return person


def change_data(recommendation, **fields):
    latest = selectors.revision_latest(recommendation=recommendation)
    return {
        "title_en": recommendation.title_en,
        "summary_en": recommendation.summary_en,
        "body_en": recommendation.body_en,
        "edit_summary": "Typo in the second paragraph",
        "base_revision": latest.history_id,
        **NO_LINKS,
        **fields,
    }


def test_saving_in_the_admin_records_a_revision_with_its_author_and_reason(
    client, core, working_group, user
):
    recommendation = make(working_group, user, revisions=2)
    response = client.post(
        reverse(CHANGE, args=[recommendation.pk]),
        change_data(recommendation, body_en="Corrected paragraph."),
    )
    assert response.status_code == 302
    latest = selectors.revision_latest(recommendation=recommendation)
    assert latest.body_en == "Corrected paragraph."
    assert latest.history_user == core
    assert latest.history_change_reason == "Typo in the second paragraph"
    assert recommendation.history.count() == 3


def test_the_admin_asks_for_a_change_reason(client, core, working_group, user):
    recommendation = make(working_group, user)
    response = client.post(
        reverse(CHANGE, args=[recommendation.pk]),
        change_data(recommendation, body_en="Other.\n", edit_summary=""),
    )
    assert response.status_code == 200
    assert "edit_summary" in response.context["adminform"].form.errors
    assert recommendation.history.count() == 1


def test_a_stale_admin_edit_does_not_overwrite_a_newer_save(client, core, working_group, user):
    recommendation = make(working_group, user)
    stale = change_data(recommendation, body_en="The admin's text.\n")
    services.recommendation_update(
        recommendation=recommendation,
        user=user,
        base_revision=stale["base_revision"],
        title="Transparency",
        summary="A summary.",
        body="The editor's newer text.\n",
        edit_summary="Newer",
    )
    response = client.post(reverse(CHANGE, args=[recommendation.pk]), stale)
    assert response.status_code == 200
    assert "Someone saved this recommendation" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.body_en == "The editor's newer text.\n"
    assert recommendation.history.count() == 2


def test_fields_the_workflow_owns_cannot_be_posted(
    client, core, working_group, working_group_factory, user
):
    recommendation = make(working_group, user)
    other_group = working_group_factory()
    version = services.recommendation_publish(
        recommendation=make(working_group, user, title="Other one"),
        user=user,
        iteration=iteration(),
    )
    response = client.post(
        reverse(CHANGE, args=[recommendation.pk]),
        change_data(
            recommendation,
            state="published",
            published_version=version.pk,
            last_published_in=version.iteration_id,
            translation_sources='{"arz": {"title": {"fp": "x", "source": "y"}}}',
            title_arz="مزور",
            rank="99",
            working_group=other_group.pk,
            number="77",
        ),
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.state == "draft"
    assert recommendation.published_version is None
    assert recommendation.last_published_in is None
    assert recommendation.translation_sources == {}
    assert not recommendation.title_arz
    assert recommendation.rank == 1
    assert recommendation.working_group == working_group
    assert recommendation.number == "1"


def test_adding_in_the_admin_creates_a_numbered_draft_through_the_service(
    client, core, working_group, user
):
    make(working_group, user)
    response = client.post(
        reverse("admin:recommendations_recommendation_add"),
        {
            "working_group": working_group.pk,
            "number": "",
            "title_en": "From the admin",
            "summary_en": "",
            "body_en": "Text.\n",
            "edit_summary": "Drafted at the meeting",
            "state": "published",
            **NO_LINKS,
        },
    )
    assert response.status_code == 302
    made = Recommendation.objects.get(title_en="From the admin")
    assert (made.number, made.state) == ("2", "draft")
    first = made.history.get()
    assert (first.history_user, first.history_change_reason) == (core, "Drafted at the meeting")


def history_admins():
    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]


@pytest.mark.parametrize("model_admin", history_admins(), ids=lambda a: a.opts.label)
def test_the_core_team_cannot_delete_history_in_bulk(model_admin):
    """Every model with history in the admin: no "Delete selected" but for a superuser."""
    request = RequestFactory().get("/")
    request.user = CoreTeamFactory()
    assert "delete_selected" not in model_admin.get_actions(request)
    request.user = UserFactory(is_staff=True, is_superuser=True)
    if model_admin.has_delete_permission(request):
        assert "delete_selected" in model_admin.get_actions(request)


def test_a_bulk_delete_posted_by_the_core_team_deletes_nothing(client, core, working_group, user):
    recommendations = [make(working_group, user, title=f"R{i}") for i in range(2)]
    response = client.post(
        reverse("admin:recommendations_recommendation_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [r.pk for r in recommendations],
        },
    )
    assert response.status_code in (200, 302)
    assert Recommendation.objects.count() == 2


def test_only_a_superuser_deletes_a_recommendation(client, core, admin_client, working_group, user):
    recommendation = make(working_group, user)
    url = reverse("admin:recommendations_recommendation_delete", args=[recommendation.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()
    assert admin_client.get(url).status_code == 200


def test_a_recommendation_is_not_reverted_from_its_history_page(
    client, core, admin_client, working_group, user
):
    recommendation = make(working_group, user, revisions=2)
    first = recommendation.history.order_by("history_id").first()
    url = reverse(
        "admin:recommendations_recommendation_simple_history",
        args=[recommendation.pk, first.history_id],
    )
    # A past revision may be looked at, not saved over the present one.
    assert client.get(url).status_code == 200
    data = {"title_en": "Reverted", "summary_en": "", "body_en": "", "edit_summary": "x"}
    assert client.post(url, {**data, **NO_LINKS}).status_code == 403
    assert admin_client.post(url, {**data, **NO_LINKS}).status_code == 403
    assert recommendation.history.count() == 2


@pytest.mark.parametrize("name", ["thread", "comment", "sourcelink", "sourcefate"])
def test_records_the_site_writes_are_read_only_in_the_admin(client, core, name):
    """Threads, comments and synthesis links change through their pages' services."""
    assert client.get(reverse(f"admin:recommendations_{name}_add")).status_code == 403


def test_a_thread_cannot_be_resolved_in_the_admin(client, core, working_group, user):
    version = review_version(working_group, user)
    thread = services.thread_start(version=version, user=user, body="Why?")
    response = client.post(
        reverse("admin:recommendations_thread_change", args=[thread.pk]),
        {"status": "resolved", "outcome": "answered", "version": version.pk},
    )
    assert response.status_code == 403
    thread.refresh_from_db()
    assert thread.status == Thread.Status.OPEN


def test_hiding_comments_in_the_admin_goes_through_the_service(client, core, working_group, user):
    version = review_version(working_group, user)
    thread = services.thread_start(version=version, user=user, body="Spam")
    comment = thread.comments.get()
    response = client.post(
        reverse("admin:recommendations_comment_changelist"),
        {"action": "hide", "confirm": "1", "_selected_action": [comment.pk], "reason": "Spam"},
        follow=True,
    )
    assert "1 comments hidden." in response.content.decode()
    comment = Comment.objects.get(pk=comment.pk)
    assert (comment.hidden_reason, comment.hidden_by) == ("Spam", core)
    assert comment.history.latest().history_user == core


def test_withdrawing_in_the_admin_goes_through_the_workflow(client, core, working_group, user):
    draft = make(working_group, user, title="Draft")
    gone = make(working_group, user, title="Gone")
    services.recommendation_withdraw(recommendation=gone, user=user, reason="Merged")
    response = client.post(
        reverse("admin:recommendations_recommendation_changelist"),
        {
            "action": "withdraw",
            "confirm": "1",
            "_selected_action": [draft.pk, gone.pk],
            "reason": "Out of scope",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "1 withdrawn." in html
    assert "Not withdrawn:" in html
    latest = selectors.revision_latest(recommendation=draft)
    assert (latest.state, latest.history_user) == ("withdrawn", core)
    assert latest.history_change_reason == "Withdrawn: Out of scope"


def test_the_core_team_cannot_delete_from_the_notice_ledger(client, core, user):
    from strategy.models import Notice

    notice = Notice.objects.create(key="k", recipient=user, kind="x", subject="S", body="B")
    url = reverse("admin:strategy_notice_delete", args=[notice.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:strategy_notice_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [notice.pk]},
    )
    assert response.status_code in (200, 302)
    assert Notice.objects.filter(pk=notice.pk).exists()


def test_the_change_page_queries_do_not_grow(
    client, core, working_group_factory, user, django_assert_num_queries
):
    """With more revisions and more source links, the change page makes as many queries."""
    from groups.models import WorkingGroup
    from tests.synthesis.conftest import published_sources

    synthesis = WorkingGroup.objects.create(
        name_en="Synthesis group", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
    )
    versions = published_sources([working_group_factory() for _ in range(2)], 3, user)

    def page_with(links, revisions):
        made = make(synthesis, user, title=f"S{links}", revisions=revisions)
        for version in versions[:links]:
            services.source_link(synthesized=made, source_version=version, user=user)
        return reverse(CHANGE, args=[made.pk])

    small, large = page_with(1, 1), page_with(6, 8)
    client.get(small)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as counted:
        assert client.get(small).status_code == 200
    with django_assert_num_queries(len(counted)):
        response = client.get(large)
    assert response.content.decode().count('class="field-source_version"') >= 6


def test_someone_who_may_only_look_sees_the_recommendation(client, working_group, user):
    from django.contrib.auth.models import Permission

    looker = UserFactory(is_staff=True)
    looker.user_permissions.add(Permission.objects.get(codename="view_recommendation"))
    client.force_login(looker)
    recommendation = make(working_group, user)
    response = client.get(reverse(CHANGE, args=[recommendation.pk]))
    assert response.status_code == 200
    assert 'name="body_en"' not in response.content.decode()
    response = client.post(
        reverse(CHANGE, args=[recommendation.pk]), change_data(recommendation, body_en="x")
    )
    assert response.status_code == 403
