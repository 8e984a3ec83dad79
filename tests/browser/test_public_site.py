import pytest
from playwright.sync_api import expect

from recommendations import services
from tests.browser.accessibility import axe_violations
from tests.factories import iteration
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db, working_group_factory, user):
    first = iteration("first-draft", "First draft, August 2019")
    first.position = 1
    first.save()
    second = iteration("second-iteration", "Second iteration, September 2019")
    second.position = 2
    second.save()
    advocacy = working_group_factory(name_en="Advocacy", name_zh_hans="倡导", slug="advocacy")
    health = working_group_factory(name_en="Community Health", slug="community-health")
    hub = make(
        advocacy,
        user,
        title="Advocacy hub",
        summary="A hub for campaigns.",
        body="We recommend a global hub.\n\nIt coordinates campaigns.\n",
    )
    publish(hub, user, first)
    publish(hub, user, second, body="We recommend a regional hub.\n\nIt coordinates campaigns.\n")
    conduct = make(
        health,
        user,
        title="Code of conduct",
        body="A joint set of rules we all agree to live by.\n",
    )
    publish(conduct, user, second)
    make(advocacy, user, title="Secret draft", body="Confidential wording.\n")
    for language, title in (("zh-hans", "倡导中心"), ("arz", "مركز المناصره")):
        services.translation_save(
            recommendation=hub,
            user=user,
            language=language,
            source=services.source_text(hub.published_version.revision),
            translations={"title": title},
        )
    return {"hub": hub, "conduct": conduct}


def test_a_reader_filters_searches_reads_in_three_languages_and_compares(page, site, shot):
    page.goto("/recommendations/")
    expect(page.get_by_role("status")).to_contain_text("2 recommendations")
    page.get_by_label("Working group").select_option(label="Community Health")
    page.get_by_role("button", name="Show").click()
    results = page.locator(".results > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Code of conduct")

    page.goto("/recommendations/")
    page.get_by_role("textbox", name="Search").fill("campaigns")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".results > li")).to_have_count(1)
    page.get_by_role("link", name="Advocacy hub").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Advocacy hub")
    shot("recommendation-en")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="简体中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("倡导中心")
    expect(page.locator(".translation-notice")).to_contain_text("25%")
    fallback = page.locator(".prose .untranslated").first
    expect(fallback).to_have_attribute("lang", "en")
    expect(fallback).to_contain_text("We recommend a regional hub.")
    shot("recommendation-zh")

    page.locator("nav.languages").get_by_role("link", name="مصرى").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("مركز المناصره")
    expect(page.locator(".translation-notice")).to_contain_text("25%")
    # Right to left: the heading starts at the right edge of the page.
    heading = page.get_by_role("heading", level=1).bounding_box()
    main = page.locator("main").bounding_box()
    assert heading["x"] + heading["width"] > main["x"] + main["width"] - 40
    shot("recommendation-arz")

    page.goto(site["hub"].get_public_url())
    page.get_by_label("Compare", exact=True).select_option(label="First draft, August 2019")
    page.get_by_role("button", name="Compare").click()
    # The text as readers read it, rendered, not its markdown.
    diff = page.locator("section.diff").filter(has_text="Text").locator(".diff-rendered p")
    expect(diff.locator("del")).to_have_text("global")
    expect(diff.locator("ins")).to_have_text("regional")
    shot("compare")


def test_a_draft_cannot_be_reached(page, site, working_group):
    response = page.goto("/recommendations/advocacy/3/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    page.goto("/recommendations/?q=confidential")
    expect(page.get_by_role("status")).to_contain_text("0 recommendations")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/recommendations/",
        "/recommendations/advocacy/1/",
        "/zh-hans/recommendations/advocacy/1/",
        "/arz/recommendations/advocacy/1/",
        "/iterations/second-iteration/",
        "/groups/",
        "/groups/advocacy/",
        "/timeline/",
        "/recommendations/advocacy/1/compare/",
    ],
)
def test_public_pages_have_no_serious_accessibility_violations(page, site, path):
    """axe-core finds no serious or critical violation on the public pages."""
    page.goto(path)
    assert axe_violations(page) == []


def test_pages_read_well_on_a_phone(browser, live_server, site):
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = phone.new_page()
    for path in ("/", "/recommendations/", site["hub"].get_public_url()):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    phone.close()


def test_the_iteration_pdf_opens(page, site):
    response = page.request.get("/iterations/second-iteration/pdf/")
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert response.body().rstrip().endswith(b"%%EOF")
    assert len(response.body()) > 5000


def test_reader_goes_through_a_large_iteration_page_by_page(page, site, monkeypatch, shot):
    """An iteration larger than a page has contents that lead to each group's page."""
    from public.views import iterations as public_views

    monkeypatch.setattr(public_views, "ITERATION_PER_PAGE", 1)
    page.goto("/iterations/second-iteration/")
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(page.locator("article")).to_contain_text("Advocacy hub")
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="Community Health").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.locator("article")).to_contain_text("Code of conduct")
    expect(page.get_by_role("link", name="PDF of page 2")).to_be_visible()
    shot("second-page")
    page.get_by_role("link", name="Previous").click()
    expect(page.locator("article")).to_contain_text("Advocacy hub")
