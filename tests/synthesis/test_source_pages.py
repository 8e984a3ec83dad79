"""A synthesized recommendation's source links, changed after linking: the note edited (its
history kept, a note changed meanwhile not overwritten), the link removed only once the
removal is confirmed; and the coverage report's one fate form, with a page per source for
a browser without JavaScript. Who may do each, cell by cell (docs/permissions.md)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommendations import services
from recommendations.models import SourceFate, SourceLink
from tests.factories import recommendation as make
from tests.synthesis.conftest import published_sources

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "community", "thematic_member", "reviewer", "connector", "writer", "core_team"]
# Who may change a source link (link_sources) and decide a source's fate (decide_fate): the
# synthesis's writers and the core team. Anonymous people are sent to sign in.
WRITERS = {"writer", "core_team"}


@pytest.fixture
def link(working_group_factory, synthesis_group, writer, user):
    version = published_sources([working_group_factory(name_en="Capacity Building")], 1, user)[0]
    synthesized = make(synthesis_group, writer, title="Invest in skills")
    return services.source_link(
        synthesized=synthesized, source_version=version, user=writer, note="Taken whole."
    )


def note_url(link):
    return reverse("synthesis:source_note", args=[link.synthesized_id, link.pk])


def unlink_url(link):
    return reverse("synthesis:unlink", args=[link.synthesized_id, link.pk])


def test_editing_a_note_keeps_its_history(link, writer):
    """The new note is saved, stripped; the history holds both notes, who changed it and
    why; saving the same note again writes nothing."""
    services.source_link_note_update(
        link=link, note="  Only its training part.\n", user=writer, base_digest=None
    )
    link.refresh_from_db()
    assert link.note == "Only its training part."
    latest, first = link.history.all()[:2]
    assert (latest.note, latest.history_user, latest.history_change_reason) == (
        "Only its training part.",
        writer,
        "Note edited",
    )
    assert first.note == "Taken whole."
    services.source_link_note_update(link=link, note="Only its training part.", user=writer)
    assert link.history.count() == 2


def test_a_note_changed_meanwhile_is_not_overwritten(link, writer):
    started_from = services.note_digest(link.note)
    services.source_link_note_update(link=link, note="Theirs.", user=writer)
    with pytest.raises(ValidationError) as refused:
        services.source_link_note_update(
            link=link, note="Mine.", user=writer, base_digest=started_from
        )
    assert refused.value.code == "stale"
    link.refresh_from_db()
    assert link.note == "Theirs."
    # The browser sends a note's line breaks as CRLF: not a change.
    services.source_link_note_update(link=link, note="Two\r\nlines", user=writer)
    services.source_link_note_update(
        link=link, note="Mine.", user=writer, base_digest=services.note_digest("Two\nlines")
    )
    link.refresh_from_db()
    assert link.note == "Mine."


@pytest.mark.parametrize("who", WHO)
def test_who_may_edit_a_note(as_, link, who):
    """The note form opens, and saves, for those who may link sources; to the others it is
    403 (anonymous: sign in), and the note is unchanged."""
    client = as_(who)
    opened = client.get(note_url(link))
    saved = client.post(
        note_url(link), {"note": "Rewritten.", "base": services.note_digest(link.note)}
    )
    link.refresh_from_db()
    if who in WRITERS:
        assert opened.status_code == 200
        assert 'name="note"' in opened.content.decode()
        assert saved.status_code == 302
        assert (
            saved.url
            == f"{reverse('synthesis:sources', args=[link.synthesized_id])}#link-{link.pk}"
        )
        assert link.note == "Rewritten."
    else:
        expected = 302 if who == "anonymous" else 403
        assert (opened.status_code, saved.status_code) == (expected, expected)
        if who == "anonymous":
            assert saved.url.startswith(reverse("login"))
        assert link.note == "Taken whole."


def test_the_note_form_shows_a_note_changed_meanwhile_and_keeps_the_text_typed(as_, link, writer):
    client = as_("writer")
    html = client.get(note_url(link)).content.decode()
    base = re.search(r'name="base" value="([0-9a-f]+)"', html).group(1)
    services.source_link_note_update(link=link, note="Their version.", user=writer)
    refused = client.post(note_url(link), {"note": "My version.", "base": base})
    html = refused.content.decode()
    assert refused.status_code == 422
    assert "Someone changed this note while you were editing it." in html
    assert "Their version." in html
    assert "My version.</textarea>" in html
    link.refresh_from_db()
    assert link.note == "Their version."
    # Saved again from that page, knowing their note: it replaces it.
    base = re.search(r'name="base" value="([0-9a-f]+)"', html).group(1)
    assert client.post(note_url(link), {"note": "My version.", "base": base}).status_code == 302
    link.refresh_from_db()
    assert link.note == "My version."


def test_an_oversized_note_is_refused_and_kept(as_, link):
    client = as_("writer")
    answer = client.post(note_url(link), {"note": "x" * 4001, "base": ""})
    assert answer.status_code == 422
    assert "at most 4000 characters" in answer.content.decode()
    assert ("x" * 4001) in answer.content.decode()
    link.refresh_from_db()
    assert link.note == "Taken whole."


@pytest.mark.parametrize("who", WHO)
def test_who_may_remove_a_source_and_only_after_confirming(as_, link, who):
    """GET shows the confirmation and removes nothing, for anyone; the POST of it removes
    the link, for those who may link sources only."""
    client = as_(who)
    asked = client.get(unlink_url(link))
    assert SourceLink.objects.filter(pk=link.pk).exists()
    if who in WRITERS:
        html = asked.content.decode()
        assert asked.status_code == 200
        assert "Remove this source?" in html
        assert "Taken whole." in html
        assert '<form method="post"' in html
        assert "Remove the source" in html
    removed = client.post(unlink_url(link))
    if who in WRITERS:
        assert removed.status_code == 302
        assert not SourceLink.objects.filter(pk=link.pk).exists()
        # The history keeps the removed link, and who removed it.
        assert link.history.latest().history_type == "-"
    else:
        expected = 302 if who == "anonymous" else 403
        assert (asked.status_code, removed.status_code) == (expected, expected)
        assert SourceLink.objects.filter(pk=link.pk).exists()


def test_the_sources_page_links_to_edit_and_remove_and_holds_no_remove_form(as_, link):
    html = as_("writer").get(reverse("synthesis:sources", args=[link.synthesized_id]))
    html = html.content.decode()
    assert f'href="{note_url(link)}"' in html
    assert f'href="{unlink_url(link)}"' in html
    assert f'action="{unlink_url(link)}"' not in html
    connector = as_("connector").get(reverse("synthesis:sources", args=[link.synthesized_id]))
    assert note_url(link) not in connector.content.decode()
    assert unlink_url(link) not in connector.content.decode()


def test_a_link_of_another_recommendation_is_not_found(as_, link, synthesis_group, writer):
    other = make(synthesis_group, writer, title="Another")
    client = as_("writer")
    wrong = reverse("synthesis:source_note", args=[other.pk, link.pk])
    assert client.get(wrong).status_code == 404
    assert client.post(reverse("synthesis:unlink", args=[other.pk, link.pk])).status_code == 404
    assert SourceLink.objects.filter(pk=link.pk).exists()


@pytest.fixture
def sources(working_group_factory, user):
    return [
        version.recommendation
        for version in published_sources([working_group_factory() for _ in range(2)], 3, user)
    ]


def test_the_coverage_report_has_one_fate_form_however_many_sources(as_, sources):
    html = as_("writer").get(reverse("synthesis:coverage")).content.decode()
    assert html.count('name="fate"') == 1
    assert html.count('name="reason"') == 1
    assert html.count("data-fate-dialog") == len(sources)
    for source in sources:
        assert f'href="{reverse("synthesis:fate", args=[source.pk])}"' in html
    # Those who may not decide a fate get no form, and no link to one.
    html = as_("connector").get(reverse("synthesis:coverage")).content.decode()
    assert 'name="fate"' not in html
    assert "data-fate-dialog" not in html


def test_the_coverage_report_runs_as_many_queries_for_many_sources(
    as_, working_group_factory, user, django_assert_num_queries
):
    """The writer's coverage report, with its "Set fate" links and its form, asks the
    database the same number of times for 2 sources as for 20."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_("writer")
    published_sources([working_group_factory()], 2, user)
    client.get(reverse("synthesis:coverage"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("synthesis:coverage"))
    published_sources([working_group_factory() for _ in range(3)], 6, user)
    with django_assert_num_queries(len(few)):
        answer = client.get(reverse("synthesis:coverage"))
    assert answer.content.decode().count("data-fate-dialog") == 20


def test_the_fate_page_records_a_fate_and_keeps_a_refused_one(as_, sources):
    """Without JavaScript, "Set fate" opens the source's fate page: the form, filled with
    its decided fate. A fate without a reason is refused there, with what was chosen
    kept; a good one is recorded and leads back to the source in the report."""
    source = sources[0]
    url = reverse("synthesis:fate", args=[source.pk])
    client = as_("writer")
    page = client.get(url)
    assert page.status_code == 200
    assert source.published_version.revision.title_en in page.content.decode()
    refused = client.post(url, {"fate": "left_out", "reason": " "})
    html = refused.content.decode()
    assert refused.status_code == 422
    assert "Say why, or where it went." in html
    assert '<option value="left_out" selected>' in html
    assert not SourceFate.objects.filter(source=source).exists()
    recorded = client.post(url, {"fate": "left_out", "reason": "Out of scope for now."})
    assert recorded.status_code == 302
    assert recorded.url == f"{reverse('synthesis:coverage')}#source-{source.pk}"
    assert SourceFate.objects.get(source=source).reason == "Out of scope for now."
    again = client.get(url).content.decode()
    assert '<option value="left_out" selected>' in again
    assert "Out of scope for now." in again
    # "Decided by its links" clears it.
    assert client.post(url, {"fate": "", "reason": ""}).status_code == 302
    assert not SourceFate.objects.filter(source=source).exists()


@pytest.mark.parametrize("who", WHO)
def test_who_may_open_and_use_the_fate_page(as_, sources, who):
    url = reverse("synthesis:fate", args=[sources[0].pk])
    client = as_(who)
    opened = client.get(url)
    posted = client.post(url, {"fate": "forwarded", "reason": "To the Board."})
    if who in WRITERS:
        assert (opened.status_code, posted.status_code) == (200, 302)
        assert SourceFate.objects.filter(source=sources[0]).exists()
    else:
        expected = 302 if who == "anonymous" else 403
        assert (opened.status_code, posted.status_code) == (expected, expected)
        assert not SourceFate.objects.filter(source=sources[0]).exists()


def test_the_choice_of_recommendations_is_grouped_and_searchable(as_, sources, user):
    """Overlaps and inputs choose from a <select multiple> with one <optgroup> per working
    group, which the page's script makes searchable; posting it works without the script."""
    for name in ("synthesis:overlaps", "synthesis:inputs"):
        html = as_("core_team").get(reverse(name)).content.decode()
        assert html.count("<optgroup") == 2
        assert "data-multichoice" in html
        assert 'src="/static/js/multichoice.js" defer' in html
        assert "Hold Ctrl" in html
    first = sources[0]
    html = as_("writer").get(reverse("synthesis:overlaps")).content.decode()
    group = re.search(
        rf'<optgroup label="{re.escape(first.working_group.name)}">(.*?)</optgroup>', html, re.S
    )
    assert f">{first.number}. {first.published_version.revision.title_en}</option>" in group.group(
        1
    )
