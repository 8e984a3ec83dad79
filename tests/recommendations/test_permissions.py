"""Every cell of the recommendations part of docs/permissions.md."""

import pytest
from django.urls import reverse

from groups.models import Role
from recommendations import selectors
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory
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
    return make(working_group, user, revisions=2, state="published")


def expect(table):
    return pytest.mark.parametrize(("who", "status"), list(zip(WHO, table, strict=True)))


@expect([404, 404, 404, 200, 200, 200])
def test_read_a_draft(as_, draft, who, status):
    assert as_(who).get(draft.get_absolute_url()).status_code == status


@expect([200, 200, 200, 200, 200, 200])
def test_read_a_published_recommendation(as_, published, who, status):
    assert as_(who).get(published.get_absolute_url()).status_code == status


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


@expect([404, 404, 404, 200, 200, 200])
def test_see_the_history(as_, published, who, status):
    url = reverse("recommendations:history", args=[published.pk])
    assert as_(who).get(url).status_code == status


@expect([404, 404, 404, 200, 200, 200])
def test_see_a_diff(as_, published, who, status):
    url = reverse("recommendations:diff", args=[published.pk])
    assert as_(who).get(url, {"from": 1, "to": 2}).status_code == status


@expect([302, 403, 403, 302, 302, 302])
def test_restore_a_revision(as_, published, who, status):
    url = reverse("recommendations:restore", args=[published.pk, 1])
    assert as_(who).post(url).status_code == status
    assert published.history.count() == (3 if status == 302 and who != "anonymous" else 2)


@expect([302, 403, 403, 403, 200, 200])
def test_rank_the_group(as_, working_group, who, status):
    url = reverse("recommendations:ranking", args=[working_group.slug])
    assert as_(who).get(url).status_code == status


@expect([302, 200, 200, 200, 200, 200])
def test_open_the_workspace(as_, who, status):
    assert as_(who).get(reverse("workspace")).status_code == status
