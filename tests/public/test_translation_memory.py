"""The translators' aids beside each unit: the translation memory (earlier public
translations of similar source text in the language, from any recommendation, with their
similarity and an "Insert"), and the glossary terms the unit's source contains. Both cost
the same queries whatever the size of the memory or the glossary."""

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.models import GlossaryTerm, TranslationMemory
from recommendations.selectors.translation_memory import (
    glossary_terms_in,
    translation_memory_matches,
)
from tests.factories import CoreTeamFactory

pytestmark = pytest.mark.django_db


def source_of(recommendation):
    recommendation.refresh_from_db()
    return services.source_text(recommendation.published_version.revision)


@pytest.fixture
def core():
    return CoreTeamFactory()


@pytest.fixture
def remembered(published, core):
    """The minutes' body translated into Chinese by the core team: in the memory."""
    minutes = published["minutes"]
    services.translation_save(
        recommendation=minutes,
        user=core,
        language="zh-hans",
        source=source_of(minutes),
        translations={"body.0": "每次会议都公布会议记录。"},
    )
    return published


@pytest.mark.parametrize("trigrams", [True, False], ids=["pg_trgm", "python"])
def test_similar_source_text_finds_the_earlier_translation(remembered, trigrams):
    units = [
        ("body.0", "Every meeting publishes its minutes."),
        ("body.1", "Each region hires one person."),
    ]
    found = translation_memory_matches(language="zh-hans", units=units, trigrams=trigrams)
    assert list(found) == ["body.0"], found
    (match,) = found["body.0"]
    assert match.translation == "每次会议都公布会议记录。"
    assert match.source == "Every meeting publishes minutes."
    assert 50 < match.percent < 100
    # Another language's memory is not this one's.
    assert translation_memory_matches(language="arz", units=units, trigrams=trigrams) == {}
    # The unit's own translation is not offered to it.
    assert (
        translation_memory_matches(
            language="zh-hans",
            units=units,
            current={"body.0": "每次会议都公布会议记录。"},
            trigrams=trigrams,
        )
        == {}
    )


def test_the_form_shows_the_memory_and_the_glossary_beside_the_unit(client, remembered, core):
    hub = remembered["hub"]
    GlossaryTerm.objects.create(
        term="hub", language="zh-hans", translation="中心", note="Not 枢纽."
    )
    GlossaryTerm.objects.create(term="hub", language="arz", translation="مركز")
    GlossaryTerm.objects.create(term="minutes", language="zh-hans", translation="会议记录")
    # A recommendation whose source is like the minutes'.
    services.translation_save(
        recommendation=hub,
        user=core,
        language="zh-hans",
        source=source_of(hub),
        translations={"body.1": "它协调各项活动。"},
    )
    client.force_login(core)
    page = client.get(reverse("translations:edit", args=[remembered["minutes"].pk, "arz"]))
    assert page.status_code == 200
    assert "Translation memory" not in page.content.decode()  # nothing in Arabic yet
    page = client.get(reverse("translations:edit", args=[hub.pk, "zh-hans"])).content.decode()
    # The title "Advocacy hub" contains the term; the Arabic entry is not shown.
    assert "中心" in page
    assert "Not 枢纽." in page
    assert "مركز" not in page
    assert 'class="memory-insert"' not in page  # no source here is like the minutes'


def test_the_glossary_matches_whole_words_in_any_case():
    GlossaryTerm.objects.create(term="hub", language="zh-hans", translation="中心")
    GlossaryTerm.objects.create(term="working group", language="zh-hans", translation="工作组")
    found = glossary_terms_in(
        language="zh-hans",
        units=[
            ("title", "Hubs and a HUB"),
            ("body.0", "Each Working Group meets."),
            ("body.1", "Hubris."),
        ],
    )
    assert {key: [t.term for t in terms] for key, terms in found.items()} == {
        "title": ["hub"],
        "body.0": ["working group"],
    }


@pytest.mark.parametrize("size", [10, 1000])
def test_the_aids_cost_the_same_queries_whatever_their_size(
    client, published, core, size, django_assert_num_queries
):
    TranslationMemory.objects.bulk_create(
        TranslationMemory(
            language="zh-hans",
            source=f"It coordinates campaigns number {index}.",
            source_fingerprint=f"{index:016d}",
            translation=f"它协调第{index}项活动。",
        )
        for index in range(size)
    )
    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(term=f"term{index}", language="zh-hans", translation=f"术语{index}")
        for index in range(size)
    )
    client.force_login(core)
    url = reverse("translations:edit", args=[published["hub"].pk, "zh-hans"])
    client.get(url)  # the session and the permissions, read once
    with django_assert_num_queries(QUERIES):
        page = client.get(url).content.decode()
    assert page.count('class="memory-insert"') == 3  # the 3 closest, for one unit


# What the translation page costs, whatever the size (measured; see the test above).
# Roles and the unread count kept; which languages have assigned proofreaders, read once.
QUERIES = 8


def test_translations_stored_before_the_memory_are_put_into_it(remembered, core, user):
    """Translations saved before the memory existed (here: the memory emptied) are put
    into it by the migration's and the command's backfill, those since replaced too (from
    the history), and the memory then matches them; run again, it adds nothing."""
    from importlib import import_module
    from io import StringIO

    from django.apps import apps
    from django.core.management import call_command

    from tests.factories import iteration
    from tests.public.conftest import publish

    minutes = remembered["minutes"]
    # The Chinese text replaced by another: only the history has the first one.
    services.translation_save(
        recommendation=minutes,
        user=core,
        language="zh-hans",
        source=source_of(minutes),
        translations={"title": "会议记录", "body.0": "每次会议后都公布记录。"},
    )
    # An outdated one is still a translation of the source it was made from.
    services.translation_save(
        recommendation=remembered["hub"],
        user=core,
        language="arz",
        source=source_of(remembered["hub"]),
        translations={"title": "مركز المناصرة"},
    )
    publish(remembered["hub"], user, iteration("third", "Third iteration"), title="Hubs")
    TranslationMemory.objects.all().delete()
    units = [("body.0", "Every meeting publishes its minutes."), ("title", "Advocacy hub")]
    assert translation_memory_matches(language="zh-hans", units=units) == {}

    migration = import_module("recommendations.migrations.0019_translation_memory_backfill")
    migration.backfill(apps, None)
    remembered_now = set(TranslationMemory.objects.values_list("language", "source", "translation"))
    assert remembered_now == {
        ("zh-hans", "Every meeting publishes minutes.", "每次会议都公布会议记录。"),
        ("zh-hans", "Every meeting publishes minutes.", "每次会议后都公布记录。"),
        ("zh-hans", "Open minutes", "会议记录"),
        ("arz", "Advocacy hub", "مركز المناصرة"),
    }
    found = translation_memory_matches(language="zh-hans", units=units)
    assert {match.translation for match in found["body.0"]} == {
        "每次会议都公布会议记录。",
        "每次会议后都公布记录。",
    }
    arabic = translation_memory_matches(language="arz", units=units)["title"]
    assert [match.translation for match in arabic] == ["مركز المناصرة"]
    # Again, through the command: nothing new.
    out = StringIO()
    call_command("translation_memory_fill", stdout=out)
    assert out.getvalue().startswith("0 translations added to the memory")
    assert TranslationMemory.objects.count() == len(remembered_now)
