import pytest
from django.urls import reverse

from recommendations import services
from recommendations.models import Recommendation
from tests.factories import recommendation as make
from tests.public.conftest import listed, publish

pytestmark = pytest.mark.django_db


def test_list_shows_published_recommendations_only(client, published):
    html = client.get(reverse("public:list")).content.decode()
    assert "Advocacy hub" in html
    assert "Open minutes" in html
    assert "Secret draft" not in html
    assert "2 recommendations" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "regional"}, {"Advocacy hub"}),
        ({"q": "minutes"}, {"Open minutes"}),
        ({"q": "confidential"}, set()),
        ({"iteration": "first-draft"}, {"Advocacy hub"}),
        ({"iteration": "second-iteration"}, {"Advocacy hub", "Open minutes"}),
        ({"state": "published"}, {"Advocacy hub", "Open minutes"}),
        ({"group": "nobody"}, {"Advocacy hub", "Open minutes"}),  # an unknown choice is ignored
    ],
)
def test_filters_and_full_text_search(client, published, query, expected):
    response = client.get(reverse("public:list"), query)
    titles = {version.revision.title_en for version in listed(response.context["page"])}
    assert titles == expected


def test_search_uses_postgres_stemming(client, published):
    """PostgreSQL's full-text search finds word forms: "coordinating" finds "coordinates"."""
    response = client.get(reverse("public:list"), {"q": "coordinating"})
    assert [v.revision.title_en for v in listed(response.context["page"])] == ["Advocacy hub"]


def test_group_and_area_filters(client, published, working_group, working_group_factory, user):
    from tests.factories import iteration
    from tests.factories import recommendation as make

    other = working_group_factory()
    elsewhere = make(other, user, title="Elsewhere")
    services.recommendation_publish(
        recommendation=elsewhere, user=user, iteration=iteration("second-iteration")
    )
    by_group = client.get(reverse("public:list"), {"group": other.slug}).context["page"]
    assert [v.revision.title_en for v in listed(by_group)] == ["Elsewhere"]
    by_area = client.get(
        reverse("public:list"), {"area": working_group.thematic_area.slug}
    ).context["page"]
    assert {v.revision.title_en for v in listed(by_area)} == {"Advocacy hub", "Open minutes"}


def test_a_draft_is_not_reachable_even_by_guessing(client, published, working_group):
    draft = published["draft"]
    for url in (
        f"/recommendations/{working_group.slug}/{draft.number}/",
        f"/recommendations/{working_group.slug}/{draft.number}/compare/",
        draft.get_absolute_url(),
        *(f"/api/recommendations/{pk}/" for pk in draft.versions.values_list("pk", flat=True)),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        # The API names versions: the draft's own id may be a published version's.
        f"/api/recommendations/{draft.pk}/",
        "/api/recommendations/",
        "/recommendations/export.json",
        "/recommendations/export.csv",
        "/feeds/recommendations/",
        "/sitemap.xml",
        "/iterations/second-iteration/",
        "/",
    ):
        assert "Secret draft" not in client.get(url).content.decode(), url


def test_a_withdrawn_recommendation_leaves_the_public_side(
    client, published, user, django_capture_on_commit_callbacks
):
    hub = published["hub"]
    url = hub.get_public_url()
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_withdraw(recommendation=hub, user=user, reason="Merged elsewhere")
    assert client.get(url).status_code == 404


def test_public_page_shows_the_published_text_not_later_edits(client, published, user):
    hub = published["hub"]
    from recommendations import selectors

    services.recommendation_update(
        recommendation=hub,
        user=user,
        title="Advocacy hub",
        summary="",
        body="Unpublished new wording.\n",
        base_revision=selectors.revision_latest(recommendation=hub).history_id,
    )
    html = client.get(hub.get_public_url()).content.decode()
    assert "We recommend a regional hub." in html
    assert "Unpublished new wording" not in html


def test_compare_two_published_iterations(client, published):
    hub = published["hub"]
    response = client.get(
        reverse("public:compare", args=[hub.working_group.slug, hub.number]),
        {"from": "first-draft", "to": "second-iteration"},
    )
    html = response.content.decode()
    assert "<del>global</del><ins>regional</ins>" in html
    assert "<ins><p>Each region hires one person.</p></ins>" in html


def test_iteration_page_is_the_whole_set_and_prints(client, published):
    html = client.get(reverse("public:iteration", args=["second-iteration"])).content.decode()
    assert "Advocacy hub" in html
    assert "Open minutes" in html
    assert "2 recommendations" in html
    assert "Cite as:" in html
    pdf = client.get(reverse("public:iteration_pdf", args=["second-iteration"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.getvalue().startswith(b"%PDF")


def test_a_large_iteration_is_read_page_by_page(client, published, monkeypatch):
    from public.views import iterations as public

    monkeypatch.setattr(public, "ITERATION_PER_PAGE", 1)
    url = reverse("public:iteration", args=["second-iteration"])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    titles = ("Advocacy hub", "Open minutes")
    assert [title in first for title in titles] == [True, False]
    assert [title in second for title in titles] == [False, True]
    assert "2 recommendations" in first
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
    group = published["hub"].working_group
    assert f'<a href="?page=1#group-{group.pk}">{group.name}</a>' in first
    assert "Translations of the recommendations on this page" in first
    assert "?page=2" in second
    pdf = client.get(reverse("public:iteration_pdf", args=["second-iteration"]), {"page": 2})
    assert pdf.getvalue().startswith(b"%PDF")
    assert 'filename="second-iteration-2.pdf"' in pdf["Content-Disposition"]


def test_iteration_diff_says_what_was_added_and_changed(client, published):
    response = client.get(
        reverse("public:iteration_compare"), {"from": "first-draft", "to": "second-iteration"}
    )
    context = response.context
    assert [entry.title for entry in context["added"]] == ["Open minutes"]
    assert [entry.title for entry in context["changed"]] == ["Advocacy hub"]
    assert context["removed"] == []
    assert "1 added, 0 removed, 1 changed, 0 unchanged." in response.content.decode()
    # Each line's link, made once per group, is the address reverse() gives.
    (added,), (changed,) = context["added"], context["changed"]
    assert added.url == reverse("public:recommendation", args=[added.group.slug, added.number])
    compare = reverse("public:compare", args=[changed.group.slug, changed.number])
    assert changed.url == f"{compare}?from=first-draft&to=second-iteration"
    assert f'<a href="{compare}?from=first-draft&amp;to=second-iteration">' in (
        response.content.decode()
    )


def test_iteration_diff_compares_the_text_not_the_revision(
    client, published, working_group, user, iterations
):
    """Published again with the same text (a new revision): unchanged. Only the summary
    edited: changed."""
    first, second = iterations
    same = make(working_group, user, title="Same text", body="Nothing moves.\n")
    publish(same, user, first)
    publish(same, user, second)
    summary = make(working_group, user, title="New summary", body="Body stays.\n")
    publish(summary, user, first)
    publish(summary, user, second, summary="A summary added later.")
    context = client.get(
        reverse("public:iteration_compare"), {"from": "first-draft", "to": "second-iteration"}
    ).context
    changed = [entry.title for entry in context["changed"]]
    assert sorted(changed) == ["Advocacy hub", "New summary"]
    assert context["unchanged"] == 1


def test_exports_follow_the_filters(client, published):
    import csv
    import io

    response = client.get("/recommendations/export.csv", {"q": "minutes"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["title"] for row in rows] == ["Open minutes"]
    assert rows[0]["url"].endswith(published["minutes"].get_public_url())
    data = client.get("/recommendations/export.json").json()
    assert data["count"] == 2
    assert client.get("/recommendations/export.xml").status_code == 404


def test_feeds_are_atom(client, published, working_group):
    feed = client.get(reverse("feeds:recommendations"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "Advocacy hub" in body
    group_feed = client.get(reverse("feeds:group", args=[working_group.slug])).content.decode()
    assert "Open minutes" in group_feed
    assert "Second iteration" in client.get(reverse("feeds:iterations")).content.decode()


def _sitemaps(client) -> str:
    """Every sitemap the index lists, page by page, as one text."""
    import re

    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", index)
    assert sections
    return "".join(client.get(url.replace("&amp;", "&")).content.decode() for url in sections)


def test_sitemap_lists_public_pages_in_every_language(client, published):
    body = _sitemaps(client)
    assert published["hub"].get_public_url() in body
    assert "/zh-hans" + published["hub"].get_public_url() in body
    assert 'hreflang="arz"' in body
    assert "Secret" not in body


def test_a_large_sitemap_comes_in_pages(client, published, monkeypatch):
    from public.sitemaps import RecommendationSitemap

    monkeypatch.setattr(RecommendationSitemap, "limit", 1)
    index = client.get("/sitemap.xml").content.decode()
    # Two recommendations in six languages: twelve pages of one address.
    assert index.count("/sitemap-recommendations.xml?p=") == 11
    body = _sitemaps(client)
    for language in ("", "/zh-hans", "/arz", "/de", "/fr", "/es"):
        for name in ("hub", "minutes"):
            assert f"{language}{published[name].get_public_url()}</loc>" in body


def test_anonymous_pages_are_cacheable_and_answer_304(client, published):
    url = published["hub"].get_public_url()
    first = client.get(url)
    assert "public" in first["Cache-Control"]
    assert first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_change_invalidates_the_page_cache(
    client, published, user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = published["minutes"].get_public_url()
    client.get(url)
    with django_assert_num_queries(0):
        cached = client.get(url)
    assert "Every meeting publishes minutes." in cached.content.decode()
    minutes = Recommendation.objects.get(pk=published["minutes"].pk)
    minutes.title_zh_hans = "公开会议记录"
    with django_capture_on_commit_callbacks(execute=True):
        minutes.save()
    fresh = client.get(url, HTTP_IF_NONE_MATCH=cached["ETag"])
    assert fresh.status_code == 200
    assert fresh["ETag"] != cached["ETag"]


def test_signed_in_pages_are_private_and_never_cached(client, published, user):
    client.force_login(user)
    response = client.get(published["hub"].get_public_url())
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response


def test_the_filters_choices_are_read_once_and_again_after_a_change(
    client,
    published,
    settings,
    working_group_factory,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """The list's filters (groups, areas, iterations) are read from the database on the
    first render only, and again once one of those rows is saved or deleted. (So are the
    list's count and rows: public/listing.py. The second render reads nothing.)"""
    from recommendations.models import Iteration

    settings.PUBLIC_PAGE_CACHE = False  # each request renders the list
    url = reverse("public:list")
    with django_assert_num_queries(20, exact=False) as first:
        client.get(url)
    with django_assert_num_queries(0):
        html = client.get(url).content.decode()
    assert "Second iteration" in html
    with django_capture_on_commit_callbacks(execute=True):
        group = working_group_factory(name="Brand new group")
    with django_assert_num_queries(len(first)):
        html = client.get(url).content.decode()
    assert f'<option value="{group.slug}">Brand new group</option>' in html
    iteration = Iteration.objects.get(slug="second-iteration")
    iteration.name_en = "Second round"
    with django_capture_on_commit_callbacks(execute=True):
        iteration.save()
    html = client.get(url).content.decode()
    assert "Second round" in html
    assert "Second iteration" not in html
    with django_capture_on_commit_callbacks(execute=True):
        group.delete()
    assert "Brand new group" not in client.get(url).content.decode()


def test_the_filters_choices_are_read_again_after_a_while_whatever_redis_says(
    client, published, settings, monkeypatch, django_assert_num_queries
):
    """A change whose generation could not be moved (Redis away at its commit) is shown
    within strategy.fragments.RENEWED_SECONDS: the choices are not kept longer."""
    from recommendations.models import Iteration
    from strategy import fragments

    settings.PUBLIC_PAGE_CACHE = False
    url = reverse("public:list")
    client.get(url)
    # Renamed with no generation moved, as when the bump is lost.
    Iteration.objects.filter(slug="second-iteration").update(name_en="Second round")
    assert "Second iteration" in client.get(url).content.decode()
    now = fragments._clock()
    monkeypatch.setattr(fragments, "_clock", lambda: now + fragments.RENEWED_SECONDS + 1)
    html = client.get(url).content.decode()
    assert "Second round" in html
    assert "Second iteration" not in html


def test_a_search_snippet_is_found_once_per_version_and_words(
    client, published, settings, django_assert_num_queries
):
    """The passage where the words matched is asked of the database for the first search
    only: a version's text is frozen, so the next render (another page of the same search,
    the same search uncached) reuses it; other words find their own. (The search's count
    and rows are kept too, public/listing.py: the same search again reads nothing.)"""
    from public.forms import FilterForm
    from public.search import search_snippets

    settings.PUBLIC_PAGE_CACHE = False  # each request renders the list
    FilterForm()  # its choices read once, before
    url = reverse("public:list")
    with django_assert_num_queries(20, exact=False) as first:
        html = client.get(url, {"q": "regional"}).content.decode()
    assert "<mark>regional</mark>" in html.lower()
    with django_assert_num_queries(0):
        again = client.get(url, {"q": "regional"}).content.decode()
    assert again == html
    with django_assert_num_queries(0):
        assert search_snippets(version_ids=[published["hub"].published_version_id], q="regional")
    with django_assert_num_queries(len(first)):
        other = client.get(url, {"q": "minutes"}).content.decode()
    assert "<mark>" in other
    assert "<mark>regional" not in other.lower()
