"""What a reader finds on the iteration pages, the compare pages and in search."""

import datetime
import io
import re

import pytest
from django.urls import reverse

from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db


def _pdf_pages(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def summarised(published, working_group, user, iterations):
    """The second iteration, dated, with a recommendation whose summary is its own."""
    _first, second = iterations
    second.published_on = datetime.date(2019, 9, 30)
    second.save()
    publish(
        make(working_group, user, title="Shared calendar", summary="One calendar for all."),
        user,
        second,
    )
    return second


def test_the_iteration_page_shows_every_summary(client, summarised):
    html = client.get(reverse("public:iteration", args=[summarised.slug])).content.decode()
    assert "One calendar for all." in html
    assert html.count('class="summary"') == 3


def test_the_iteration_pdf_opens_with_date_contents_and_citable_address(
    client, summarised, working_group
):
    """Its first page: the title, the date, the count, the address to cite and a table of
    contents with the page each group starts on; every summary is in it."""
    response = client.get(reverse("public:iteration_pdf", args=[summarised.slug]))
    pages = _pdf_pages(response.getvalue())
    first = pages[0]
    assert "Second iteration, September 2019" in first
    assert "Published Sept. 30, 2019" in first
    assert "3 recommendations" in first
    assert "http://testserver/iterations/second-iteration/" in first
    assert "Contents" in first
    # The group starts on page 2, after this one.
    assert f"{working_group.name} (3 recommendations)" in first
    assert first.rstrip().splitlines()[-2].endswith(" 2")
    text = "".join(pages)
    assert "One calendar for all." in text
    assert text.count("A summary.") == 2


def test_the_pdf_cites_the_site_address_whatever_host_asked(client, summarised, settings):
    """A PDF is made once for every reader (public/pdfs.py): it cites SITE_URL's address."""
    settings.ALLOWED_HOSTS = ["testserver", "strategy.example"]
    settings.SITE_URL = "https://strategy.example.org"
    url = reverse("public:iteration_pdf", args=[summarised.slug])
    first = _pdf_pages(client.get(url, HTTP_HOST="strategy.example").getvalue())[0]
    assert "https://strategy.example.org/iterations/second-iteration/" in first
    assert "strategy.example/" not in first.replace("strategy.example.org", "")


def _publish_more(working_group, user, iteration_, count, capture):
    # The cached pages learn of the change once it commits.
    with capture(execute=True):
        for index in range(count):
            publish(make(working_group, user, title=f"More {index}"), user, iteration_)


def test_the_iteration_pdf_queries_do_not_grow(
    client,
    summarised,
    working_group,
    user,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """Serving a PDF made already, and checking one, cost the same queries with 3 and with
    23 recommendations in the set."""
    from public import pdfs

    url = reverse("public:iteration_pdf", args=[summarised.slug])
    assert client.get(url).status_code == 200  # made, by the task the request queued
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(3) as checking:
        assert pdfs.render(summarised, "en") == 0
    _publish_more(working_group, user, summarised, 20, django_capture_on_commit_callbacks)
    assert pdfs.render(summarised, "en") == 1
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(len(checking)):
        assert pdfs.render(summarised, "en") == 0


def test_comparing_iterations_shows_the_rendered_text_with_the_changes_marked(
    client, working_group, user, iterations
):
    """From the iteration compare to a changed recommendation: its text as readers read it
    (no "##" or "**"), the changed words marked inside the rendered blocks."""
    first, second = iterations
    aims = make(working_group, user, title="Aims", body="## Aim\n\nA **global** hub.\n")
    publish(aims, user, first)
    publish(aims, user, second, body="## Aim\n\nA **regional** hub.\n\n- Each region hires.\n")
    listing = client.get(
        reverse("public:iteration_compare"), {"from": first.slug, "to": second.slug}
    ).content.decode()
    link = reverse("public:compare", args=[working_group.slug, aims.number])
    assert f"{link}?from={first.slug}&amp;to={second.slug}" in listing
    html = client.get(link, {"from": first.slug, "to": second.slug}).content.decode()
    text = html.split('class="diff-rendered"', 1)[1]
    assert "##" not in text
    assert "**" not in text
    assert "<h2>Aim</h2>" in text
    assert "<strong><del>global</del><ins>regional</ins></strong>" in text
    assert "<ins><ul>\n<li>Each region hires.</li>\n</ul></ins>" in text


def test_the_recommendation_compare_queries_do_not_grow(
    client, published, user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The same number of queries with the recommendation in 2 and in 8 iterations: 3 the
    first time (which recommendation, its row, its versions), none once kept."""
    from tests.factories import iteration

    hub = published["hub"]
    url = reverse("public:compare", args=[hub.working_group.slug, hub.number])
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(6):
            publish(hub, user, iteration(f"later-{index}", f"Later {index}"), body=f"Text {index}.")
    with django_assert_num_queries(3):
        assert "Later 5" in client.get(url).content.decode()
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_search_results_show_where_the_words_matched(client, working_group, user, iterations):
    """A snippet of the body around the match, the match in <mark>, the markdown's marks
    and any HTML in the text shown as text, never as markup."""
    _first, second = iterations
    publish(
        make(
            working_group,
            user,
            title="Shared calendar",
            summary="Dates for all.",
            body="## Why\n\nEvery **affiliate** keeps <b>one</b> calendar of campaigns.\n",
        ),
        user,
        second,
    )
    html = client.get(reverse("public:list"), {"q": "calendar"}).content.decode()
    snippet = html.split('<p class="snippet" lang="en" dir="ltr">', 1)[1].split("</p>", 1)[0]
    assert "<mark>calendar</mark>" in snippet
    # PostgreSQL's parser drops the tags of the text from the snippet.
    assert "Every affiliate keeps one <mark>calendar</mark> of campaigns" in snippet
    assert "##" not in snippet
    assert "**" not in snippet
    assert set(re.findall(r"</?([a-z]+)", snippet)) == {"mark"}


def test_a_search_matching_only_titles_shows_no_snippet(client, published):
    html = client.get(reverse("public:list"), {"q": "advocacy"}).content.decode()
    assert "Advocacy hub" in html
    assert 'class="snippet"' not in html


def test_the_plain_excerpt_marks_the_match_and_escapes_the_rest():
    from public.search import marked_html, plain_excerpt

    excerpt = marked_html(plain_excerpt("x" * 200 + " a <i>Hub</i> here", "hub"))
    assert str(excerpt).startswith("… ")
    assert "a &lt;i&gt;<mark>Hub</mark>&lt;/i&gt; here" in excerpt
    assert plain_excerpt("nothing", "hub") is None


def test_the_group_page_lists_its_published_recommendations_and_feed(
    client, published, working_group
):
    html = client.get(working_group.get_absolute_url()).content.decode()
    assert "Advocacy hub" in html
    assert "Open minutes" in html
    assert "Secret draft" not in html
    assert reverse("feeds:group", args=[working_group.slug]) in html


def test_the_group_page_leaves_out_withdrawn_recommendations(client, published, working_group):
    from recommendations.models import Recommendation

    Recommendation.objects.filter(pk=published["minutes"].pk).update(
        state=Recommendation.State.WITHDRAWN
    )
    html = client.get(working_group.get_absolute_url()).content.decode()
    assert "Advocacy hub" in html
    assert "Open minutes" not in html


def test_a_large_group_page_links_to_all_its_recommendations(
    client, published, working_group, monkeypatch
):
    from groups import selectors

    monkeypatch.setattr(selectors, "GROUP_PAGE_RECOMMENDATIONS", 1)
    html = client.get(working_group.get_absolute_url()).content.decode()
    assert f"/recommendations/?group={working_group.slug}" in html
    assert "All 2 recommendations" in html


@pytest.mark.parametrize(
    ("url", "queries"),
    # The home's parts are kept under the generations of their rows: its counts at two
    # sizes are in tests/public/test_kept_parts.py.
    [("/recommendations/?q=paragraph", 4), ("group", 8)],
)
def test_search_and_group_pages_queries_do_not_grow(
    client,
    published,
    working_group,
    user,
    iterations,
    url,
    queries,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """The same number of queries with 2 and with 32 published recommendations."""
    from public.forms import FilterForm

    url = working_group.get_absolute_url() if url == "group" else url
    _publish_more(working_group, user, iterations[1], 2, django_capture_on_commit_callbacks)
    # The list's filter choices are read once, then kept until a group, an area or an
    # iteration changes (public/forms.py): both counts are of the pages with them kept.
    FilterForm()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _publish_more(working_group, user, iterations[1], 30, django_capture_on_commit_callbacks)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def _phase(title, starts, ends):
    from timeline.models import Milestone, Phase

    phase = Phase.objects.create(title_en=title, starts_on=starts, ends_on=ends)
    Milestone.objects.create(title_en=f"{title} begins", starts_on=starts, phase=phase)
    return phase


def test_before_the_process_the_home_says_what_comes_next(client, db):
    from django.utils import timezone

    today = timezone.localdate()
    _phase("Drafting", today + datetime.timedelta(days=10), today + datetime.timedelta(days=40))
    html = client.get("/").content.decode()
    assert "No phase is under way. Next, from" in html
    assert '<strong dir="auto">Drafting</strong>' in html
    assert "Drafting begins" in html


def test_after_the_process_the_home_says_what_was_last(client, db):
    from django.utils import timezone

    today = timezone.localdate()
    _phase("Drafting", today - datetime.timedelta(days=90), today - datetime.timedelta(days=60))
    _phase("Synthesis", today - datetime.timedelta(days=50), today - datetime.timedelta(days=20))
    html = client.get("/").content.decode()
    assert "No phase is under way. The last one ended on" in html
    assert '<strong dir="auto">Synthesis</strong>' in html
    assert "Last date:" in html
    assert "Synthesis begins" in html


@pytest.mark.parametrize("milestones", [3, 30])
def test_the_home_costs_the_same_whatever_the_milestones_and_the_groups_they_name(
    client, working_group, milestones, django_assert_num_queries, settings
):
    """The home names no milestone's groups: it does not fetch them (a third of its time
    at 100 times the reference case). Counted with nothing kept (strategy/fragments.py)."""
    from django.utils import timezone

    from strategy import fragments

    settings.PUBLIC_PAGE_CACHE = False
    from timeline.models import Milestone

    today = timezone.localdate()
    for day in range(milestones):
        milestone = Milestone.objects.create(
            title_en=f"Date {day}", starts_on=today + datetime.timedelta(days=day + 1)
        )
        milestone.working_groups.add(working_group)
    client.get("/")
    fragments.forget()
    with django_assert_num_queries(HOME_QUERIES):
        html = client.get("/").content.decode()
    assert "Date 0" in html
    assert "Date 2" in html
    assert "Date 3" not in html


# The public home's queries, rendered with nothing kept (measured).
HOME_QUERIES = 5
