import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from groups.models import Role, WorkingGroup
from recommendations import selectors, services
from tests.browser.accessibility import axe_violations
from tests.browser.conftest import TIMEOUT_MS
from tests.factories import MembershipFactory, UserFactory, iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.browser


def option_value(page, text):
    return page.locator("option", has_text=text).first.get_attribute("value")


def test_the_whole_synthesis(
    open_as, browser, live_server, transactional_db, working_group_factory, user, shot
):
    """A writer drafts a synthesized recommendation from three sources of two groups, a
    connector attaches a feasibility assessment, a reviewer comments, the coverage report
    moves, and the public page shows the sources."""
    second = iteration("second-iteration", "Second iteration, September 2019")
    synthesis = WorkingGroup.objects.create(
        name_en="Synthesis group", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
    )
    capacity = working_group_factory(name_en="Capacity Building", slug="capacity-building")
    health = working_group_factory(name_en="Community Health", slug="community-health")
    titles = {}
    for group, title in (
        (capacity, "Leadership development"),
        (capacity, "Training hubs"),
        (health, "Building the leadership of the future"),
        (health, "Privacy and security"),
    ):
        made = make(group, user, title=title, body=f"{title}, in detail.\n")
        services.recommendation_publish(recommendation=made, user=user, iteration=second)
        titles[title] = made
    writer = UserFactory(first_name="Wanjiru", last_name="Kamau")
    MembershipFactory(user=writer, working_group=synthesis, role=Role.WRITER)
    connector = UserFactory(first_name="Carlos", last_name="Ibarra")
    MembershipFactory(user=connector, working_group=synthesis, role=Role.CONNECTOR)
    reviewer = UserFactory(first_name="Rania", last_name="Haddad")
    MembershipFactory(user=reviewer, working_group=synthesis, role=Role.REVIEWER)

    page = open_as(writer)
    page.goto(reverse("workspace"))
    page.get_by_role("link", name="New draft").click()
    page.get_by_label("Title").fill("Invest in skills and leadership development")
    page.get_by_role("textbox", name="Text", exact=True).fill("We invest in leadership.\n")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Sources and inputs").click()
    for title, note in (
        ("Leadership development", "Merged whole."),
        ("Training hubs", "Only the hubs' staffing."),
        ("Building the leadership of the future", "Merged with the first."),
    ):
        page.get_by_label("Source, as published").select_option(option_value(page, title))
        page.get_by_label("Note").fill(note)
        page.get_by_role("button", name="Link the source").click()
        expect(page.get_by_role("status")).to_contain_text("Source linked.")
    expect(page.locator(".source-links > li")).to_have_count(3)
    synthesized = synthesis.recommendations.get()

    connector_page = open_as(connector)
    connector_page.goto(reverse("synthesis:inputs"))
    connector_page.get_by_label("Kind").select_option(label="Feasibility assessment")
    connector_page.get_by_label("Title").fill("Cost of regional training hubs")
    connector_page.get_by_role("textbox", name="Text").fill("About two full-time people.")
    concerns = connector_page.get_by_role("combobox", name="Recommendations it concerns")
    concerns.fill("training hubs")
    concerns.press("Enter")
    expect(connector_page.locator(".multichoice-chip > span")).to_have_text(
        ["Capacity Building 2. Training hubs"]
    )
    connector_page.get_by_role("button", name="Add the input").click()
    expect(connector_page.get_by_role("status")).to_contain_text("Input added.")
    page.reload()
    expect(page.locator(".inputs")).to_contain_text("Cost of regional training hubs")

    # The writer submits it for review; the reviewer comments.
    version = services.recommendation_submit_for_review(
        recommendation=synthesized, user=writer, name="Synthesis review 1"
    )
    services.assignment_create(
        version=version,
        reviewer=reviewer,
        assigned_by=writer,
        due_on=__import__("datetime").date(2031, 1, 1),
    )
    reviewer_page = open_as(reviewer)
    reviewer_page.goto(version.get_absolute_url())
    reviewer_page.get_by_role("textbox", name="Comment", exact=True).fill(
        "Does this cover the Community Health view of leadership?"
    )
    reviewer_page.get_by_role("button", name="Add the comment").click()
    expect(reviewer_page.locator(".comments")).to_contain_text("Community Health view")

    page.goto(reverse("synthesis:coverage"))
    expect(page.get_by_role("status")).to_contain_text(
        "3 of 4 source recommendations are reflected"
    )
    row = page.locator(f"#source-{titles['Privacy and security'].pk}")
    expect(row).to_contain_text("Not yet decided")
    row.get_by_role("link", name="Set fate").click()
    dialog = page.get_by_role("dialog", name="Set the fate")
    dialog.get_by_label("Fate").select_option("left_out")
    dialog.get_by_label("Reason, or where it went").fill("Forwarded to the Board's privacy review.")
    dialog.get_by_role("button", name="Record").click()
    expect(page.locator(f"#source-{titles['Privacy and security'].pk}")).to_contain_text("Left out")
    shot("coverage", target=page)

    services.recommendation_publish(
        recommendation=synthesized,
        user=writer,
        iteration=iteration("synthesis-2020", "Synthesis, 2020"),
    )
    public = browser.new_context(base_url=live_server.url).new_page()
    synthesized.refresh_from_db()
    public.goto(synthesized.get_public_url())
    sources = public.locator("section").filter(has_text="Its sources")
    expect(sources.locator("li")).to_have_count(3)
    expect(sources).to_contain_text("Only the hubs' staffing.")
    public.goto(titles["Training hubs"].get_public_url())
    expect(public.locator("section").filter(has_text="In the synthesis")).to_contain_text(
        "Invest in skills and leadership development"
    )
    shot("public-source", target=public)
    for other in (connector_page, reviewer_page, public, page):
        other.context.close()


def test_community_feedback_you_said_we_did(
    open_as, browser, live_server, transactional_db, user, working_group, shot
):
    """A signed-in community member comments on a published recommendation; a connector
    triages it; the public page shows what was said and what was done."""
    synthesis = WorkingGroup.objects.create(
        name_en="Synthesis group", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
    )
    made = make(
        working_group, user, title="Open minutes", body="Every meeting publishes minutes.\n"
    )
    services.recommendation_publish(
        recommendation=made, user=user, iteration=iteration("second-iteration")
    )
    made.refresh_from_db()
    reader = UserFactory(first_name="Chen", last_name="Yu")
    connector = UserFactory(first_name="Carlos", last_name="Ibarra")
    MembershipFactory(user=connector, working_group=synthesis, role=Role.CONNECTOR)

    page = open_as(reader)
    page.goto(made.get_public_url())
    page.locator("#version-body p").first.select_text()
    expect(page.get_by_label("Quoted passage")).to_have_value("Every meeting publishes minutes.")
    page.get_by_role("textbox", name="Comment", exact=True).fill(
        "Within a week, please: otherwise nobody reads them."
    )
    page.get_by_role("button", name="Publish my comment").click()
    expect(page.get_by_role("status")).to_contain_text("your comment is published")

    # The change, after the feedback; the connector picks it from the list of revisions.
    edited = services.recommendation_update(
        recommendation=made,
        user=user,
        title=made.title_en,
        summary=made.summary_en,
        body="Every meeting publishes minutes within a week.\n",
        base_revision=selectors.revision_latest(recommendation=made).history_id,
    )
    moderator = open_as(connector)
    moderator.goto(page.url)
    moderator.get_by_role("link", name="Triage", exact=True).click()
    moderator.get_by_role("radio", name="Incorporated").check()
    moderator.get_by_label("Note").fill("The next revision says: within a week.")
    moderator.locator('input[name="revision"]').first.check()
    moderator.get_by_role("button", name="Record the outcome").click()
    expect(moderator.get_by_role("status")).to_contain_text("Outcome recorded.")
    # The public reads the outcome once a published version carries the change.
    services.recommendation_publish(
        recommendation=edited, user=user, iteration=iteration("third-iteration", "Third, 2026")
    )

    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto(made.get_public_url())
    said = public.locator("table.outcomes")
    expect(said).to_contain_text("Within a week, please")
    expect(said).to_contain_text("Incorporated")
    expect(said).to_contain_text("The next revision says: within a week.")
    shot("you-said-we-did", target=public)
    for other in (page, moderator, public):
        other.context.close()


GROUPS = [
    "Advocacy",
    "Capacity Building",
    "Community Health",
    "Diversity",
    "Partnerships",
    "Product & Technology",
    "Resource Allocation",
    "Revenue Streams",
    "Roles & Responsibilities",
]


@pytest.fixture
def reference_case(transactional_db, working_group_factory, user):
    """The second iteration's 89 sources in nine groups (ten each, nine in the last), the
    synthesis group with a writer, and one synthesized recommendation with a source."""
    second = iteration("second-iteration", "Second iteration, September 2019")
    synthesis = WorkingGroup.objects.create(
        name_en="Synthesis group", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
    )
    sources = {}
    for position, name in enumerate(GROUPS):
        group = working_group_factory(name_en=name, slug=f"wg-{position}", position=position)
        for index in range(10 if position < 8 else 9):
            title = {
                ("Community Health", 3): "Privacy and security",
                ("Capacity Building", 0): "Leadership development",
                ("Diversity", 4): "Safety and inclusion",
            }.get((name, index), f"{name}: proposal {index + 1}")
            made = make(group, user, title=title, body=f"{title}.\n")
            services.recommendation_publish(recommendation=made, user=user, iteration=second)
            sources[title] = made
    writer = UserFactory(first_name="Wanjiru", last_name="Kamau")
    MembershipFactory(user=writer, working_group=synthesis, role=Role.WRITER)
    synthesized = make(synthesis, writer, title="Invest in skills and leadership development")
    leadership = sources["Leadership development"]
    leadership.refresh_from_db()
    link = services.source_link(
        synthesized=synthesized,
        source_version=leadership.published_version,
        user=writer,
        note="Merged whole.",
    )
    assert len(sources) == 89
    return {"sources": sources, "writer": writer, "synthesized": synthesized, "link": link}


def test_a_writer_maps_an_overlap_by_searching_with_the_keyboard(open_as, reference_case, shot):
    """In the overlaps form, typing filters the 89 by group, number and title; the arrow keys
    and Enter choose; the chosen show as chips, each removable; the overlap is recorded
    with them. The form passes axe, and lays out right to left in Arabic."""
    page = open_as(reference_case["writer"])
    page.goto(reverse("synthesis:overlaps"))
    search = page.get_by_role("combobox", name="Recommendations that overlap")
    expect(page.locator('select[name="members"]')).to_be_hidden()
    expect(page.locator(".multichoice-none")).to_have_text("None chosen yet.")
    assert axe_violations(page) == []

    search.press_sequentially("health priv")
    listbox = page.get_by_role("listbox")
    expect(search).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox.get_by_role("option")).to_have_text("4. Privacy and security")
    expect(listbox.get_by_role("group", name="Community Health")).to_be_visible()
    assert axe_violations(page, ".multichoice") == []
    search.press("Enter")
    chips = page.locator(".multichoice-chip > span")
    expect(chips).to_have_text(["Community Health 4. Privacy and security"])
    # The search is done: the box is empty and the list closed; Down opens all of it.
    expect(search).to_have_value("")
    expect(search).to_have_attribute("aria-expanded", "false")
    search.press("ArrowDown")
    expect(listbox.get_by_role("option")).to_have_count(89)
    expect(listbox.get_by_role("option", name="4. Privacy and security")).to_have_attribute(
        "aria-selected", "true"
    )

    # A group's name narrows to the group, its first match highlighted; Down moves on.
    search.press_sequentially("diversity")
    expect(listbox.get_by_role("option")).to_have_count(10)
    for _ in range(4):
        search.press("ArrowDown")
    safety = listbox.get_by_role("option", name="5. Safety and inclusion")
    expect(safety).to_have_class("multichoice-option active")
    expect(search).to_have_attribute("aria-activedescendant", safety.get_attribute("id"))
    search.press("Enter")
    search.press_sequentially("leadership")
    page.get_by_role("option", name="1. Leadership development").click()
    expect(chips).to_have_count(3)
    shot("overlap-chosen", target=page)

    # Escape closes the list, then empties the box; Backspace in the empty box removes the
    # last chip; a chip's button removes its own.
    search.press("Escape")
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(search).to_have_value("leadership")
    search.press("Escape")
    expect(search).to_have_value("")
    search.press("Backspace")
    expect(chips).to_have_text(
        ["Capacity Building 1. Leadership development", "Community Health 4. Privacy and security"]
    )
    page.get_by_role("button", name="Remove Community Health 4. Privacy and security").click()
    expect(chips).to_have_text(["Capacity Building 1. Leadership development"])
    search.press_sequentially("priv")
    search.press("Enter")
    page.get_by_label("How they overlap").fill("Both ask for leadership training.")
    page.get_by_role("button", name="Record the overlap").click()
    expect(page.get_by_role("status")).to_contain_text("Overlap recorded.")
    cluster = page.locator(".clusters > li").first
    expect(cluster).to_contain_text("Both ask for leadership training.")
    expect(cluster.locator("li")).to_have_text(
        ["Capacity Building 1. Leadership development", "Community Health 4. Privacy and security"]
    )

    # Right to left: the chips start at the right edge of the box.
    page.goto("/arz" + reverse("synthesis:overlaps"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    search = page.locator(".multichoice-search")
    search.press_sequentially("Diversity")
    search.press("ArrowDown")
    search.press("Enter")
    chip = page.locator(".multichoice-chip").first.bounding_box()
    box = page.locator(".multichoice").bounding_box()
    assert chip["x"] + chip["width"] > box["x"] + box["width"] - 2
    assert axe_violations(page) == []
    shot("overlap-arz", target=page)


def test_without_javascript_the_overlap_is_a_plain_multiple_choice(
    browser, live_server, reference_case
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    client = Client()
    client.force_login(reference_case["writer"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.goto(reverse("synthesis:overlaps"))
    members = page.get_by_label("Recommendations that overlap")
    expect(members).to_be_visible()
    expect(page.get_by_text("Hold Ctrl")).to_be_visible()
    sources = reference_case["sources"]
    members.select_option(
        [str(sources["Privacy and security"].pk), str(sources["Safety and inclusion"].pk)]
    )
    page.get_by_label("How they overlap").fill("Both are about safety.")
    page.get_by_role("button", name="Record the overlap").click()
    expect(page.locator(".clusters > li").first.locator("li")).to_have_count(2)

    # The coverage report's "Set fate" opens the source's own fate page.
    page.goto(reverse("synthesis:coverage"))
    row = page.locator(f"#source-{sources['Privacy and security'].pk}")
    row.get_by_role("link", name="Set fate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fate of 4. Privacy and security")
    page.get_by_label("Fate").select_option("forwarded")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why, or where it went.")
    expect(page.get_by_label("Fate")).to_have_value("forwarded")
    page.get_by_label("Reason, or where it went").fill("To the Board's privacy review.")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(f"#source-{sources['Privacy and security'].pk}")).to_contain_text(
        "Forwarded elsewhere"
    )
    context.close()


def test_the_coverage_report_is_one_short_page_with_one_fate_form(open_as, reference_case, shot):
    """89 sources and one fate form, in a dialog that each source's "Set fate" opens: the
    page is under half the 9,993 px it was with a form per source (1280 px wide)."""
    page = open_as(reference_case["writer"])
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(reverse("synthesis:coverage"))
    expect(page.get_by_role("status")).to_contain_text("1 of 89 source recommendations")
    expect(page.get_by_role("link", name="Set fate")).to_have_count(89)
    expect(page.locator("form select[name=fate]")).to_have_count(1)
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"coverage page height, 89 sources: {height}px")
    assert height < 5000, height
    assert axe_violations(page) == []
    shot("coverage", target=page)

    privacy = reference_case["sources"]["Privacy and security"]
    row = page.locator(f"#source-{privacy.pk}")
    opener = row.get_by_role("link", name="Set fate")
    opener.click()
    dialog = page.get_by_role("dialog", name="Set the fate")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Community Health 4. Privacy and security")
    expect(dialog).to_contain_text("Not yet decided")
    expect(dialog.get_by_label("Fate")).to_be_focused()
    assert axe_violations(page, "#fate-dialog") == []
    shot("coverage-dialog", target=page)
    # Cancel closes it and returns to the link; nothing is recorded.
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    opener.press("Enter")
    dialog.get_by_label("Fate").select_option("left_out")
    dialog.get_by_label("Reason, or where it went").fill("Out of the movement's reach for now.")
    dialog.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status").first).to_contain_text("Fate recorded.")
    row = page.locator(f"#source-{privacy.pk}")
    expect(row).to_contain_text("Left out")
    expect(row).to_contain_text("Out of the movement's reach for now.")
    # Opened again, the dialog holds the fate recorded.
    row.get_by_role("link", name="Set fate").click()
    expect(dialog.get_by_label("Fate")).to_have_value("left_out")
    expect(dialog.get_by_label("Reason, or where it went")).to_have_value(
        "Out of the movement's reach for now."
    )
    # Escape closes it.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_a_writer_edits_a_note_and_removes_a_source_only_after_confirming(
    open_as, reference_case, shot
):
    page = open_as(reference_case["writer"])
    synthesized, link = reference_case["synthesized"], reference_case["link"]
    page.goto(reverse("synthesis:sources", args=[synthesized.pk]))
    source = page.locator(f"#link-{link.pk}")
    expect(source).to_contain_text("Merged whole.")
    source.get_by_role("link", name="Edit the note").click()
    note = page.get_by_label("Note")
    expect(note).to_have_value("Merged whole.")
    assert axe_violations(page) == []
    shot("note-edit", target=page)
    note.fill("Merged whole, with its budget for training.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_role("status")).to_contain_text("Note saved.")
    expect(page.locator(f"#link-{link.pk}")).to_contain_text(
        "Merged whole, with its budget for training."
    )
    shot("sources", target=page)

    # "Remove" asks first: Cancel keeps the source.
    page.locator(f"#link-{link.pk}").get_by_role("link", name="Remove").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this source?")
    expect(page.locator("main")).to_contain_text("Leadership development")
    expect(page.locator("main")).to_contain_text("Merged whole, with its budget for training.")
    assert axe_violations(page) == []
    shot("remove-confirm", target=page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator(".source-links > li")).to_have_count(1)
    page.locator(f"#link-{link.pk}").get_by_role("link", name="Remove").click()
    page.get_by_role("button", name="Remove the source").click()
    expect(page.get_by_role("status")).to_contain_text("Source removed.")
    expect(page.locator(".source-links")).to_contain_text("No source is linked yet.")
