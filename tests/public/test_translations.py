import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommendations import services
from recommendations.text import translation_units
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db


def source_of(recommendation):
    recommendation.refresh_from_db()
    return services.source_text(recommendation.published_version.revision)


def translate(recommendation, user, language, **units):
    return services.translation_save(
        recommendation=recommendation,
        user=user,
        language=language,
        source=source_of(recommendation),
        translations=units,
    )


def test_units_are_title_summary_and_paragraphs():
    found = translation_units.units({"title": "T", "summary": "", "body": "One.\n\n\n Two.\n"})
    assert found == [("title", "T"), ("body.0", "One."), ("body.1", "Two.")]


def test_completeness_counts_translated_units(published, user):
    hub = published["hub"]  # title + summary + 3 paragraphs = 5 units
    translate(hub, user, "zh-hans", title="倡导中心", **{"body.1": "它协调各项活动。"})
    status = translation_units.status(hub, source_of(hub), "zh-hans")
    assert (status.done, status.total, status.percent) == (2, 5, 40)
    assert status.unit("body.0").text == "We recommend a regional hub."  # falls back
    assert not status.unit("body.0").translated
    assert status.unit("body.1").text == "它协调各项活动。"
    assert translation_units.status(hub, source_of(hub), "arz").percent == 0


def test_a_unit_is_outdated_when_its_source_changes(published, user, iterations):
    hub = published["hub"]
    translate(hub, user, "arz", title="مركز المناصره", **{"body.1": "بينسق الحملات."})
    publish_a_changed_source(hub, user)
    status = translation_units.status(hub, source_of(hub), "arz")
    assert status.unit("body.1").outdated
    assert status.unit("body.1").translated_from == "It coordinates campaigns."
    assert not status.unit("title").outdated
    assert status.outdated == 1


def iteration(slug):
    from tests.factories import iteration as make

    made = make(slug, slug.title())
    made.position = 3
    made.save()
    return made


def publish_a_changed_source(hub, user):
    """Publish `hub` in a third iteration, its second paragraph changed."""
    publish(
        hub,
        user,
        iteration("third"),
        body="We recommend a regional hub.\n\nIt "
        "coordinates campaigns and training.\n\nEach region hires one person.\n",
    )


def test_keeping_a_translation_keeps_what_it_was_made_from(published, user, iterations):
    hub = published["hub"]
    translate(hub, user, "zh-hans", **{"body.1": "它协调各项活动。"})
    publish_a_changed_source(hub, user)
    # Saving the form again without touching the outdated unit keeps it outdated.
    translate(hub, user, "zh-hans", **{"body.1": "它协调各项活动。", "title": "倡导中心"})
    assert translation_units.status(hub, source_of(hub), "zh-hans").unit("body.1").outdated
    # Changing it marks it current.
    translate(hub, user, "zh-hans", **{"body.1": "它协调各项活动和培训。"})
    assert not translation_units.status(hub, source_of(hub), "zh-hans").unit("body.1").outdated


def test_translation_keeps_the_paragraph_structure(published, user):
    hub = published["hub"]
    translate(hub, user, "zh-hans", **{"body.2": "每个地区\n\n聘用一人。"})
    hub.refresh_from_db()
    assert hub.body_zh_hans == "\n\n\n\n每个地区\n聘用一人。"
    assert translation_units.translated_units(hub, "zh-hans") == {"body.2": "每个地区\n聘用一人。"}


def test_unknown_language_is_refused(published, user):
    with pytest.raises(ValidationError, match="no such language"):
        translate(published["hub"], user, "xx")


def test_public_page_says_how_complete_the_translation_is(client, published, user):
    hub = published["hub"]
    url = hub.get_public_url()
    translate(hub, user, "zh-hans", title="倡导中心")
    html = client.get("/zh-hans" + url).content.decode()
    assert "本页面是页面“Advocacy hub”的翻译版本,翻译完成度为 20%。" in html
    assert '<h1 dir="auto">倡导中心' in html
    assert 'lang="en" dir="ltr"' in html
    english = client.get(url).content.decode()
    assert "translation-notice" not in english


def test_arabic_page_is_right_to_left_with_english_fallback_marked(client, published):
    html = client.get("/arz" + published["minutes"].get_public_url()).content.decode()
    assert '<html lang="arz" dir="rtl">' in html
    assert '<div class="unit untranslated" lang="en" dir="ltr">' in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("translator", 200),
        ("core_team", 200),
    ],
)
def test_who_may_translate(client, published, membership, user_factory, who, status):
    from tests.factories import CoreTeamFactory

    url = reverse("translations:edit", args=[published["hub"].pk, "zh-hans"])
    if who == "member":
        client.force_login(membership.user)
    elif who == "translator":
        translator = user_factory()
        translator.user_permissions.add(Permission.objects.get(codename="translate_recommendation"))
        client.force_login(translator)
    elif who == "core_team":
        client.force_login(CoreTeamFactory())
    assert client.get(url).status_code == status
    table = client.get(reverse("translations:table"))
    assert table.status_code == status


def test_translator_saves_side_by_side_and_sees_the_source_diff(
    client, published, user, iterations
):
    from tests.factories import CoreTeamFactory

    hub = published["hub"]
    client.force_login(CoreTeamFactory())
    url = reverse("translations:edit", args=[hub.pk, "arz"])
    response = client.post(url, {"title": "مركز المناصره", "body.1": "بينسق الحملات."})
    assert response.status_code == 302
    publish_a_changed_source(hub, user)
    html = client.get(url).content.decode()
    assert "The source changed since this was translated" in html
    assert "<del>campaigns.</del><ins>campaigns and training.</ins>" in html
    table = client.get(reverse("translations:table")).content.decode()
    stale = table.split('id="stale"', 1)[1].split("</ul>", 1)[0]
    assert f'href="{url}"' in stale
    assert "1 unit stale" in stale


def test_a_refused_unit_shows_its_error_by_its_field_and_keeps_what_was_typed(client, published):
    """A too-long title is refused by its own field (aria-invalid, its error named in the
    field's aria-describedby), and every text typed is still in its field."""
    from lxml import html

    from tests.factories import CoreTeamFactory

    hub = published["hub"]
    client.force_login(CoreTeamFactory())
    url = reverse("translations:edit", args=[hub.pk, "zh-hans"])
    response = client.post(url, {"title": "长" * 2000, "body.1": "它协调各项活动。"})
    assert response.status_code == 422
    page = html.fromstring(response.content.decode())
    title = page.get_element_by_id("id_title")
    assert title.get("aria-invalid") == "true"
    error = page.get_element_by_id(title.get("aria-describedby"))
    assert "at most" in error.text_content()
    # The error is by the field, in the same unit's row.
    row = './ancestor::div[contains(@class, "translation-row")]'
    assert error.xpath(row) == title.xpath(row)
    assert "field-error" in title.xpath(row)[0].get("class")
    assert title.get("value") == "长" * 2000
    assert page.get_element_by_id("id_body.1").text_content().strip() == "它协调各项活动。"
    assert page.get_element_by_id("id_body.0").get("aria-invalid") is None
    hub.refresh_from_db()
    assert translation_units.translated_units(hub, "zh-hans") == {}


def test_the_source_shows_formatted_beside_the_markdown_the_translator_edits(
    client, working_group, user, iterations
):
    """Each body unit's source is shown as the public reads it (a link, emphasis, a list
    item after its mark; a heading not a heading of the page), its Markdown beside it; raw
    HTML in the source stays text."""
    from lxml import html

    from tests.factories import CoreTeamFactory
    from tests.factories import recommendation as make

    hub = publish(
        make(
            working_group,
            user,
            title="Linked hub",
            body="## Why\n\nSee [the charter](https://example.org/charter), *now*.\n\n"
            "- One <script>alert(1)</script>\n- Two\n",
        ),
        user,
        iterations[0],
    )
    client.force_login(CoreTeamFactory())
    response = client.get(reverse("translations:edit", args=[hub.pk, "zh-hans"]))
    page = html.fromstring(response.content.decode())
    shown = page.find_class("source-rendered")
    assert [part.text_content().strip() for part in shown] == [
        "Why",
        "See the charter, now.",
        "One <script>alert(1)</script>",
        "Two",
    ]
    link = shown[1].find(".//a")
    assert link.get("href") == "https://example.org/charter"
    assert shown[1].find(".//em").text == "now"
    assert shown[0].find_class("unit-heading")
    assert not shown[0].xpath(".//h2")
    assert shown[2].xpath(".//ul/li")
    assert not page.xpath("//script[contains(., 'alert')]")
    markdown = [part.find(".//pre").text for part in page.find_class("source-markdown")]
    assert markdown[1] == "See [the charter](https://example.org/charter), *now*."
    # The title keeps its plain text.
    assert page.find_class("source-unit")[0].find(".//p[2]").text_content() == "Linked hub"
