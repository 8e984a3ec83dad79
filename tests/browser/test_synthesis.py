import pytest
from django.urls import reverse
from playwright.sync_api import expect

from groups.models import Role, WorkingGroup
from recommendations import selectors, services
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
