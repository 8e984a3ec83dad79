"""Line numbers of published versions: the same on the recommendation's page, on the
iteration page, in the iteration's PDF and in the citation; pages whose queries do not
grow with the number of lines."""

import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from public import pdfs
from public.printing import html_to_pdf
from public.views.iterations import iteration_groups, iteration_page
from recommendations.text.lines import lines_of
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db

BODY = (
    "## Why a hub\n\n"
    + " ".join(f"word{index}" for index in range(60))
    + "\n\n- a short item\n- "
    + "a long item " * 12
    + "\n\n"
    + "倡导自由知识，让每个人都能参与。" * 6  # noqa: RUF001 - Chinese punctuation
    + "\n\nThe end."
)


@pytest.fixture
def hub(working_group, user, iterations):
    return publish(make(working_group, user, title="Hub", body=BODY), user, iterations[1])


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _pdf_of_iteration(iteration, language="en") -> bytes:
    with translation.override(language):
        page = iteration_page(iteration, 1)
        html = pdfs._html(iteration, page, iteration_groups(page.object_list, language))
    return html_to_pdf(html, base_url=settings.SITE_URL + "/")


def _pdf_rows(content: bytes) -> list[str]:
    from pypdf import PdfReader

    rows = []
    for page in PdfReader(io.BytesIO(content)).pages:
        rows += page.extract_text(extraction_mode="layout").splitlines()
    return rows


def test_the_pdf_numbers_the_lines_as_the_screen_does(client, hub, iterations):
    """Each numbered line of the page is one row of the PDF, with the same number beside
    the same words."""
    screen = lines_of(client.get(hub.get_public_url()).content.decode())
    assert len(screen) == 14, screen
    iteration_page_lines = lines_of(
        client.get(reverse("public:iteration", args=[iterations[1].slug])).content.decode()
    )
    assert iteration_page_lines == screen
    in_pdf = {}
    rows = _pdf_rows(_pdf_of_iteration(iterations[1]))
    # The recommendation's text, after its heading (the first page counts recommendations).
    body = rows[next(index for index, row in enumerate(rows) if "1. Hub" in row) :]
    for row in body:
        found = re.match(r"^\s*(\d+)\s+(\S.*)$", row)
        if found:
            in_pdf[int(found.group(1))] = _squeezed(found.group(2)).lstrip("•")
    for number, text in screen.items():
        assert in_pdf.get(number) == _squeezed(text), (number, text, in_pdf.get(number))


def test_the_citation_names_the_version_and_links_to_its_lines(client, hub, iterations):
    html = client.get(hub.get_public_url()).content.decode()
    name = f"{hub.working_group.name} {hub.number}, {iterations[1].name}"
    assert f"Cite this version: <cite>{name}</cite>" in html
    # The patterns the script fills in, and a link to each line without it.
    assert f'data-cite-range="{name}, lines {{first}}-{{last}}"' in html
    assert f'data-cite-one="{name}, line {{first}}"' in html
    assert 'href="#L12"' in html
    assert 'id="L12"' in html
    assert f'data-url="{hub.get_public_url()}"' in html


def test_in_arabic_the_pdf_numbers_stand_on_the_right(hub, iterations):
    rows = [row for row in _pdf_rows(_pdf_of_iteration(iterations[1], "arz")) if row.strip()]
    ends = {}
    for row in rows:
        found = re.match(r"^(\S.*?)\s+(\d+)$", row.strip())
        if found:
            ends[int(found.group(2))] = "".join(found.group(1).split())
    assert ends[2].startswith("word0word1")
    assert ends[14] == "Theend."
    assert not [row for row in rows if re.match(r"^\s*(2|14)\s+\S", row)]


def test_the_page_reads_the_same_queries_for_a_short_and_a_long_text(
    client, working_group, user, iterations
):
    short = publish(make(working_group, user, title="Short", body="One line."), user, iterations[1])
    long = publish(
        make(working_group, user, title="Long", body="\n\n".join(["word " * 40] * 200)),
        user,
        iterations[1],
    )
    counts = []
    for recommendation in (short, long):
        client.get(recommendation.get_public_url())  # warm what is read once per process
        with CaptureQueriesContext(connection) as queries:
            response = client.get(recommendation.get_public_url(), HTTP_CACHE_CONTROL="no-cache")
        counts.append(len(queries))
        assert response.status_code == 200
    assert len(lines_of(response.content.decode())) == 600
    assert counts[0] == counts[1]


def test_on_the_iteration_page_each_recommendation_cites_its_own_lines(client, hub, iterations):
    """Several versions on one page: each line's id names its recommendation, and its
    citation links to the iteration's page."""
    html = client.get(reverse("public:iteration", args=[iterations[1].slug])).content.decode()
    prefix = f"{hub.working_group.slug}-{hub.number}-"
    assert f'id="{prefix}L12"' in html
    assert f'href="#{prefix}L12"' in html
    assert f'data-prefix="{prefix}"' in html
    assert f'data-url="{reverse("public:iteration", args=[iterations[1].slug])}"' in html


def test_a_body_is_numbered_once_for_its_text_and_again_for_another(
    client, settings, hub, user, iterations, django_capture_on_commit_callbacks
):
    """The numbered body is kept by its text (public.views.recommendations._body_parts),
    and the page's rendered body by its published version (strategy/fragments.py): a
    second render numbers nothing, and a new published text is numbered afresh."""
    from public.views import recommendations as views
    from recommendations import services
    from tests.factories import iteration

    settings.PUBLIC_PAGE_CACHE = False  # each request renders the page
    views._body_parts.cache_clear()
    url = hub.get_public_url()
    first = client.get(url).content.decode()
    assert 'id="L1"' in first
    client.get(url)
    assert views._body_parts.cache_info().misses == 1
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.recommendation_update(
            recommendation=hub,
            user=user,
            title="Hub",
            summary="",
            body="A new first line.\n\n" + BODY,
            base_revision=hub.history.order_by("-history_date", "-history_id").first().history_id,
        )
        publish(changed, user, iteration("third-iteration", "Third iteration"))
    html = client.get(url).content.decode()
    assert "A new first line." in html
    assert views._body_parts.cache_info().misses == 2
