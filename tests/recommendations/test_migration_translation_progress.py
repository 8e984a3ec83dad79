"""A deployment upgraded from before the stored completeness (0012) or before list items were
units (0020) has the right counts once migrated (0022): every published recommendation's,
in every language, counted against its published version, as `manage.py
translation_progress_fill` counts them; a count stored before is replaced, a withdrawn or
unpublished recommendation gets none."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from recommendations.text import translation_units

# Migrating back and forth needs real transactions; each test ends with every app at its
# latest migration, so that the tests after it (and a reused database) find today's tables.
pytestmark = pytest.mark.django_db(transaction=True)

AFTER = ("recommendations", "0022_translation_progress_counted")

SOURCE = "We recommend a hub.\n\n- Hire one person.\n- Report yearly."


def migrate(recommendations):
    """Every other app at its latest migration, the recommendations at `recommendations`;
    the models of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    leaves = executor.loader.graph.leaf_nodes()
    targets = [node for node in leaves if node[0] != "recommendations"] + [recommendations]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def origin(text):
    return {"fp": translation_units.fingerprint(text), "source": text}


def published(old, group, iteration, number, *, state="published", **text):
    """A recommendation published in `iteration` with `text` (its source, in English),
    then edited (its working copy is not what is counted)."""
    Recommendation = old.get_model("recommendations", "Recommendation")
    History = old.get_model("recommendations", "HistoricalRecommendation")
    fields = {f"{name}_en": value for name, value in text.items()}
    made = Recommendation.objects.create(
        working_group=group, number=number, state=state, **text, **fields
    )
    revision = History.objects.create(
        **{field.attname: getattr(made, field.attname) for field in made._meta.concrete_fields},
        history_date=timezone.now(),
        history_type="~",
    )
    version = old.get_model("recommendations", "Version").objects.create(
        recommendation=made, revision=revision, kind="iteration", iteration=iteration, name="One"
    )
    Recommendation.objects.filter(pk=made.pk).update(
        published_version=version, body_en="Edited since: not counted.", body="Edited since."
    )
    return Recommendation.objects.get(pk=made.pk)


def stored():
    from recommendations.models import TranslationProgress

    return {
        (row.recommendation_id, row.language): (
            row.version_id,
            row.published_at,
            row.total,
            row.translated,
            row.stale,
        )
        for row in TranslationProgress.objects.all()
    }


@pytest.mark.parametrize(
    "before",
    [
        # Before the stored completeness: the table arrives empty.
        "0011_watch",
        # Just before the counting: counts stored by hand (or left wrong) are replaced.
        "0017_suggestion_hidden",
    ],
)
def test_an_upgrade_counts_every_published_recommendation_as_the_command_does(before):
    old = migrate(("recommendations", before))
    try:
        group = old.get_model("groups", "WorkingGroup").objects.create(
            name="Steering", name_en="Steering", slug="steering", kind="steering"
        )
        iteration = old.get_model("recommendations", "Iteration").objects.create(
            name="First", name_en="First", slug="first"
        )
        hub = published(old, group, iteration, "1", title="Hub", summary="Why.", body=SOURCE)
        # Translated into Chinese: the title (current), the first paragraph (from a source
        # since changed: stale), the list's first item; its second item is its mark alone.
        Recommendation = old.get_model("recommendations", "Recommendation")
        Recommendation.objects.filter(pk=hub.pk).update(
            title_zh_hans="中心",
            body_zh_hans="我们建议设立全球中心。\n\n- 雇一个人。\n-",
            translation_sources={
                "zh-hans": {
                    "title": origin("Hub"),
                    "body.0": origin("We recommend a global hub."),
                    "body.1.0": origin("Hire one person."),
                }
            },
        )
        withdrawn = published(
            old, group, iteration, "2", state="withdrawn", title="Gone", body="Gone."
        )
        Recommendation.objects.create(working_group=group, number="3", title="Draft")
        if before != "0011_watch":
            version = hub.published_version
            old.get_model("recommendations", "TranslationProgress").objects.create(
                recommendation=hub,
                version=version,
                language="zh-hans",
                published_at=version.created_at,
                total=1,
                translated=0,
                stale=0,
            )
        migrate(AFTER)
        migrate_to_latest()
        migrated = stored()
        # What the command counts, from nothing.
        from recommendations.models import TranslationProgress

        TranslationProgress.objects.all().delete()
        call_command("translation_progress_fill", stdout=io.StringIO())
        counted = stored()
    finally:
        migrate_to_latest()
    version = hub.published_version
    assert migrated == counted
    languages = translation_units.translation_languages()
    assert set(migrated) == {(hub.pk, language) for language in languages}
    assert withdrawn.pk not in {pk for pk, _language in migrated}
    # Title, summary, the paragraph, each list item: 5 units.
    assert migrated[hub.pk, "zh-hans"] == (version.pk, version.created_at, 5, 3, 1)
    assert migrated[hub.pk, "arz"] == (version.pk, version.created_at, 5, 0, 0)
