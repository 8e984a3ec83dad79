"""A language marked ready for an iteration: who marks it and takes the mark back (the
language's proofreaders: recommendations.mark_language_ready), cell by cell; why marking
is refused (nothing saved); a mark whose set changed since is shown so, never as ready;
the public iteration page lists the ready languages and follows a mark at once; the
iteration's page for a language costs the same queries at any size."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from public import caching
from recommendations import services
from recommendations.models import TranslationReadiness
from recommendations.selectors.translations import iteration_language
from recommendations.text import translation_units
from tests.factories import CoreTeamFactory, MembershipFactory, iteration
from tests.factories import recommendation as make
from tests.public.conftest import publish
from tests.public.test_assigned_proofreaders import person
from tests.public.test_proofreading import source_of

pytestmark = pytest.mark.django_db

SECOND = "second-iteration"


def translate_all(recommendation, language="zh-hans", user=None, word="译"):
    """Every unit of the recommendation's published version translated, public."""
    source = source_of(recommendation)
    services.translation_save(
        recommendation=recommendation,
        user=user or CoreTeamFactory(),
        language=language,
        source=source,
        translations={key: f"{word} {key}" for key, _text in translation_units.units(source)},
    )


def republish_minutes(published):
    """The minutes' title changed and published in a later iteration: the translation of
    it is stale (the stored counts are of the published version, which translators
    translate)."""
    minutes = published["minutes"]
    publish(minutes, CoreTeamFactory(), iteration("third", "Third"), title="Weekly minutes")


@pytest.fixture
def second(iterations):
    return iterations[1]


@pytest.fixture
def complete(published, second):
    """The second iteration's set (the hub, the minutes) wholly translated into Chinese."""
    translate_all(published["hub"])
    translate_all(published["minutes"])
    return second


def page(language="zh-hans"):
    return reverse("translations:iteration_files", args=[SECOND, language])


def ready_url(language="zh-hans"):
    return reverse("translations:iteration_ready", args=[SECOND, language])


def marked(second, language="zh-hans"):
    return TranslationReadiness.objects.filter(iteration=second, language=language).exists()


def cell_person(who):
    """The cell's person. "assigned-elsewhere": a Chinese translator, while another
    person is Chinese's assigned proofreader; "no-assignment": a Chinese translator, and
    Chinese has no assigned proofreader."""
    if who == "assigned-elsewhere":
        person(proofreads=["zh-hans"])
    return {
        "anonymous": lambda: None,
        "member": lambda: MembershipFactory().user,
        "arz": lambda: person(translates=["arz"]),
        "assigned-elsewhere": lambda: person(translates=["zh-hans"]),
        "no-assignment": lambda: person(translates=["zh-hans"]),
        "assigned": lambda: person(proofreads=["zh-hans"]),
        "core": CoreTeamFactory,
    }[who]()


# Who, and whether they may mark Chinese ready for an iteration and take the mark back.
CELLS = [
    ("anonymous", None),
    ("member", False),
    ("arz", False),
    ("assigned-elsewhere", False),
    ("no-assignment", True),
    ("assigned", True),
    ("core", True),
]


@pytest.mark.parametrize(("who", "may"), CELLS)
def test_who_marks_a_language_ready(client, complete, who, may):
    user = cell_person(who)
    if user is not None:
        client.force_login(user)
    response = client.post(ready_url(), {"action": "mark"})
    if user is None:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (302 if may else 403)
    assert marked(complete) is bool(may)
    if may:
        assert response["Location"] == page()
        mark = TranslationReadiness.objects.get()
        assert mark.marked_by == user
        assert mark.history.get().history_user == user


@pytest.mark.parametrize(("who", "may"), CELLS)
def test_who_takes_a_ready_mark_back(client, complete, who, may):
    services.translation_readiness_mark(
        iteration=complete, language="zh-hans", user=CoreTeamFactory()
    )
    user = cell_person(who)
    if user is not None:
        client.force_login(user)
    response = client.post(ready_url(), {"action": "unmark"})
    if user is None:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (302 if may else 403)
    assert marked(complete) is not may


@pytest.mark.parametrize(("who", "may"), CELLS)
def test_the_form_is_offered_to_those_who_may(client, complete, who, may):
    user = cell_person(who)
    if user is None:
        assert client.get(page()).status_code == 302
        return
    client.force_login(user)
    response = client.get(page())
    if who in ("member", "arz"):
        assert response.status_code == 403  # they do not translate into Chinese at all
        return
    assert response.status_code == 200
    shown = response.content.decode()
    assert ("Mark Simplified Chinese ready for Second iteration, September 2019" in shown) is may
    assert (ready_url() in shown) is may


def test_marking_an_untranslated_set_is_refused_with_the_reason(client, published, second):
    translate_all(published["hub"])
    client.force_login(CoreTeamFactory())
    response = client.post(ready_url(), {"action": "mark"}, follow=True)
    shown = response.content.decode()
    assert (
        "Simplified Chinese cannot be marked ready for Second iteration, September 2019 yet."
        in shown
    )
    assert "units of the set are not translated yet." in shown
    assert not marked(second)


def test_marking_a_set_with_stale_units_is_refused_with_the_reason(client, published, second, user):
    translate_all(published["hub"])
    translate_all(published["minutes"])
    republish_minutes(published)
    state = iteration_language(iteration=second, language="zh-hans")
    assert (state.stale, state.missing) == (1, 0)
    client.force_login(CoreTeamFactory())
    response = client.post(ready_url(), {"action": "mark"}, follow=True)
    shown = response.content.decode()
    assert "1 unit of the set is stale: its source changed since it was translated." in shown
    assert "not translated yet" not in shown
    assert not marked(second)


def test_marking_with_drafts_waiting_for_proofreading_is_refused(client, complete, published):
    hub = published["hub"]
    services.translation_draft_save(
        recommendation=hub,
        user=person(translates=["zh-hans"]),
        language="zh-hans",
        source=source_of(hub),
        translations={"title": "倡导中心"},
    )
    client.force_login(CoreTeamFactory())
    response = client.post(ready_url(), {"action": "mark"}, follow=True)
    assert "1 draft is waiting for proofreading." in response.content.decode()
    assert not marked(complete)
    assert "1 draft waiting for proofreading" in client.get(page()).content.decode()


def test_an_iteration_with_nothing_in_it_is_not_marked_ready(client, db):
    empty = iteration("empty", "Nothing yet")
    client.force_login(CoreTeamFactory())
    response = client.post(
        reverse("translations:iteration_ready", args=[empty.slug, "zh-hans"]),
        {"action": "mark"},
        follow=True,
    )
    assert "Nothing is published in this iteration yet." in response.content.decode()
    assert not TranslationReadiness.objects.exists()


def test_a_mark_is_shown_changed_since_once_a_unit_is_stale(client, complete, published, user):
    core = CoreTeamFactory()
    client.force_login(core)
    response = client.post(ready_url(), {"action": "mark"}, follow=True)
    assert (
        "Simplified Chinese is marked ready for Second iteration, September 2019."
        in response.content.decode()
    )
    assert 'data-readiness="ready"' in client.get(page()).content.decode()
    republish_minutes(published)
    state = iteration_language(iteration=complete, language="zh-hans")
    assert (state.ready, state.changed_since, state.changed) == (False, True, 1)
    for url in (page(), reverse("translations:table"), reverse("public:iteration", args=[SECOND])):
        shown = client.get(url).content.decode()
        assert "changed since: 1 unit" in shown, url
        assert 'data-readiness="ready"' not in shown, url
    public = client.get(reverse("public:iteration", args=[SECOND])).content.decode()
    assert "Translations ready:" not in public
    # Translated again, the mark holds again.
    translate_all(published["minutes"], word="新译")
    assert iteration_language(iteration=complete, language="zh-hans").ready


def test_a_new_recommendation_in_the_set_changes_a_mark(complete, working_group, user):
    services.translation_readiness_mark(
        iteration=complete, language="zh-hans", user=CoreTeamFactory()
    )
    report = publish(
        make(working_group, user, title="Yearly report", body="Report.\n"), user, complete
    )
    state = iteration_language(iteration=complete, language="zh-hans")
    assert state.changed_since
    assert state.changed == state.missing == len(translation_units.units(source_of(report)))


def test_marking_again_renews_and_unmarking_is_allowed_whatever_the_set(
    client, complete, published, user
):
    first, second = CoreTeamFactory(), person(proofreads=["zh-hans"])
    services.translation_readiness_mark(iteration=complete, language="zh-hans", user=first)
    client.force_login(second)
    assert client.post(ready_url(), {"action": "mark"}).status_code == 302
    assert TranslationReadiness.objects.get().marked_by == second
    republish_minutes(published)
    response = client.post(ready_url(), {"action": "unmark"}, follow=True)
    assert "Simplified Chinese is no longer marked ready for Second iteration, September 2019." in (
        response.content.decode()
    )
    assert not TranslationReadiness.objects.exists()


def test_the_public_page_shows_the_ready_languages_and_follows_a_mark(
    client, complete, published, settings, django_capture_on_commit_callbacks
):
    translate_all(published["hub"], "arz")
    translate_all(published["minutes"], "arz")
    url = reverse("public:iteration", args=[SECOND])
    cache.clear()
    before = client.get(url)
    assert "Translations ready:" not in before.content.decode()
    # Cached: without the invalidation, the page would be served again as it was.
    assert client.get(url).content == before.content
    version = caching.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.translation_readiness_mark(
            iteration=complete, language="zh-hans", user=CoreTeamFactory()
        )
        services.translation_readiness_mark(
            iteration=complete, language="arz", user=CoreTeamFactory()
        )
    assert caching.content_version() != version
    shown = client.get(url).content.decode()
    assert "Translations ready:" in shown
    assert 'lang="zh-hans" dir="ltr" data-language="zh-hans">简体中文</span>' in shown
    assert 'data-language="arz">' in shown
    with django_capture_on_commit_callbacks(execute=True):
        services.translation_readiness_unmark(
            iteration=complete, language="zh-hans", user=CoreTeamFactory()
        )
    shown = client.get(url).content.decode()
    assert 'data-language="zh-hans">' not in shown
    assert 'data-language="arz">' in shown


def test_the_home_shows_the_ready_languages_per_iteration(client, complete):
    services.translation_readiness_mark(
        iteration=complete, language="zh-hans", user=CoreTeamFactory()
    )
    client.force_login(person(translates=["zh-hans", "arz"]))
    shown = client.get(reverse("translations:table")).content.decode()
    assert shown.count('data-readiness="ready"') == 1


def test_the_state_counts_the_set(client, published, second):
    translate_all(published["hub"])
    state = iteration_language(iteration=second, language="zh-hans")
    hub_units = len(translation_units.units(source_of(published["hub"])))
    minutes_units = len(translation_units.units(source_of(published["minutes"])))
    assert (state.total, state.translated, state.stale, state.drafts) == (
        hub_units + minutes_units,
        hub_units,
        0,
        0,
    )
    client.force_login(person(translates=["zh-hans"]))
    shown = client.get(page()).content.decode()
    assert f"{minutes_units} units not translated" in shown
    assert "Not marked ready." in shown


def test_the_iteration_language_page_costs_the_same_at_any_size(client, working_group, user):
    client.force_login(person(proofreads=["zh-hans"]))
    client.get(reverse("translations:table"))
    counts = {}
    for size in (2, 20):
        made = iteration(f"set-of-{size}", f"Set of {size}")
        for n in range(size):
            recommendation = publish(
                make(working_group, user, title=f"R{size}-{n}", body="One.\n\nTwo.\n"),
                user,
                made,
            )
            services.translation_draft_save(
                recommendation=recommendation,
                user=person(translates=["zh-hans"]),
                language="zh-hans",
                source=source_of(recommendation),
                translations={"title": f"译 {n}"},
            )
        url = reverse("translations:iteration_files", args=[made.slug, "zh-hans"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.context["state"].drafts == size
        assert response.context["state"].missing == response.context["state"].total
        assert response.context["state"].total >= 3 * size
        counts[size] = len(queries)
    assert counts[2] == counts[20]


def test_the_public_page_costs_the_same_at_any_size(client, working_group, user, settings):
    counts = {}
    for size in (2, 20):
        made = iteration(f"set-of-{size}", f"Set of {size}")
        for n in range(size):
            translate_all(
                publish(make(working_group, user, title=f"R{size}-{n}", body="One.\n"), user, made)
            )
        services.translation_readiness_mark(
            iteration=made, language="zh-hans", user=CoreTeamFactory()
        )
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("public:iteration", args=[made.slug]))
        assert [state.language for state in response.context["ready_languages"]] == ["zh-hans"]
        counts[size] = len(queries)
    assert counts[2] == counts[20]


@pytest.mark.parametrize(
    ("prefix", "said"),
    [("/zh-hans", "已就绪的翻译："), ("/arz", "الترجمات الجاهزة:")],  # noqa: RUF001 - Chinese punctuation
)
def test_the_ready_languages_are_said_in_the_readers_language(client, complete, prefix, said):
    services.translation_readiness_mark(
        iteration=complete, language="zh-hans", user=CoreTeamFactory()
    )
    shown = client.get(prefix + reverse("public:iteration", args=[SECOND])).content.decode()
    assert said in shown


def test_the_home_with_ready_marks_costs_the_same_at_any_size(
    client, working_group, user, django_capture_on_commit_callbacks
):
    """A mark shows on the home as soon as it is committed, and the warm home's queries
    are the same however many sets are marked."""
    client.force_login(person(translates=["zh-hans", "arz"]))
    client.get(reverse("translations:table"))
    counts = {}
    for size in (2, 10):
        with django_capture_on_commit_callbacks(execute=True):
            made = iteration(f"home-{size}", f"Home {size}")
            for n in range(size):
                translate_all(
                    publish(
                        make(working_group, user, title=f"H{size}-{n}", body="One.\n"), user, made
                    )
                )
            services.translation_readiness_mark(
                iteration=made, language="zh-hans", user=CoreTeamFactory()
            )
        client.get(reverse("translations:table"))
        with CaptureQueriesContext(connection) as queries:
            shown = client.get(reverse("translations:table")).content.decode()
        assert shown.count('data-readiness="ready"') == (1 if size == 2 else 2)
        counts[size] = len(queries)
    assert counts[2] == counts[10]
