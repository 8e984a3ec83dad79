"""The load-test data set (manage.py scale_data), made small: every table it writes is
consistent with what the site itself would have written, and the site reads it."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse

from bench import scale
from groups.models import Membership, WorkingGroup
from recommendations import selectors
from recommendations.models import Comment, Iteration, Recommendation, Thread, Version
from strategy.models import Notice, User

SIZE = scale.Size(
    members=30,
    recommendations=30,
    revisions=20,
    comments=25,
    long_comments=40,
    threads=5,
    notices=200,
)


@pytest.fixture(scope="module")
def data_set(django_db_setup, django_db_blocker):
    """Written once for the module, removed after it (the tests only read it)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            counts = scale.generate(SIZE, log=lambda _message: None)
            yield counts
            transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("data_set")


@pytest.fixture
def db_access(db):
    return db


def test_counts(data_set, db_access):
    assert data_set == {
        "members": 30,
        "recommendations": 30,
        "revisions": 600,
        # Every recommendation is in the first two iterations; those in review (every
        # seventh) are not in the third, and have a review snapshot instead.
        "versions": 30 * 3,
        # The long thread; the very long one and four threads of two on another version.
        "comments": 25 + 40 + 4 * 2,
        "notices": 200,
    }
    assert User.objects.filter(username__startswith="scale-").count() == 30
    assert Recommendation.history.count() == 600
    assert Comment.objects.count() == Comment.history.count() == 73
    assert Notice.objects.count() == 200
    assert Iteration.objects.count() == 3
    groups = WorkingGroup.objects.filter(recommendations__isnull=False).distinct()
    assert {group.kind for group in groups} == {"thematic", "synthesis"}
    assert groups.count() == 10


def test_every_recommendation_matches_its_latest_revision(db_access):
    for recommendation in Recommendation.objects.select_related("published_version__revision"):
        history = list(recommendation.history.order_by("history_date", "history_id"))
        assert len(history) == 20
        latest = history[-1]
        for field in ("title_en", "body_en", "body_de", "state", "published_version_id"):
            assert getattr(latest, field) == getattr(recommendation, field), field
        assert [h.history_type for h in history[:2]] == ["+", "~"]
        version = recommendation.published_version
        assert version.recommendation_id == recommendation.pk
        assert version.revision.id == recommendation.pk
        assert recommendation.last_published_in_id == version.iteration_id


def test_states_and_versions(db_access):
    in_review = Recommendation.objects.filter(state=Recommendation.State.IN_REVIEW)
    assert in_review.count() == 30 // 7
    for recommendation in in_review:
        kinds = sorted(recommendation.versions.values_list("kind", flat=True))
        assert kinds == ["iteration", "iteration", "review"]
    published = Recommendation.objects.filter(state=Recommendation.State.PUBLISHED)
    assert published.count() == 30 - 30 // 7
    per_iteration = dict(
        Version.objects.filter(kind="iteration")
        .values_list("iteration__position")
        .annotate(n=Count("pk"))
    )
    assert per_iteration == {1: 30, 2: 30, 3: 30 - 30 // 7}


def test_a_third_are_translated_into_three_languages(db_access):
    translated = Recommendation.objects.exclude(translation_sources={})
    assert translated.count() == 10
    for recommendation in translated:
        assert set(recommendation.translation_sources) == {"zh-hans", "arz", "de"}
        assert recommendation.title_zh_hans
        assert recommendation.body_arz


def test_the_long_thread(db_access):
    thread = Thread.objects.get(version__name="Review with a long discussion")
    assert thread.comments.count() == 25
    assert thread.version.kind == Version.Kind.REVIEW
    assert thread.quote in thread.version.revision.body_en


def test_the_version_with_many_threads(db_access):
    version = Version.objects.get(name="Review with a very long discussion")
    assert version.kind == Version.Kind.REVIEW
    counts = sorted(version.threads.annotate(n=Count("comments")).values_list("n", flat=True))
    assert counts == [2, 2, 2, 2, 40]
    assert Thread.history.filter(version_id=version.pk).count() == 5
    assert version.threads.exclude(quote="").get().quote in (version.revision.body_en)


def test_members_hold_roles(db_access):
    roles = set(
        Membership.objects.filter(
            user__username__startswith="scale-", working_group__kind="synthesis"
        ).values_list("role", flat=True)
    )
    assert roles == {"writer", "connector", "reviewer"}


def test_search_finds_the_published_text(db_access):
    found = selectors.public_versions(q="transparency")
    assert found.exists()
    assert all(version.recommendation.published_version_id == version.pk for version in found)


def test_the_site_reads_it(client, db_access):
    recommendation = Recommendation.objects.exclude(translation_sources={}).first()
    response = client.get("/zh-hans" + recommendation.get_public_url())
    assert response.status_code == 200
    assert recommendation.title_zh_hans in response.content.decode()
    member = recommendation.updated_by
    client.force_login(member)
    response = client.get(reverse("recommendations:history", args=[recommendation.pk]))
    assert response.status_code == 200
    assert "Revision 20" in response.content.decode()


def test_ids_continue_after_it(db_access):
    """The sequences moved past the ids it chose: the site can create rows again."""
    version = Version.objects.filter(kind="iteration").first()
    created = Version.objects.create(
        recommendation=version.recommendation, revision=version.revision, kind="review", name="x"
    )
    assert created.pk > Version.objects.exclude(pk=created.pk).order_by("-pk").first().pk
    last_member = User.objects.filter(username__startswith="scale-").latest("pk")
    assert User.objects.create(username="after-scale").pk > last_member.pk


def test_refuses_a_database_with_recommendations(db_access):
    with pytest.raises(RuntimeError, match="already has 30 recommendations"):
        scale.generate(SIZE)


def test_command_refuses_a_tiny_size(db_access):
    with pytest.raises(CommandError, match="at least 10"):
        call_command("scale_data", "--recommendations", "5")


def test_the_search_vectors_are_those_publishing_stores(db_access):
    """Every published version is indexed, with the vector publishing would store: the
    site's own function, which gives the same vector again."""
    from recommendations.models import VersionSearch
    from recommendations.services.review import versions_index_for_search

    published = Version.objects.filter(kind="iteration")
    assert VersionSearch.objects.count() == published.count()
    version = published.first()
    stored = VersionSearch.objects.get(version=version).vector
    VersionSearch.objects.filter(version=version).delete()
    versions_index_for_search(versions=published.filter(pk=version.pk))
    assert VersionSearch.objects.get(version=version).vector == stored


def test_every_page_answers_on_the_data_set(db_access, settings):
    """bench/every_page.py on the small data set: every page it requests answers, none with
    a server error, and each page that names an object opens (for anonymous or the
    superuser)."""
    from bench import every_page

    settings.PUBLIC_PAGE_CACHE = False
    rows = every_page.measure(log=lambda _message: None)
    assert len(rows) > 150
    assert [row for row in rows if every_page.failed(row)] == []
    by_url = {row["url"]: row for row in rows}
    assert by_url["/"]["who"] == "anonymous"
    assert by_url["/workspace/"]["who"] == "superuser"
    assert by_url["/workspace/"]["status"] == 200
    assert by_url["/admin/"]["who"] == "superuser"
    assert by_url["/workspace/"]["queries"] > 0
    text = every_page.report(rows, data={})
    assert "The slowest ten:" in text
    assert text.count("\n| `/") == 10
