"""An Egyptian Arabic page of a partly translated recommendation: the parts shown in English
keep the measure of the rest and say, in words, that they are in English."""

import pytest
from playwright.sync_api import expect

from recommendations import services
from tests.factories import iteration
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.browser


@pytest.fixture
def partly_translated(transactional_db, working_group_factory, user):
    advocacy = working_group_factory(name_en="Advocacy", slug="advocacy")
    hub = make(
        advocacy,
        user,
        title="Advocacy hub",
        summary="A hub for campaigns across the movement.",
        body=(
            "We recommend a regional hub.\n\n"
            "It coordinates campaigns and shares what each affiliate learns with the others.\n"
        ),
    )
    publish(hub, user, iteration("second-iteration"))
    # The first paragraph only: the title, the summary and the second paragraph stay English.
    services.translation_save(
        recommendation=hub,
        user=user,
        language="arz",
        source=services.source_text(hub.published_version.revision),
        translations={"body.0": "بنقترح مركز إقليمى."},
    )
    return hub


def test_english_fallback_has_the_measure_of_the_rest_and_a_label(page, partly_translated, shot):
    page.goto("/arz" + partly_translated.get_public_url())
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Advocacy hub")

    blocks = {
        "title": page.get_by_role("heading", level=1),
        "summary": page.locator(".recommendation .summary"),
        "translated paragraph": page.locator(".prose .unit").nth(0),
        "English paragraph": page.locator(".prose .unit").nth(1),
    }
    boxes = {name: block.bounding_box() for name, block in blocks.items()}
    widths = {name: round(box["width"]) for name, box in boxes.items()}
    assert max(widths.values()) - min(widths.values()) <= 2, widths
    # One column: every block starts at the same (right-hand) edge.
    right_edges = {name: round(box["x"] + box["width"]) for name, box in boxes.items()}
    assert max(right_edges.values()) - min(right_edges.values()) <= 2, right_edges

    labels = page.locator(".fallback-label")
    expect(labels).to_have_count(3)
    expect(labels.first).to_have_text("بالإنجليزى")
    expect(labels.first).to_have_attribute("lang", "arz")
    english = blocks["English paragraph"]
    expect(english).to_have_attribute("lang", "en")
    expect(english).to_have_attribute("dir", "ltr")
    expect(english.locator(".fallback-label")).to_have_text("بالإنجليزى")
    # The title's and the summary's labels stand right above them, outside the heading.
    expect(page.locator(".fallback-label + h1")).to_have_count(1)
    expect(page.locator(".fallback-label + .summary")).to_have_count(1)
    expect(blocks["translated paragraph"].locator(".fallback-label")).to_have_count(0)
    shot("arz-fallback")
