"""Every cell of the recommendations part of docs/permissions.md."""

import pytest
from django.urls import reverse

from groups.models import Role
from recommendations import selectors, services
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory, iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "community", "other_group", "member", "coordinator", "core_team"]


@pytest.fixture
def as_(client, working_group, working_group_factory):
    def sign_in(who):
        if who == "anonymous":
            return client
        if who == "core_team":
            user = CoreTeamFactory()
        else:
            user = UserFactory()
            if who in ("member", "coordinator"):
                MembershipFactory(user=user, working_group=working_group, role=Role(who))
            elif who == "other_group":
                MembershipFactory(user=user, working_group=working_group_factory())
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def draft(working_group, user):
    return make(working_group, user, revisions=2)


@pytest.fixture
def published(working_group, user):
    """Published in an iteration, then edited: its working copy is ahead of what the public
    reads."""
    made = make(working_group, user, revisions=2)
    services.recommendation_publish(recommendation=made, user=user, iteration=iteration())
    made.refresh_from_db()
    return services.recommendation_update(
        recommendation=made,
        user=user,
        title="Unpublished title",
        summary="",
        body="Unpublished text.\n",
        base_revision=selectors.revision_latest(recommendation=made).history_id,
    )


# The pages of a working copy: its text, its history, a diff, a revision.
WORKING_COPY_PAGES = [
    ("recommendations:detail", []),
    ("recommendations:history", []),
    ("recommendations:diff", []),
    ("recommendations:revision", [1]),
]


def expect(table):
    return pytest.mark.parametrize(("who", "status"), list(zip(WHO, table, strict=True)))


@pytest.mark.parametrize(("page", "args"), WORKING_COPY_PAGES)
@expect([404, 404, 404, 200, 200, 200])
def test_read_a_draft(as_, draft, who, status, page, args):
    """The working copy of a recommendation never published: 404 for whoever may not read
    it, since there is no published version to send them to."""
    url = reverse(page, args=[draft.pk, *args])
    assert as_(who).get(url).status_code == status


@pytest.mark.parametrize(("page", "args"), WORKING_COPY_PAGES)
@expect([302, 302, 302, 200, 200, 200])
def test_read_the_working_copy_of_a_published_recommendation(
    as_, published, who, status, page, args
):
    """Whoever may not read the working copy is sent to the published version's public
    page, and sees nothing of the unpublished text on the way."""
    response = as_(who).get(reverse(page, args=[published.pk, *args]))
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == published.get_public_url()
    else:
        assert "Unpublished" in response.content.decode() or page == "recommendations:revision"


@expect([200, 200, 200, 200, 200, 200])
def test_read_the_published_version(as_, published, who, status):
    response = as_(who).get(published.get_public_url())
    assert response.status_code == status
    assert "Unpublished" not in response.content.decode()


@expect([404, 404, 404, 404, 404, 404])
def test_read_a_withdrawn_recommendation_publicly(as_, published, user, who, status):
    services.recommendation_withdraw(recommendation=published, user=user, reason="Superseded.")
    assert as_(who).get(published.get_public_url()).status_code == status


@expect([302, 404, 404, 200, 200, 200])
def test_open_the_editor_on_a_draft(as_, draft, who, status):
    assert as_(who).get(reverse("recommendations:edit", args=[draft.pk])).status_code == status


@expect([302, 403, 403, 200, 200, 200])
def test_open_the_editor_on_a_published_recommendation(as_, published, who, status):
    url = reverse("recommendations:edit", args=[published.pk])
    assert as_(who).get(url).status_code == status


@expect([302, 404, 404, 302, 302, 302])
def test_save_an_edit(as_, draft, who, status):
    latest = selectors.revision_latest(recommendation=draft).history_id
    response = as_(who).post(
        reverse("recommendations:edit", args=[draft.pk]),
        {"title": "Edited", "body": "New", "base_revision": latest, "save": "1"},
    )
    assert response.status_code == status
    draft.refresh_from_db()
    assert (draft.title_en == "Edited") == (status == 302 and who != "anonymous")


@expect([302, 403, 403, 200, 200, 200])
def test_create_a_draft_in_the_group(as_, working_group, who, status):
    url = reverse("recommendations:create", args=[working_group.slug])
    assert as_(who).get(url).status_code == status


@expect([302, 302, 302, 200, 200, 200])
def test_see_the_history(as_, published, who, status):
    url = reverse("recommendations:history", args=[published.pk])
    assert as_(who).get(url).status_code == status


@expect([302, 302, 302, 200, 200, 200])
def test_see_a_diff(as_, published, who, status):
    url = reverse("recommendations:diff", args=[published.pk])
    assert as_(who).get(url, {"from": 1, "to": 2}).status_code == status


@expect([302, 403, 403, 302, 302, 302])
def test_restore_a_revision(as_, published, who, status):
    url = reverse("recommendations:restore", args=[published.pk, 1])
    before = published.history.count()
    assert as_(who).post(url).status_code == status
    restored = status == 302 and who != "anonymous"
    assert published.history.count() == before + restored


@expect([302, 403, 403, 403, 200, 200])
def test_rank_the_group(as_, working_group, who, status):
    url = reverse("recommendations:ranking", args=[working_group.slug])
    assert as_(who).get(url).status_code == status


@expect([302, 200, 200, 200, 200, 200])
def test_open_the_workspace(as_, who, status):
    assert as_(who).get(reverse("workspace")).status_code == status
