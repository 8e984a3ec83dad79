"""The walk through the whole process, on the demo, as each role meets it (docs/walk.md): for
each of the 21 places where the walk found a person stopped, misled or slowed, the page as it
is now, checked and photographed.

Each test opens the page as the demo account that meets it, asserts what the page must show,
and saves the screenshot docs/walk.md names. The screenshots go to var/screenshots/walk/;
`make screenshots` runs this file with WALK_SCREENSHOTS=docs/screenshots/walk to refresh the
committed ones. Like every browser test, each fails on a request to another origin, a script
error or a failed load (tests/browser/conftest.py).
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Locator, expect
from pypdf import PdfReader

from groups.models import WorkingGroup
from groups.services import invitation_create
from recommendations import selectors, services
from recommendations.models import Iteration, Recommendation, Thread
from strategy.models import User
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_review import SELECT  # selects a span of a paragraph's text

from .accessibility import axe_violations

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 800}
# The committed screenshots are at most this high: a taller element is cut at the bottom.
MAX_HEIGHT = 1400
OPEN_ITERATION = "Movement Strategy recommendations, 2020"
SECOND_ITERATION = "Second iteration, September 2019"


def screenshots_folder() -> Path:
    folder = Path(os.environ.get("WALK_SCREENSHOTS") or "var/screenshots/walk")
    return folder if folder.is_absolute() else Path(settings.BASE_DIR) / folder


def snap(target, name: str, *, clip=None) -> Path:
    """Save a screenshot of `target` (a page: its viewport, or `clip` of the whole page; an
    element: its box and a margin) as `name`.png, in 256 colours: an interface has few,
    and the text stays sharp at a third of the size."""
    if isinstance(target, Locator):
        target.scroll_into_view_if_needed()
        target, clip = target.page, span(target.page, target, target)
    options = {"animations": "disabled", "caret": "hide"}
    if clip:
        options |= {"clip": clip, "full_page": True}
    image = Image.open(io.BytesIO(target.screenshot(**options))).convert("RGB")
    if image.height > MAX_HEIGHT:
        image = image.crop((0, 0, image.width, MAX_HEIGHT))
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    folder = screenshots_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    image.save(path, optimize=True)
    assert image.width <= VIEWPORT["width"]
    assert path.stat().st_size < 400_000, (path, path.stat().st_size)
    return path


def span(page, first, last, *, margin=16) -> dict:
    """The part of the page that holds `first` and `last` (from the top of one to the
    bottom of the other), with a margin: a clip for `snap`."""
    boxes = [first.bounding_box(), last.bounding_box()]
    scroll = page.evaluate("[window.scrollX, window.scrollY]")
    left = max(0, min(box["x"] for box in boxes) + scroll[0] - margin)
    top = max(0, min(box["y"] for box in boxes) + scroll[1] - margin)
    right = min(VIEWPORT["width"], max(box["x"] + box["width"] for box in boxes) + margin)
    bottom = max(box["y"] + box["height"] for box in boxes) + scroll[1] + margin
    return {"x": left, "y": top, "width": right + scroll[0] - left, "height": bottom - top}


@pytest.fixture
def walk(browser, live_server, demo):
    """`walk(username)`: a tab signed in as that demo account (none: the public), 1280x800,
    in a browser context of its own. The contexts close after the test."""

    def open_page(username: str | None = None, *, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=VIEWPORT,
            locale="en-GB",
            java_script_enabled=javascript,
        )
        context.set_default_timeout(TIMEOUT_MS)
        if username:
            client = Client()
            client.force_login(User.objects.get(username=username))
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        return context.new_page()

    return open_page


def person(username: str) -> User:
    return User.objects.get(username=username)


def recommendation(group: str, number: str) -> Recommendation:
    return Recommendation.objects.select_related("published_version", "working_group").get(
        working_group__slug=group, number=number
    )


def edit(made: Recommendation, username: str, why: str, **changes) -> Recommendation:
    """Save a revision of `made` as `username`, changing the fields given, saying `why`."""
    return services.recommendation_update(
        recommendation=made,
        user=person(username),
        base_revision=selectors.revision_latest(recommendation=made).history_id,
        edit_summary=why,
        **{**services.source_text(made), **changes},
    )


def open_iteration() -> Iteration:
    return Iteration.objects.get(slug="recommendations-2020")


def feedback_then_a_change() -> tuple[Recommendation, Thread]:
    """The community member asks Advocacy 2 for something; a member's next revision adds
    it. The revision is not published yet."""
    made = recommendation("advocacy", "2")
    thread = services.feedback_start(
        version=made.published_version,
        user=person("community"),
        body="Say who pays for the first year: small affiliates cannot.",
    )
    made = edit(
        made,
        "member",
        "Who funds the first year",
        body=services.source_text(made)["body"] + "\nThe Foundation funds the first year.\n",
    )
    return made, thread


# The process


def test_01_a_closed_iteration_accepts_nothing(walk):
    """The coordinator's publish form offers the open iteration only; the core team sees
    which iteration is open in the admin, where an iteration is closed."""
    page = walk("coordinator")
    made = recommendation("advocacy", "3")
    page.goto(made.get_absolute_url())
    form = page.locator("form").filter(has=page.get_by_role("heading", name="Publish in an"))
    choice = form.get_by_label("Iteration")
    offered = choice.locator("option").all_inner_texts()
    assert OPEN_ITERATION in offered
    assert not any("2019" in label for label in offered), offered
    # Shown as a list, so that the screenshot shows every choice the form offers.
    choice.evaluate("select => { select.size = select.options.length }")
    snap(form, "01-publish-offers-open-iterations")
    assert not Iteration.objects.get(slug="second-iteration-2019-09").is_open

    core = walk("core")
    core.goto(reverse("admin:recommendations_iteration_changelist"))
    core.locator("#toggle-nav-sidebar").click()
    rows = core.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text=SECOND_ITERATION)).to_contain_text("Closed")
    expect(rows.filter(has_text=OPEN_ITERATION)).to_contain_text("Open")
    snap(core.locator("#result_list"), "01-iterations-open-and-closed")


def test_02_incorporated_cites_the_published_version(walk):
    """An outcome whose revision is not public yet says only that it is accepted; once a
    published version carries the change, the page says which, with the note."""
    made, thread = feedback_then_a_change()
    services.thread_resolve(
        thread=thread,
        user=person("connector"),
        outcome=Thread.Outcome.INCORPORATED,
        note="The text now says the Foundation funds the first year.",
        revision_number=selectors.revision_count(recommendation=made),
    )
    page = walk()
    page.goto(made.get_public_url())
    said = page.locator("table.outcomes")
    expect(said).to_contain_text("Accepted: it will be in the next published version")
    expect(said).not_to_contain_text("Foundation")
    expect(page.locator("#version-body")).not_to_contain_text("Foundation")
    snap(said, "02-incorporated-before-publishing")

    services.recommendation_publish(
        recommendation=made, user=person("coordinator"), iteration=open_iteration()
    )
    page.reload()
    expect(said).to_contain_text(f"Incorporated in {OPEN_ITERATION}")
    expect(said).to_contain_text("the Foundation funds the first year")
    expect(page.locator("#version-body")).to_contain_text("The Foundation funds the first year.")
    snap(said, "02-incorporated-after-publishing")


def test_03_a_connector_picks_the_revision_from_a_list(walk):
    """The triage form lists the revisions since the feedback: number, author and time to
    the connector, who does not read a thematic group's working copy; its summary and the
    words it changed too to whoever does (the core team, the group's members)."""
    made, thread = feedback_then_a_change()
    number = selectors.revision_count(recommendation=made)
    member = person("member").display_name
    core = walk("core")
    core.goto(reverse("feedback:triage", args=[thread.pk]))
    choice = core.locator("label").filter(has=core.locator('input[name="revision"]'))
    expect(choice).to_have_count(1)
    expect(choice).to_contain_text(f"#{number} · {member} · ")
    expect(choice).to_contain_text("Who funds the first year")
    expect(choice.locator(".diff-preview ins")).to_contain_text("Foundation funds")
    snap(core.locator("main"), "03-triage-revisions-core-team")

    page = walk("connector")
    page.goto(reverse("public:feedback_thread", args=[thread.pk]))
    page.get_by_role("link", name="Triage", exact=True).click()
    revisions = page.locator('input[name="revision"]')
    choice = page.locator("label").filter(has=revisions)
    expect(choice).to_have_count(1)
    expect(choice).to_contain_text(f"#{number} · {member} · ")
    expect(choice).not_to_contain_text("Foundation")
    page.get_by_role("radio", name="Incorporated").check()
    revisions.first.check()
    page.get_by_label("Note").fill("The next revision says who funds the first year.")
    snap(page.locator("main"), "03-triage-revisions-connector")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_role("status")).to_contain_text("Outcome recorded.")
    thread.refresh_from_db()
    assert thread.outcome_revision.history_id == (
        selectors.revision_latest(recommendation=made).history_id
    )


def test_04_a_reviewer_follows_her_thread_to_the_new_snapshot(walk):
    """Advocacy 1 is frozen again as Review 2: the reviewer of Review 1 sees her open thread
    there, and the coordinator asks the same reviewers again in one step."""
    made = recommendation("advocacy", "1")
    made = edit(made, "member", "Knowledge equity first", summary="Knowledge equity first.")
    newer = services.recommendation_submit_for_review(
        recommendation=made, user=person("coordinator"), name="Review 2"
    )
    reviewer = walk("reviewer")
    response = reviewer.goto(newer.get_absolute_url())
    assert response.status == 200
    earlier = reviewer.locator("section").filter(
        has=reviewer.get_by_role("heading", name="Open threads from earlier versions")
    )
    expect(earlier).to_contain_text("From Review 1")
    expect(earlier).to_contain_text("Which part of the Strategic Direction does this serve first?")
    snap(earlier, "04-thread-on-the-new-snapshot")

    coordinator = walk("coordinator")
    coordinator.goto(newer.get_absolute_url())
    expect(coordinator.get_by_text("No reviewer is assigned yet.")).to_be_visible()
    coordinator.get_by_role("button", name="Request re-review from the same reviewers").click()
    expect(coordinator.get_by_role("status")).to_contain_text(
        "1 reviewer of Review 1 is asked to review this snapshot."
    )
    assignments = coordinator.locator(".assignments")
    expect(assignments).to_contain_text(person("reviewer").display_name)
    snap(
        coordinator,
        "04-re-review-requested",
        clip=span(coordinator, coordinator.get_by_role("status"), assignments),
    )
    assert newer.assignments.get().brief == "Is the rationale convincing for small affiliates?"


def test_05_an_edited_published_recommendation_says_so(walk):
    edit(recommendation("advocacy", "2"), "member", "Budget line", summary="With a budget.")
    page = walk("member")
    page.goto(reverse("workspace"))
    row = page.get_by_role("row").filter(has_text="2. ")
    expect(row.first.locator(".state")).to_have_text("Published, with changes since")
    unchanged = page.get_by_role("row").filter(has_text="3. ").first
    expect(unchanged.locator(".state")).to_have_text("Published")
    snap(page.locator("main table").first, "05-published-with-changes")
    row.first.get_by_role("link", name="Changes since publication").click()
    expect(page.locator("ins").filter(has_text="With a budget.")).to_be_visible()


def test_06_publishing_warns_of_an_unfinished_review(walk):
    page = walk("coordinator")
    page.goto(recommendation("advocacy", "1").get_absolute_url())
    page.get_by_label("Iteration").select_option(label=OPEN_ITERATION)
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"in {OPEN_ITERATION}?")
    warnings = page.locator(".publish-warnings")
    expect(warnings).to_contain_text("1 review thread is still open.")
    snap(
        page,
        "06-publish-warning",
        clip=span(page, page.locator("main h1"), page.locator("main form")),
    )
    assert recommendation("advocacy", "1").last_published_in.slug == "second-iteration-2019-09"


def test_07_every_dashboard_figure_equals_its_list(walk):
    """Three of the demo's figures, followed to the lists they link to (every figure is
    followed in tests/admin/test_dashboard_figures.py)."""
    page = walk("core")
    page.goto(reverse("admin-dashboard"))
    table = page.locator(".dashboard-table")
    snap(table, "07-dashboard-figures")
    figures = {}
    for group, figure in (
        ("Advocacy", "open-threads"),
        ("Community Health", "fate-merged"),
        ("Capacity Building", "fate-merged"),
    ):
        link = table.get_by_role("row").filter(has_text=group).locator(f"[data-figure={figure}]")
        figures[link.get_attribute("href")] = int(link.inner_text())
    assert all(figures.values()), figures
    for href, shown in figures.items():
        page.goto(href)
        expect(page.locator("#result_list tbody tr")).to_have_count(shown)


def test_08_numbers_sort_as_people_read_them(walk):
    page = walk("writer")
    page.goto(reverse("synthesis:coverage"))
    group = WorkingGroup.objects.get(slug="product-technology")
    section = page.locator(f'section[aria-labelledby="group-{group.pk}"]')
    numbers = [
        text.split(".", 1)[0] for text in section.locator(".coverage-source > a").all_inner_texts()
    ]
    assert numbers == ["1", "2", "3", "4", "6A", "8", "10"]
    snap(section, "08-numbers-in-order")


def test_09_invitations_are_listed_and_a_new_member_has_a_next_step(walk):
    advocacy = WorkingGroup.objects.get(slug="advocacy")
    invitation_create(email="noor.aziz@example.org", working_group=advocacy)
    core = walk("core")
    core.goto(reverse("groups:invite", args=[advocacy.slug]))
    offered = core.get_by_label("Role").locator("option").all_inner_texts()
    assert "Writer" not in offered
    assert "Connector" not in offered
    core.goto(advocacy.get_absolute_url())
    pending = core.get_by_role("region", name="Pending invitations")
    expect(pending.get_by_role("row", name=re.compile("noor.aziz@example.org"))).to_contain_text(
        "Member"
    )
    expect(pending.get_by_role("button", name="Send again")).to_be_visible()
    snap(pending, "09-pending-invitations")

    member = walk("member")
    member.goto(advocacy.get_absolute_url())
    steps = member.get_by_role("region", name="Your next step")
    expect(steps.get_by_role("link").first).to_be_visible()
    snap(steps, "09-next-step")


# Reading


def test_10_the_iteration_page_and_pdf_carry_summaries_date_and_contents(walk):
    page = walk()
    iteration = Iteration.objects.get(slug="second-iteration-2019-09")
    page.goto(reverse("public:iteration", args=[iteration.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text(SECOND_ITERATION)
    expect(page.locator(".cite")).to_contain_text(f"/iterations/{iteration.slug}/")
    articles = page.locator("article")
    expect(articles.first.locator(".summary")).to_contain_text("What the Advocacy working group")
    assert articles.count() == articles.locator(".summary").count()
    snap(page, "10-iteration-page")

    pdf = page.request.get(reverse("public:iteration_pdf", args=[iteration.slug]))
    first = PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    assert "Contents" in first
    assert "2019" in first
    assert f"/iterations/{iteration.slug}/" in first


def test_11_comparing_iterations_shows_the_rendered_text(walk):
    made = recommendation("advocacy", "3")
    body = services.source_text(made)["body"]
    made = edit(
        made,
        "member",
        "Sharper questions",
        body=body.replace("## Open questions", "## Questions to settle").replace(
            "would help the movement", "would help every affiliate"
        ),
    )
    services.recommendation_publish(
        recommendation=made, user=person("coordinator"), iteration=open_iteration()
    )
    page = walk()
    page.goto(made.get_public_url())
    page.get_by_label("Compare", exact=True).select_option(label=SECOND_ITERATION)
    page.get_by_role("button", name="Compare").click()
    text = page.locator("section.diff").filter(has_text="Text")
    rendered = text.locator(".diff-rendered")
    expect(rendered.locator("ins").first).to_be_visible()
    expect(rendered.locator("ins").filter(has_text="affiliate")).to_have_count(1)
    expect(rendered.locator("h2").filter(has_text="settle")).to_have_count(1)
    assert "##" not in rendered.inner_text()
    assert "**" not in rendered.inner_text()
    snap(text, "11-compare-rendered")


def test_12_an_arabic_page_keeps_one_measure_and_labels_the_english(walk):
    page = walk()
    page.goto("/arz" + recommendation("advocacy", "2").get_public_url())
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    labels = page.locator(".fallback-label")
    expect(labels.first).to_have_text("بالإنجليزى")
    # A list is a block of the body; its items, English or not, share its measure.
    lists = page.locator(".prose > ul, .prose > ol").all()
    widths = {
        round(block.bounding_box()["width"])
        for block in (
            page.get_by_role("heading", level=1),
            page.locator(".recommendation .summary"),
            *page.locator(".prose > .unit").all(),
            *lists,
        )
    }
    assert max(widths) - min(widths) <= 2, widths
    assert lists
    for items in (shown.locator("> li").all() for shown in lists):
        item_widths = {round(item.bounding_box()["width"]) for item in items}
        assert max(item_widths) - min(item_widths) <= 2, item_widths
    assert axe_violations(page, "main") == []
    snap(page, "12-arabic-fallback")


def test_13_search_snippets_group_recommendations_and_the_now_panel(walk):
    page = walk()
    page.goto("/recommendations/?q=leadership")
    results = page.locator(".results > li")
    expect(results).to_have_count(2)
    for result in results.all():
        expect(result.locator(".snippet mark").first).to_have_text(re.compile("leadership", re.I))
        assert "**" not in result.locator(".snippet").inner_text()
    snap(page, "13-search-snippets", clip=span(page, page.locator("main h1"), results.last))

    page.goto("/groups/advocacy/")
    listed = page.get_by_role("region", name="Recommendations")
    expect(listed.get_by_role("listitem")).to_have_count(10)
    expect(listed.get_by_role("listitem").first).to_have_text("1. Transparency")
    # The numbers are the recommendations' own, once: the list adds none ("1. 1. Transparency").
    assert listed.locator("ol").evaluate("list => getComputedStyle(list).listStyleType") == "none"
    expect(listed.get_by_role("link", name="The group's Atom feed")).to_be_visible()
    snap(listed, "13-group-recommendations")

    page.goto("/")
    now = page.locator("section").filter(has=page.get_by_role("heading", name="Now", exact=True))
    # The demo's process ended in 2020: the panel says what came last.
    expect(now.locator(".milestone-last")).to_contain_text("Last date:")
    snap(now, "13-home-now")


def test_14_one_date_format_and_the_groups_of_a_group_only_milestone(walk):
    page = walk()
    page.goto(reverse("public:timeline"))
    singapore = page.locator("li").filter(has_text="in-person meeting, Singapore")
    amman = page.locator("li").filter(has_text="in-person meeting, Amman")
    expect(amman.locator(".groups-only")).to_have_text("For Community Health only")
    expect(singapore.locator("time")).to_have_text("June 18, 2019 \u2013 June 20, 2019")
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", page.locator("main").inner_text())
    snap(page, "14-timeline-dates", clip=span(page, singapore, amman))


# Editing and review


def test_16_the_conflict_screen_keeps_both_texts_and_marks_what_differs(walk):
    made = recommendation("advocacy", "4")
    page = walk("member")
    page.goto(reverse("recommendations:edit", args=[made.pk]))
    line = "- Who takes the first step, and with what resources?"
    body = services.source_text(made)["body"]
    edit(made, "coordinator", "Name the first step", body=body.replace(line, line + " The hub."))
    text = page.get_by_role("textbox", name="Text", exact=True)
    text.fill(body.replace(line, line + " Each affiliate."))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Someone saved while you were editing"
    )
    # Each marker on a line of its own, the whole list line on both sides.
    expect(text).to_have_value(re.compile(r"\n<<<<<<< [^\n]+\n- Who takes the first step"))
    expect(page.locator("pre.diff-text ins").first).to_be_visible()
    page.get_by_role("button", name="Save the merge").click()
    expect(page.locator(".errors")).to_contain_text("conflict markers")
    expect(page.get_by_role("heading", name="Their text (saved)")).to_be_visible()
    expect(page.locator('[id="id_body_error"]')).to_have_count(1)
    expect(page.get_by_text("The text still has conflict markers")).to_have_count(1)
    differs = page.get_by_role("heading", name="What differs")
    snap(page, "16-what-differs", clip=span(page, differs, page.locator("pre.diff-text").last))
    merge = page.get_by_role("heading", name="The merge")
    save = page.get_by_role("button", name="Save the merge")
    snap(page, "16-refused-merge", clip=span(page, merge, save))


def test_17_quotes_are_whole_words_and_commented_passages_are_marked(walk):
    made = recommendation("advocacy", "1")
    version = made.versions.get(name="Review 1")
    page = walk("reviewer")
    page.goto(version.get_absolute_url())
    page.wait_for_load_state()
    # Two letters of "Advocacy": less than a word, so nothing is quoted.
    page.evaluate(SELECT, ["#version-body p", 5, 7])
    page.wait_for_timeout(200)
    expect(page.get_by_label("Quoted passage")).to_have_value("")
    marked = page.locator("#version-body mark.quoted")
    expect(marked).to_have_count(1)
    expect(marked).to_have_text("Strategic Direction")
    thread = version.threads.get()
    assert marked.get_by_role("link").get_attribute("href").endswith(thread.get_absolute_url())
    page.evaluate("document.getSelection().removeAllRanges()")
    snap(page.locator("#version-body"), "17-marked-passage")


def test_18_synthesis_forms_search_ask_and_keep_to_one_form(walk):
    page = walk("writer")
    page.goto(reverse("synthesis:overlaps"))
    search = page.get_by_role("combobox", name="Recommendations that overlap")
    search.press_sequentially("privacy")
    search.press("Enter")
    chips = page.locator(".multichoice-chip > span")
    expect(chips).to_have_text(["Community Health 8. Privacy and security for everyone"])
    search.press_sequentially("leadership")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_text(
        [
            "3. Building the leadership of the future",
            "11. Invest in the leadership potential of community members",
        ]
    )
    form = page.locator("form").filter(has=search)
    snap(page, "18-overlap-search", clip=span(page, page.locator("main h1"), form))

    page.goto(reverse("synthesis:coverage"))
    expect(page.locator("form select[name=fate]")).to_have_count(1)
    page.get_by_role("link", name="Set fate").first.click()
    dialog = page.get_by_role("dialog", name="Set the fate")
    expect(dialog).to_be_visible()
    snap(page, "18-coverage-fate-dialog")

    synthesized = recommendation("synthesis", "6")
    page.goto(reverse("synthesis:sources", args=[synthesized.pk]))
    page.locator(".source-links > li").first.get_by_role("link", name="Remove").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this source?")
    snap(page.locator("main"), "18-remove-asks-first")
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator(".source-links > li")).to_have_count(4)


# The demo and the admin


def test_19_the_admin_translation_tabs_work_with_outside_requests_blocked(walk):
    """The browser fixture aborts and fails on any request to another origin: the admin's
    jQuery UI is the site's own."""
    advocacy = WorkingGroup.objects.get(slug="advocacy")
    page = walk("core")
    page.goto(reverse("admin:groups_workinggroup_change", args=[advocacy.pk]))
    tabs = page.locator(".ui-tabs").first
    expect(tabs).to_be_visible()
    tabs.get_by_role("tab").filter(has_text=re.compile("zh", re.I)).first.click()
    chinese = page.locator("input[name=name_zh_hans]")
    expect(chinese).to_be_visible()
    expect(chinese).to_have_value("倡导")
    expect(page.locator("label[for=id_name_zh_hans]")).to_contain_text("Simplified Chinese")
    snap(page.locator("fieldset").filter(has=tabs).first, "19-admin-translation-tabs")


def test_20_the_demo_answers_with_its_own_404_in_every_language(walk):
    page = walk()
    response = page.goto("/arz/no-such-page/")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="مش موجود", exact=True)).to_be_visible()
    assert "URLconf" not in page.content()
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(icon).status == 200
    snap(page, "20-own-404-page")
