"""The public list and the API's list keep their count, a page's versions and each rendered
row or item (public/listing.py): a warm page reads nothing, and a change shows at once
once it commits; drafts never show; each language has its own rows."""

import pytest
from django.urls import reverse
from django.utils import translation

from recommendations import selectors, services
from recommendations.models import Recommendation
from tests.factories import iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

API = "/api/recommendations/"


@pytest.fixture(autouse=True)
def _rendered_each_time(settings):
    settings.PUBLIC_PAGE_CACHE = False  # each request renders the list


def _list(client, language="en", **query):
    with translation.override(language):
        url = reverse("public:list")
    return client.get(url, query).content.decode()


def _publish_more(working_group, user, count, django_capture_on_commit_callbacks):
    second = iteration("second-iteration")
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(count):
            services.recommendation_publish(
                recommendation=make(working_group, user, title=f"More {index}"),
                user=user,
                iteration=second,
            )


@pytest.mark.parametrize(
    "url",
    [
        "/recommendations/",
        "/recommendations/?iteration=second-iteration",
        "/recommendations/?q=hub",
        API,
        f"{API}?iteration=second-iteration",
        f"{API}?q=hub",
    ],
)
def test_a_warm_list_reads_nothing_with_2_and_with_30_recommendations(
    client,
    published,
    working_group,
    user,
    url,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    _publish_more(working_group, user, 28, django_capture_on_commit_callbacks)
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_a_publication_shows_at_once(
    client, published, working_group, user, django_capture_on_commit_callbacks
):
    assert "2 recommendations" in _list(client)
    assert client.get(API).json()["count"] == 2
    _publish_more(working_group, user, 1, django_capture_on_commit_callbacks)
    html = _list(client)
    assert "3 recommendations" in html
    assert "More 0" in html
    api = client.get(API).json()
    assert api["count"] == 3
    assert "More 0" in {item["title"] for item in api["results"]}


def test_a_withdrawn_recommendation_leaves_the_list_at_once(
    client, published, user, django_capture_on_commit_callbacks
):
    assert "Open minutes" in _list(client)
    client.get(API)
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_withdraw(
            recommendation=published["minutes"], user=user, reason="Gone"
        )
    html = _list(client)
    assert "Open minutes" not in html
    assert "1 recommendation" in html
    assert "Open minutes" not in {item["title"] for item in client.get(API).json()["results"]}


def test_a_translation_shows_at_once_in_its_language_only(
    client, published, django_capture_on_commit_callbacks
):
    assert "Advocacy hub" in _list(client, "zh-hans")
    assert "Advocacy hub" in _list(client, "en")
    hub = Recommendation.objects.get(pk=published["hub"].pk)
    hub.title_zh_hans = "倡导中心"
    with django_capture_on_commit_callbacks(execute=True):
        hub.save()
    assert "倡导中心" in _list(client, "zh-hans")
    english = _list(client, "en")
    assert "倡导中心" not in english
    assert "Advocacy hub" in english


def test_each_language_has_its_own_rows(client, published):
    english, chinese = _list(client, "en"), _list(client, "zh-hans")
    assert "· Recommendation " in english
    assert "· Recommendation " not in chinese
    assert 'href="/zh-hans/groups/' in chinese
    assert 'href="/zh-hans/groups/' not in english


def test_a_renamed_group_shows_at_once(
    client, published, working_group, django_capture_on_commit_callbacks
):
    assert "Renamed group" not in _list(client)
    working_group.name_en = "Renamed group"
    with django_capture_on_commit_callbacks(execute=True):
        working_group.save()
    assert "Renamed group" in _list(client)


def test_drafts_never_show_not_even_once_kept(
    client, published, user, django_capture_on_commit_callbacks
):
    """A published recommendation's working copy, saved after the list was kept, is not
    what the list shows: the published version is; a recommendation never published is
    nowhere."""
    _list(client)
    client.get(API)
    hub = published["hub"]
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_update(
            recommendation=hub,
            user=user,
            title="Unpublished new title",
            summary="",
            body="Draft wording.\n",
            base_revision=selectors.revision_latest(recommendation=hub).history_id,
        )
    for html in (_list(client), _list(client, q="draft")):
        assert "Unpublished new title" not in html
        assert "Secret draft" not in html
    assert "Advocacy hub" in _list(client)
    for url in (API, f"{API}?q=draft", f"{API}?q=confidential"):
        body = client.get(url).content.decode()
        assert "Unpublished new title" not in body
        assert "Draft wording" not in body
        assert "Secret draft" not in body


def test_without_redis_nothing_is_kept(client, published, monkeypatch):
    """When the generations cannot be read, the count and the page are read each time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from strategy import fragments

    monkeypatch.setattr(fragments, "stamp", lambda models: None)
    _list(client)
    with CaptureQueriesContext(connection) as queries:
        assert "Advocacy hub" in _list(client)
    assert len(queries) >= 3  # the count, the page's ids, its rows
