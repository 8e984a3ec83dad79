"""The synthesis's pages at many times the reference size: the sources page lists a
bounded number of sources to link and searches the others in the database, and each page
asks the database the same number of times for few rows as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import services
from recommendations.forms.synthesis import SourceLinkForm
from recommendations.models import SourceLink
from tests.factories import iteration
from tests.factories import recommendation as make
from tests.synthesis.conftest import published_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthesized(synthesis_group, writer):
    return make(synthesis_group, writer, title="Invest in skills")


def queries_of(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def options(html: str) -> int:
    start = html.index('name="source_version"')
    return html[start : html.index("</select>", start)].count("<option")


def test_the_sources_page_lists_a_bounded_number_and_searches_the_rest(
    client, writer, synthesized, working_group_factory, user, monkeypatch
):
    monkeypatch.setattr(SourceLinkForm, "LISTED", 4)
    group = working_group_factory(name_en="Capacity Building")
    versions = published_sources([group], 3, user)
    client.force_login(writer)
    url = reverse("synthesis:sources", args=[synthesized.pk])
    html = client.get(url).content.decode()
    # Three sources: all listed (and the empty choice), no search box.
    assert options(html) == 4
    assert 'name="search"' not in html
    versions += published_sources([working_group_factory(name_en="Health")], 3, user)
    html = client.get(url).content.decode()
    assert options(html) == 5
    assert 'name="search"' in html
    # Searched by group, number or title, every word.
    found = client.get(url, {"search": "capacity"}).content.decode()
    assert options(found) == 4
    assert "Health" not in found[found.index('name="source_version"') :]
    schools = make(group, user, title="Broadband for schools")
    schools = services.recommendation_publish(
        recommendation=schools, user=user, iteration=iteration("second-iteration")
    )
    found = client.get(url, {"search": "capacity SCHOOLS"}).content.decode()
    assert options(found) == 2
    assert f'<option value="{schools.pk}">' in found
    # A source beyond the listed ones is linked like any other.
    answer = client.post(url, {"source_version": versions[5].pk, "note": ""})
    assert answer.status_code == 302
    assert SourceLink.objects.get(synthesized=synthesized).source_version == versions[5]


def test_the_sources_page_keeps_a_posted_source_outside_the_list(
    client, writer, synthesized, working_group_factory, user, monkeypatch
):
    monkeypatch.setattr(SourceLinkForm, "LISTED", 1)
    versions = published_sources([working_group_factory()], 3, user)
    client.force_login(writer)
    url = reverse("synthesis:sources", args=[synthesized.pk])
    # A note too long is refused; the source chosen stays chosen.
    answer = client.post(url, {"source_version": versions[2].pk, "note": "x" * 4001})
    assert answer.status_code == 200
    assert f'<option value="{versions[2].pk}" selected>' in answer.content.decode()


def test_the_sources_page_runs_as_many_queries_for_many_sources(
    client, writer, synthesized, working_group_factory, user, django_assert_num_queries
):
    client.force_login(writer)
    url = reverse("synthesis:sources", args=[synthesized.pk])
    published_sources([working_group_factory()], 2, user)
    few = queries_of(client, url)
    published_sources([working_group_factory() for _ in range(3)], 4, user)
    with django_assert_num_queries(few):
        client.get(url)
    with django_assert_num_queries(few):
        client.get(url, {"search": "a"})


def test_the_coverage_report_pages_its_sources_and_counts_them_all(
    client, writer, working_group_factory, user, monkeypatch, django_assert_num_queries
):
    """The table counts every source; the lists below it come a page at a time, each
    group's line leading to the page where its sources begin, and a fate recorded leads
    back to the source on its page. As many queries for 4 sources as for 12."""
    from recommendations.views import synthesis as views

    monkeypatch.setattr(views, "COVERAGE_PER_PAGE", 5)
    client.force_login(writer)
    url = reverse("synthesis:coverage")
    first = working_group_factory(name_en="Alpha", position=1)
    published_sources([first], 4, user)
    few = queries_of(client, url)
    second = working_group_factory(name_en="Beta", position=2)
    versions = published_sources([second], 8, user)
    with django_assert_num_queries(few):
        answer = client.get(url)
    context = answer.context
    assert (context["total"], context["reflected"]) == (12, 0)
    assert [(g.group, g.total, g.first_page) for g in context["summary"]] == [
        (first, 4, 1),
        (second, 8, 1),
    ]
    assert sum(len(section.rows) for section in context["groups"]) == 5
    html = answer.content.decode()
    assert html.count("data-fate-dialog") == 5
    assert 'href="?page=2"' in html
    third = client.get(url, {"page": 3}).context
    assert [row.source for section in third["groups"] for row in section.rows] == [
        version.recommendation for version in versions[-2:]
    ]
    source = versions[-1].recommendation
    recorded = client.post(
        reverse("synthesis:fate", args=[source.pk]), {"fate": "left_out", "reason": "Later."}
    )
    assert recorded.url == f"{url}?page=3#source-{source.pk}"
    monkeypatch.setattr(views, "COVERAGE_PER_PAGE", 3)
    groups = client.get(url).context["summary"]
    assert [(g.first_page, g.count_left_out()) for g in groups] == [(1, 0), (2, 1)]
    assert f'href="?page=2#group-{second.pk}"' in client.get(url).content.decode()


def test_the_searchable_select_writes_what_djangos_template_writes():
    """The select of recommendations is written in Python (a template per option took a
    second for 10,000): the same HTML, escaped alike, attributes in the same order."""
    from django import forms

    from strategy.widgets import SearchableSelectMultiple

    widget = SearchableSelectMultiple(
        choices=[("A & B", [(1, "one <b>"), (2, "two")]), (3, 'three "q"')]
    )
    written = widget.render("members", [2, 3], {"id": "id_members", "required": True})
    django = forms.SelectMultiple.render(
        widget, "members", [2, 3], {"id": "id_members", "required": True}
    )
    # Django's option template ends with a new line: the same page, less blank lines.
    assert written == django.replace("\n\n", "\n")
    assert '<option value="2" selected>two</option>' in written
    assert "one &lt;b&gt;" in written


@pytest.mark.parametrize("page", ["synthesis:inputs", "synthesis:overlaps"])
def test_the_inputs_and_overlaps_pages_run_as_many_queries_for_many_choices(
    client, connector, working_group_factory, user, page, django_assert_num_queries
):
    client.force_login(connector)
    url = reverse(page)
    published_sources([working_group_factory()], 2, user)
    few = queries_of(client, url)
    published_sources([working_group_factory() for _ in range(3)], 4, user)
    with django_assert_num_queries(few):
        html = client.get(url).content.decode()
    assert html.count("<option") >= 14
