"""Translators as a role: volunteering for languages grants translating into them (and the
core team translates into every one); the ways in (a "Translate" link on recommendation,
group, iteration and timeline pages; the translators' home); the stored completeness
counts, kept by the services and read by the home in a flat number of queries."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation

from recommendations.models import TranslationDraft, TranslationProgress
from recommendations.selectors.translations import translator_languages, translators_of
from recommendations.text import translation_units
from strategy.accounts.services import user_translator_languages_set
from strategy.models import Notice
from tests.factories import CoreTeamFactory, UserFactory
from tests.factories import recommendation as make
from tests.public.conftest import publish
from tests.public.test_proofreading import HOME_QUERIES
from timeline.models import Milestone, MilestoneShift

pytestmark = pytest.mark.django_db


def volunteer(*languages, **fields):
    person = UserFactory(**fields)
    user_translator_languages_set(user=person, languages=list(languages))
    return person


def sign_in_as(client, who):
    """anonymous, nobody (signed in, no language), zh (a volunteer for Chinese), core."""
    person = {
        "anonymous": None,
        "nobody": lambda: UserFactory(),
        "zh": lambda: volunteer("zh-hans"),
        "core": lambda: CoreTeamFactory(),
    }[who]
    if person is not None:
        client.force_login(person())


# Each cell of the table: who, the language of the form, and the answers of the home, the
# form (GET) and saving it (POST).
CELLS = [
    ("anonymous", "zh-hans", 302, 302, 302),
    ("nobody", "zh-hans", 403, 403, 403),
    ("zh", "arz", 200, 403, 403),
    ("zh", "zh-hans", 200, 200, 302),
    ("core", "arz", 200, 200, 302),
]


@pytest.mark.parametrize(("who", "language", "home", "get", "post"), CELLS)
def test_who_translates_into_which_language(client, published, who, language, home, get, post):
    hub = published["hub"]
    sign_in_as(client, who)
    assert client.get(reverse("translations:table")).status_code == home
    url = reverse("translations:edit", args=[hub.pk, language])
    assert client.get(url).status_code == get
    response = client.post(url, {"title": "倡导中心"})
    assert response.status_code == post
    hub.refresh_from_db()
    saved = translation_units.translated_units(hub, language).get("title")
    # The core team's text is public at once; a volunteer's waits to be proofread.
    assert saved == ("倡导中心" if post == 302 and who == "core" else None)
    drafted = TranslationDraft.objects.filter(recommendation=hub, language=language)
    assert list(drafted.values_list("text", flat=True)) == (
        ["倡导中心"] if who == "zh" and post == 302 else []
    )


def test_the_rule_volunteers_the_permission_and_the_core_team():
    """Volunteers: their languages. Those given the permission before volunteering was
    possible: their site language, else every one, until they choose. The core team:
    every language."""
    every = translation_units.translation_languages()
    assert translator_languages(user=volunteer("arz", "zh-hans")) == ["zh-hans", "arz"]
    assert translator_languages(user=UserFactory()) == []
    holder = UserFactory(language="arz")
    holder.user_permissions.add(Permission.objects.get(codename="translate_recommendation"))
    assert translator_languages(user=holder) == ["arz"]
    holder.language = ""
    assert translator_languages(user=holder) == every
    user_translator_languages_set(user=holder, languages=["de"])
    assert translator_languages(user=holder) == ["de"]
    assert translator_languages(user=CoreTeamFactory()) == every
    closed = volunteer("arz", is_active=False)
    assert translator_languages(user=closed) == []


def test_translators_of_a_language_say_the_same_rule_as_a_queryset():
    chinese = volunteer("zh-hans")
    both = volunteer("zh-hans", "arz")
    holder = UserFactory(language="arz")
    holder.user_permissions.add(Permission.objects.get(codename="translate_recommendation"))
    everything = UserFactory(language="en")
    everything.user_permissions.add(Permission.objects.get(codename="translate_recommendation"))
    CoreTeamFactory()  # translates, but is not told: what waits for the core team is its own
    volunteer("arz", is_active=False)
    assert set(translators_of(language="zh-hans")) == {chinese, both, everything}
    assert set(translators_of(language="arz")) == {both, holder, everything}
    for person in (chinese, both, holder, everything):
        for language in translation_units.translation_languages():
            assert (person in translators_of(language=language)) == (
                language in translator_languages(user=person)
            )


def test_volunteers_hear_when_translations_in_their_language_go_stale(published, user, iterations):
    from tests.public.test_translations import publish_a_changed_source, translate

    arabic = volunteer("arz")
    chinese = volunteer("zh-hans")
    hub = published["hub"]
    translate(hub, arabic, "arz", **{"body.1": "بينسق الحملات."})
    translate(hub, chinese, "zh-hans", title="倡导中心")
    publish_a_changed_source(hub, user)
    told = set(Notice.objects.filter(kind="translation.stale").values_list("recipient", flat=True))
    # Arabic went stale (its paragraph changed); the Chinese title did not.
    assert told == {arabic.pk}


def test_the_stale_notice_names_the_translation_deadline_as_the_group_sees_it(
    published, user, iterations, working_group_factory
):
    from tests.public.test_translations import publish_a_changed_source, translate

    today = timezone.localdate()
    deadline = Milestone.Kind.TRANSLATION_DEADLINE
    hub = published["hub"]
    # Over, for another group only, and not a translation deadline: none is named.
    Milestone.objects.create(title="Past", kind=deadline, starts_on=today - timedelta(days=1))
    elsewhere = Milestone.objects.create(
        title="Theirs", kind=deadline, starts_on=today + timedelta(days=2)
    )
    elsewhere.working_groups.add(working_group_factory())
    Milestone.objects.create(title="Vote", starts_on=today + timedelta(days=3))
    due = Milestone.objects.create(
        title="Translations due", kind=deadline, starts_on=today + timedelta(days=20)
    )
    # The hub's group has its own date for it.
    MilestoneShift.objects.create(
        milestone=due,
        working_group=hub.working_group,
        starts_on=date(today.year + 1, 3, 14),
        reason="Later.",
    )
    arabic = volunteer("arz", language="en")
    translate(hub, arabic, "arz", **{"body.1": "بينسق الحملات."})
    publish_a_changed_source(hub, user)
    notice = Notice.objects.get(kind="translation.stale", recipient=arabic)
    assert notice.body.endswith(f"Translations are due by March 14, {today.year + 1}.")


def test_the_stale_notice_names_no_deadline_when_there_is_none(published, user, iterations):
    from tests.public.test_translations import publish_a_changed_source, translate

    arabic = volunteer("arz")
    translate(published["hub"], arabic, "arz", **{"body.1": "بينسق الحملات."})
    publish_a_changed_source(published["hub"], user)
    assert "due by" not in Notice.objects.get(kind="translation.stale").body


def test_needs_me_lists_what_waits_in_the_volunteers_languages(client, published):
    client.force_login(volunteer("arz"))
    page = client.get(reverse("needs_me"))
    items = [item for section in page.context["sections"] for item in section.items]
    assert {item.what for item in items} == {"Translate into Egyptian Arabic"}
    assert len(items) == 2  # the two published recommendations


def test_stored_counts_follow_publishing_and_translating(published, user, iterations):
    from tests.public.test_translations import publish_a_changed_source, translate

    hub = published["hub"]
    progress = TranslationProgress.objects.get(recommendation=hub, language="arz")
    assert (progress.total, progress.translated, progress.stale) == (5, 0, 0)
    assert progress.version_id == hub.published_version_id
    assert TranslationProgress.objects.filter(recommendation=published["draft"]).count() == 0
    translate(hub, user, "arz", title="مركز", **{"body.1": "بينسق الحملات."})
    progress.refresh_from_db()
    assert (progress.total, progress.translated, progress.stale) == (5, 2, 0)
    publish_a_changed_source(hub, user)
    progress.refresh_from_db()
    assert (progress.translated, progress.stale) == (2, 1)
    assert progress.version_id == hub.published_version_id
    # The other languages are counted against the new version too.
    assert set(
        TranslationProgress.objects.filter(recommendation=hub).values_list("version", flat=True)
    ) == {hub.published_version_id}


def test_the_fill_command_counts_what_was_loaded_around_the_services(published):
    from django.core.management import call_command

    TranslationProgress.objects.all().delete()
    call_command("translation_progress_fill", stdout=__import__("io").StringIO())
    languages = len(translation_units.translation_languages())
    assert TranslationProgress.objects.count() == 2 * languages
    call_command("translation_progress_fill", stdout=__import__("io").StringIO())
    assert TranslationProgress.objects.count() == 2 * languages


def test_the_home_reads_the_stored_counts_not_the_texts(client, published):
    """A count changed in the table alone shows: the page does not count the texts."""
    TranslationProgress.objects.filter(recommendation=published["hub"], language="zh-hans").update(
        translated=5
    )
    client.force_login(volunteer("zh-hans"))
    page = client.get(reverse("translations:table"))
    cells = {cell.language: cell for cell in page.context["my_progress"]}
    # hub: 5 of 5 (stored), minutes: 0 of 3.
    assert (cells["zh-hans"].translated, cells["zh-hans"].total) == (5, 8)
    group, row = page.context["table"][0]
    assert group == published["hub"].working_group
    assert [cell.percent for cell in row][:2] == [62, 0]  # 5 of 8
    missing = page.context["missing"]
    assert [r.recommendation for r in missing["rows"]] == [published["minutes"]]


def test_the_home_lists_the_newest_first_and_in_one_group_or_iteration(
    client, published, working_group_factory, user, iterations
):
    other = working_group_factory()
    elsewhere = make(other, user, title="Elsewhere", body="One.\n")
    publish(elsewhere, user, iterations[0])
    client.force_login(volunteer("arz"))
    listed = client.get(reverse("translations:table")).context["missing"]["rows"]
    assert [row.recommendation for row in listed] == [
        elsewhere,
        published["minutes"],
        published["hub"],
    ]
    in_group = client.get(reverse("translations:table"), {"group": other.slug})
    assert [row.recommendation for row in in_group.context["missing"]["rows"]] == [elsewhere]
    in_first = client.get(reverse("translations:table"), {"iteration": iterations[0].slug})
    assert [row.recommendation for row in in_first.context["missing"]["rows"]] == [elsewhere]


def _publish_many(groups, user, iteration_, count):
    for index in range(count):
        group = groups[index % len(groups)]
        made = make(group, user, title=f"R {index}", body="One.\n\nTwo.\n")
        publish(made, user, iteration_)


def test_the_home_costs_the_same_with_3_times_the_recommendations(
    client,
    working_group_factory,
    user,
    iterations,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """The warm home's queries are the same with three times the recommendations, and
    what it keeps shows the new ones as soon as they are committed."""
    groups = [working_group_factory(), working_group_factory()]
    _publish_many(groups, user, iterations[0], 4)
    client.force_login(volunteer("zh-hans", "arz"))
    client.get(reverse("translations:table"))
    with django_assert_num_queries(HOME_QUERIES):
        page = client.get(reverse("translations:table")).content.decode()
    assert 'Missing <span class="count">(8)</span>' in page
    with django_capture_on_commit_callbacks(execute=True):
        _publish_many([*groups, working_group_factory()], user, iterations[1], 8)
    client.get(reverse("translations:table"))
    with django_assert_num_queries(HOME_QUERIES):
        page = client.get(reverse("translations:table")).content.decode()
    assert 'Missing <span class="count">(24)</span>' in page
    completeness = page.split('aria-labelledby="completeness"', 1)[1]
    assert completeness.count('<tr><th scope="row">') == 3


def links_on(client, url):
    html = client.get(url).content.decode()
    if 'class="translate-links"' not in html:
        return None
    return html.split('class="translate-links"', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("page", ["public", "workspace"])
def test_a_recommendation_page_has_a_translate_link_for_translators_only(client, published, page):
    hub = published["hub"]
    url = hub.get_public_url() if page == "public" else hub.get_absolute_url()
    if page == "workspace":
        client.force_login(CoreTeamFactory())
    else:
        assert links_on(client, url) is None  # anonymous
        client.force_login(UserFactory())
        assert links_on(client, url) is None  # signed in, translating nothing
        client.force_login(volunteer("zh-hans"))
        links = links_on(client, url)
        assert reverse("translations:edit", args=[hub.pk, "zh-hans"]) in links
        assert reverse("translations:edit", args=[hub.pk, "arz"]) not in links
        client.force_login(CoreTeamFactory())
    links = links_on(client, url)
    for language in translation_units.translation_languages():
        assert reverse("translations:edit", args=[hub.pk, language]) in links


def test_a_draft_has_no_translate_link(client, published):
    client.force_login(CoreTeamFactory())
    assert links_on(client, published["draft"].get_absolute_url()) is None


def test_group_iteration_and_timeline_pages_lead_to_the_home(
    client, published, working_group, iterations
):
    home = reverse("translations:table")
    assert links_on(client, working_group.get_absolute_url()) is None
    client.force_login(volunteer("arz"))
    assert f'{home}?group={working_group.slug}"' in links_on(
        client, working_group.get_absolute_url()
    )
    iteration_url = reverse("public:iteration", args=[iterations[1].slug])
    assert f'{home}?iteration={iterations[1].slug}"' in links_on(client, iteration_url)
    assert f'href="{home}"' in links_on(client, reverse("public:timeline"))
    header = client.get(reverse("public:timeline")).content.decode().split("</nav>", 1)[0]
    assert f'href="{home}"' in header


def test_units_are_labelled_by_their_place_in_the_text():
    label = translation_units.unit_label
    assert label("title", "Hub") == "Title"
    assert label("summary", "Short") == "Summary"
    assert label("body.0", "## Funding the hub") == "Heading: Funding the hub"
    assert label("body.3", "- one\n- two\n  more\n- three") == "List of 3 items (paragraph 4)"
    assert label("body.1", "1. first\n2. second") == "List of 2 items (paragraph 2)"
    assert label("body.2", "> Quoted\n> words") == "Quotation (paragraph 3)"
    assert label("body.2", "Plain words.\n- not a list") == "Paragraph 3"
    with translation.override("zh-hans"):
        assert label("body.2", "Plain.") == "第 3 段"
        assert label("title", "Hub") == "标题"
    with translation.override("arz"):
        assert label("body.0", "## Funding") == "عنوان: Funding"


def test_the_form_labels_units_not_by_key(client, published):
    client.force_login(volunteer("zh-hans"))
    html = client.get(
        reverse("translations:edit", args=[published["hub"].pk, "zh-hans"])
    ).content.decode()
    assert ">body.0<" not in html
    assert "Translation of body" not in html
    assert "Paragraph 3" in html
    assert "Translation of Paragraph 3" in html
