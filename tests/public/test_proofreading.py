"""Proofreading: a volunteer's translation of a unit is a draft, public only once a second
translator of the language (not its author) or the core team marks it ready; the core
team's own text is public at once. The public page, cached, changes only then."""

import pytest
from django.urls import reverse
from django.utils import translation

from recommendations import services
from recommendations.models import TranslationDraft, TranslationMemory
from recommendations.text import translation_units
from strategy.accounts.services import (
    user_proofread_languages_set,
    user_translator_languages_set,
)
from tests.factories import CoreTeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def volunteer(*languages):
    person = UserFactory()
    user_translator_languages_set(user=person, languages=list(languages))
    return person


def source_of(recommendation):
    recommendation.refresh_from_db()
    return services.source_text(recommendation.published_version.revision)


@pytest.fixture
def drafted(published):
    """The hub's title drafted in Chinese by a volunteer."""
    hub = published["hub"]
    author = volunteer("zh-hans")
    services.translation_draft_save(
        recommendation=hub,
        user=author,
        language="zh-hans",
        source=source_of(hub),
        translations={"title": "倡导中心"},
    )
    return {"hub": hub, "author": author}


def public_title(hub):
    hub.refresh_from_db()
    return translation_units.translated_units(hub, "zh-hans").get("title")


# Who marks the draft ready, and the answer: anonymous is asked to sign in; a person who
# translates nothing, a volunteer of another language and the draft's author are refused;
# another volunteer of the language and the core team make it public.
CELLS = [
    ("anonymous", 302, False),
    ("nobody", 403, False),
    ("arz", 403, False),
    ("author", 403, False),
    ("other", 302, True),
    ("core", 302, True),
]


@pytest.mark.parametrize(("who", "status", "public"), CELLS)
def test_who_marks_a_draft_ready(client, drafted, who, status, public):
    hub = drafted["hub"]
    person = {
        "anonymous": lambda: None,
        "nobody": UserFactory,
        "arz": lambda: volunteer("arz"),
        "author": lambda: drafted["author"],
        "other": lambda: volunteer("zh-hans"),
        "core": CoreTeamFactory,
    }[who]()
    if person is not None:
        client.force_login(person)
    url = reverse("translations:ready", args=[hub.pk, "zh-hans"])
    response = client.post(url, {"ready": ["title"]})
    assert response.status_code == status
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]
    assert public_title(hub) == ("倡导中心" if public else None)
    assert TranslationDraft.objects.filter(recommendation=hub).exists() is not public


def test_the_form_offers_proofreading_to_another_translator_only(client, drafted):
    hub = drafted["hub"]
    url = reverse("translations:edit", args=[hub.pk, "zh-hans"])
    client.force_login(drafted["author"])
    page = client.get(url).content.decode()
    assert "waiting for proofreading" in page
    assert 'name="ready"' not in page
    client.force_login(volunteer("zh-hans"))
    page = client.get(url).content.decode()
    assert 'name="ready" value="title"' in page
    # The field starts from the draft, so a proofreader reads what they mark ready.
    assert "倡导中心" in page


def test_a_volunteers_save_is_a_draft_and_the_core_teams_is_public(client, published):
    hub = published["hub"]
    url = reverse("translations:edit", args=[hub.pk, "zh-hans"])
    client.force_login(volunteer("zh-hans"))
    client.post(url, {"title": "倡导中心"})
    assert public_title(hub) is None
    assert TranslationDraft.objects.get(recommendation=hub).text == "倡导中心"
    client.force_login(CoreTeamFactory())
    client.post(url, {"title": "倡导中心"})
    assert public_title(hub) == "倡导中心"
    # Saved as public, the unit's draft is done with.
    assert not TranslationDraft.objects.filter(recommendation=hub).exists()


def test_a_later_draft_replaces_the_earlier_and_its_author(drafted):
    hub, first = drafted["hub"], drafted["author"]
    second = volunteer("zh-hans")
    source = source_of(hub)
    # Saving the draft's own text again changes nothing, its author neither.
    services.translation_draft_save(
        recommendation=hub,
        user=second,
        language="zh-hans",
        source=source,
        translations={"title": "倡导中心"},
    )
    assert TranslationDraft.objects.get(recommendation=hub).author == first
    services.translation_draft_save(
        recommendation=hub,
        user=second,
        language="zh-hans",
        source=source,
        translations={"title": "宣传中心"},
    )
    draft = TranslationDraft.objects.get(recommendation=hub)
    assert (draft.text, draft.author) == ("宣传中心", second)
    # Now the first may proofread the second's.
    assert first.has_perm("recommendations.proofread_translation", draft)
    assert not second.has_perm("recommendations.proofread_translation", draft)


def test_marking_ready_keeps_the_other_units_and_remembers_the_text(published):
    hub = published["hub"]
    core = CoreTeamFactory()
    source = source_of(hub)
    services.translation_save(
        recommendation=hub,
        user=core,
        language="zh-hans",
        source=source,
        translations={"body.1": "它协调各项活动。"},
    )
    author = volunteer("zh-hans")
    services.translation_draft_save(
        recommendation=hub,
        user=author,
        language="zh-hans",
        source=source,
        translations={"title": "倡导中心", "body.1": "它协调各项活动。"},
    )
    # The public text of body.1 given again is no draft.
    assert list(TranslationDraft.objects.values_list("unit", flat=True)) == ["title"]
    services.translation_mark_ready(
        recommendation=hub,
        user=volunteer("zh-hans"),
        language="zh-hans",
        source=source,
        drafts=list(TranslationDraft.objects.all()),
    )
    hub.refresh_from_db()
    found = translation_units.translated_units(hub, "zh-hans")
    assert (found["title"], found["body.1"]) == ("倡导中心", "它协调各项活动。")
    status = translation_units.status(hub, source, "zh-hans")
    assert (status.done, status.outdated) == (2, 0)
    assert set(TranslationMemory.objects.values_list("translation", flat=True)) == {
        "倡导中心",
        "它协调各项活动。",
    }


def test_the_cached_public_page_shows_a_translation_once_ready(
    client, drafted, django_capture_on_commit_callbacks
):
    hub = drafted["hub"]
    url = "/zh-hans" + hub.get_public_url()
    before = client.get(url).content
    assert "倡导中心" not in before.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.translation_draft_save(
            recommendation=hub,
            user=volunteer("zh-hans"),
            language="zh-hans",
            source=source_of(hub),
            translations={"title": "宣传中心"},
        )
    # A draft shows on no public page: the cached page stays.
    assert client.get(url).content == before
    with django_capture_on_commit_callbacks(execute=True):
        services.translation_mark_ready(
            recommendation=hub,
            user=drafted["author"],
            language="zh-hans",
            source=source_of(hub),
            drafts=list(TranslationDraft.objects.filter(recommendation=hub)),
        )
    assert "宣传中心" in client.get(url).content.decode()


def test_the_home_lists_the_drafts_waiting_for_another_translator(client, drafted, published):
    hub = drafted["hub"]
    url = reverse("translations:table")
    client.force_login(drafted["author"])
    assert "No draft waits for you." in client.get(url).content.decode()
    for who in (volunteer("zh-hans"), CoreTeamFactory()):
        client.force_login(who)
        page = client.get(url).content.decode()
        assert reverse("translations:edit", args=[hub.pk, "zh-hans"]) in page
        assert "1 draft" in page
    client.force_login(volunteer("arz"))
    assert "No draft waits for you." in client.get(url).content.decode()


@pytest.mark.parametrize("assigned", [False, True])
@pytest.mark.parametrize("count", [2, 6])
def test_the_home_costs_the_same_with_more_drafts(
    client, working_group, user, iterations, count, assigned, django_assert_num_queries
):
    """The same queries with proofreaders assigned (the viewer Chinese's, another person
    Egyptian Arabic's): which languages have one is asked once, not per row."""
    from recommendations.models import Recommendation
    from tests.public.test_translators import _publish_many

    _publish_many([working_group], user, iterations[0], count)
    author = volunteer("zh-hans")
    for made in Recommendation.objects.all():
        services.translation_draft_save(
            recommendation=made,
            user=author,
            language="zh-hans",
            source=source_of(made),
            translations={"title": "标题", "body.1": "二。"},
        )
    viewer = volunteer("zh-hans", "arz")
    if assigned:
        user_proofread_languages_set(user=viewer, languages=["zh-hans"])
        user_proofread_languages_set(user=volunteer(), languages=["arz"])
    client.force_login(viewer)
    url = reverse("translations:table")
    client.get(url)
    with django_assert_num_queries(HOME_QUERIES):
        page = client.get(url).content.decode()
    assert page.count("2 drafts") == count


# What the translators' home costs warm, whatever it lists (measured): the session and the
# person. What it lists is kept, and their roles and unread count (15 queries when not).
HOME_QUERIES = 2


def test_the_home_keeps_each_persons_drafts_to_proofread_and_each_language(
    client, working_group, user, iterations, django_capture_on_commit_callbacks
):
    """What the home keeps is kept per person where it differs (one's own drafts are not
    listed to proofread) and per language; a draft shows once it is committed."""
    from recommendations.models import Recommendation
    from tests.public.test_translators import _publish_many

    _publish_many([working_group], user, iterations[0], 1)
    made = Recommendation.objects.get()
    author, other = volunteer("zh-hans"), volunteer("zh-hans")
    url = reverse("translations:table")
    for person in (author, other):
        client.force_login(person)
        assert "No draft waits for you." in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.translation_draft_save(
            recommendation=made,
            user=author,
            language="zh-hans",
            source=source_of(made),
            translations={"title": "标题"},
        )
    client.force_login(author)
    assert "No draft waits for you." in client.get(url).content.decode()
    client.force_login(other)
    assert "1 draft" in client.get(url).content.decode()
    english = client.get(url).content.decode()
    with translation.override("zh-hans"):
        chinese = client.get(reverse("translations:table")).content.decode()
    assert "Completeness per group and language" in english
    assert "各工作组、各语言的完成度" in chinese
    assert "Completeness per group and language" not in chinese
