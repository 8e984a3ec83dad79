"""Translations kept by paragraph before list items were units of their own (0020): a list
paragraph's translation whose items line up with its source's becomes one translated unit
per item, current as it was; one that does not line up is left under its old key with a
note; a volunteer's draft of a list is split the same way; the memory gains each item."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from recommendations.text import translation_units

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("recommendations", "0015_translation_drafts_memory_glossary")
AFTER = ("recommendations", "0020_field_labels_list_item_units")


def targets(recommendations):
    """Every other app at its latest migration, the recommendations at `recommendations`:
    the tables of people and groups as the code has them."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    leaves = executor.loader.graph.leaf_nodes()
    return [node for node in leaves if node[0] != "recommendations"] + [recommendations]


SOURCE = "We recommend a hub.\n\n- Hire one person.\n- Report yearly.\n\n1. First.\n2. Second."
LIST = "- Hire one person.\n- Report yearly."
STEPS = "1. First.\n2. Second."


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def origin(text):
    return {"fp": translation_units.fingerprint(text), "source": text}


def test_list_translations_become_item_units():
    old = migrate(targets(BEFORE))
    user = old.get_model("strategy", "User").objects.create(username="core")
    group = old.get_model("groups", "WorkingGroup").objects.create(
        name="Steering", name_en="Steering", slug="steering", kind="steering"
    )
    Recommendation = old.get_model("recommendations", "Recommendation")
    made = Recommendation.objects.create(
        working_group=group,
        number="1",
        title="Hub",
        title_en="Hub",
        body=SOURCE,
        body_en=SOURCE,
        body_zh_hans="我们建议设立中心。\n\n- 雇一个人。\n- 每年报告。\n\n第一\uff0c第二。",
        translation_sources={
            "zh-hans": {
                "body.0": origin("We recommend a hub."),
                "body.1": origin(LIST),
                "body.2": origin(STEPS),
            }
        },
    )
    old.get_model("recommendations", "TranslationDraft").objects.create(
        recommendation=made,
        language="arz",
        unit="body.1",
        text="- عيّنوا واحد.\n- تقرير كل سنه.",
        author=user,
        source=LIST,
        source_fingerprint=translation_units.fingerprint(LIST),
    )
    migrate(targets(AFTER))
    migrate_to_latest()

    from recommendations.models import Recommendation, TranslationDraft, TranslationMemory

    made = Recommendation.objects.get(pk=made.pk)
    sources = made.translation_sources["zh-hans"]
    assert sources["body.0"] == origin("We recommend a hub.")
    assert sources["body.1.0"] == origin("Hire one person.")
    assert sources["body.1.1"] == origin("Report yearly.")
    assert "body.1" not in sources
    # The steps were translated as one sentence: left as they were, with the note.
    assert sources["body.2"]["note"].startswith("list items are units now")
    assert "body.2.0" not in sources
    status = translation_units.status(made, {"title": "Hub", "body": SOURCE}, "zh-hans")
    by_key = {unit.key: unit for unit in status.units}
    assert by_key["body.1.0"].text == "雇一个人。"
    assert by_key["body.1.1"].translated
    assert not by_key["body.1.1"].outdated
    assert not by_key["body.2.0"].translated
    drafts = TranslationDraft.objects.filter(recommendation=made).order_by("unit")
    assert [(draft.unit, draft.text, draft.source) for draft in drafts] == [
        ("body.1.0", "عيّنوا واحد.", "Hire one person."),
        ("body.1.1", "تقرير كل سنه.", "Report yearly."),
    ]
    assert set(TranslationMemory.objects.values_list("source", "translation")) >= {
        ("Hire one person.", "雇一个人。"),
        ("Report yearly.", "每年报告。"),
    }
