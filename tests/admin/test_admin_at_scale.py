"""Admin pages that would list a whole table: a past version shown (not a form with a
choice of every row), a deletion that counts what it would take past 100 objects."""

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.models import Recommendation, Thread, Version
from strategy.admin.history import DELETION_LISTED
from tests.factories import iteration, review_version
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, user_factory):
    person = user_factory(is_staff=True, is_superuser=True)
    client.force_login(person)
    return client


def _more_versions(version, count):
    """`count` more review snapshots of the same recommendation."""
    Version.objects.bulk_create(
        Version(
            recommendation=version.recommendation,
            revision=version.revision,
            kind=Version.Kind.REVIEW,
            name=f"Review {index + 2}",
        )
        for index in range(count)
    )


def test_a_past_version_of_a_thread_is_shown_not_offered_as_a_form(
    superuser_client, working_group, user, django_assert_max_num_queries
):
    version = review_version(working_group, user)
    thread = services.thread_start(version=version, user=user, body="Why global?")
    past = Thread.history.filter(id=thread.pk).earliest("history_date")
    url = reverse("admin:recommendations_thread_simple_history", args=[thread.pk, past.pk])
    superuser_client.get(url)  # the content types and the session, read once
    counts = []
    for more in (5, 200):
        _more_versions(version, more)
        with django_assert_max_num_queries(40) as queries:
            response = superuser_client.get(url)
        counts.append(len(queries))
        assert response.status_code == 200
        html = response.content.decode()
        assert '<select name="version"' not in html
        assert html.count("<option") < 20
        assert str(version) in html
    assert counts[0] == counts[1]
    # Nor can it be posted back.
    assert superuser_client.post(url, {"status": "resolved"}).status_code == 403


def test_deleting_an_iteration_protecting_many_versions_counts_them(
    superuser_client, working_group, user
):
    second = iteration("second-iteration", "Second iteration")
    first = make(working_group, user, title="First")
    services.recommendation_publish(recommendation=first, user=user, iteration=second)
    revision = Version.objects.get(recommendation=first).revision
    many = DELETION_LISTED + 20
    extra = Recommendation.objects.bulk_create(
        Recommendation(working_group=working_group, number=str(index + 2), title=f"R {index}")
        for index in range(many)
    )
    Version.objects.bulk_create(
        Version(
            recommendation=recommendation,
            revision=revision,
            kind=Version.Kind.ITERATION,
            iteration=second,
            name=second.name,
        )
        for recommendation in extra
    )
    response = superuser_client.get(
        reverse("admin:recommendations_iteration_delete", args=[second.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Protecting it: its versions (the first recommendation's and the others), and the
    # recommendation it was last published in.
    assert f"and {many + 2 - DELETION_LISTED} more</li>" in html
    assert html.count("<li>") < DELETION_LISTED + 30


def test_a_small_deletion_lists_each_object(superuser_client, working_group, user):
    second = iteration("second-iteration", "Second iteration")
    first = make(working_group, user, title="First")
    services.recommendation_publish(recommendation=first, user=user, iteration=second)
    html = superuser_client.get(
        reverse("admin:recommendations_iteration_delete", args=[second.pk])
    ).content.decode()
    # Django's own list: the version that protects the iteration, linked to its page.
    assert "First" in html
    assert " more" not in html


def test_a_groups_change_form_asks_as_often_for_3_members_as_for_30(
    superuser_client, working_group, user_factory, django_assert_num_queries
):
    """The membership inline names each row's person without a query per row (there was
    one for the person's select, and two for the row's name); each member's select still
    shows who they are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MembershipFactory

    url = reverse("admin:groups_workinggroup_change", args=[working_group.pk])
    members = [MembershipFactory(working_group=working_group) for _ in range(3)]
    superuser_client.get(url)
    with CaptureQueriesContext(connection) as few:
        superuser_client.get(url)
    members += [MembershipFactory(working_group=working_group) for _ in range(27)]
    with django_assert_num_queries(len(few)):
        html = superuser_client.get(url).content.decode()
    for membership in members:
        assert f'<option value="{membership.user_id}" selected>{membership.user}</option>' in html


def test_the_lists_of_suggestions_live_documents_and_coauthors_ask_as_often_for_3_as_for_30(
    superuser_client, working_group, user_factory, django_assert_num_queries
):
    """Each row names its version, recommendation, author or revision without a query of
    its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations.models import LiveDocument, RevisionCoauthor

    def add(count):
        for _ in range(count):
            author = user_factory()
            version = review_version(working_group, author, body="A global hub.\n")
            services.suggestion_make(
                version=version,
                user=author,
                target="passage",
                quote="global hub",
                replacement="regional hubs",
                reason="Closer.",
            )
            LiveDocument.objects.create(recommendation=version.recommendation, state=b"x")
            RevisionCoauthor.objects.create(revision=version.revision, user=user_factory())

    urls = [
        reverse(f"admin:recommendations_{model}_changelist")
        for model in ("suggestion", "livedocument", "revisioncoauthor")
    ]
    add(3)
    for url in urls:
        superuser_client.get(url)
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as counted:
            assert superuser_client.get(url).status_code == 200
        few[url] = len(counted)
    add(27)
    for url in urls:
        with django_assert_num_queries(few[url]):
            html = superuser_client.get(url).content.decode()
        assert "30 " in html, url
