"""The stored completeness (TranslationProgress), counted again for every published
recommendation, as `manage.py translation_progress_fill` counts it: 0012 made the table
empty, and 0020 made each list item a unit of its own, so counts stored before it are
wrong. A deployment upgraded from before them has the right counts without running the
command.

Copies of the rules of recommendations/text/translation_units.py (units, translated_units,
accepted_fingerprints, status) and of recommendations_published as they are at this
migration: a migration must not change when the app's code does."""

import hashlib
import re

from django.db import migrations

# Recommendations counted per write: their texts in every language are read at once.
BATCH = 200

_PARAGRAPHS = re.compile(r"\n\s*\n")
_ITEM = re.compile(r"^(?P<mark>[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
UNIT_SEPARATOR = "\n\n"
WITHDRAWN = "withdrawn"


def fingerprint(text):
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16]


def paragraphs(body):
    return [part.strip() for part in _PARAGRAPHS.split(body or "") if part.strip()]


def list_items(paragraph):
    """A list paragraph's items' texts (their marks left out), or None for no list."""
    lines = paragraph.strip("\n").splitlines()
    if not lines or not _ITEM.match(lines[0]):
        return None
    items = []
    for line in lines:
        match = _ITEM.match(line)
        if match:
            items.append([match["mark"] + " ", line[match.end() :]])
        elif line.startswith((" ", "\t")):
            indent = len(items[-1][0])
            spaces = len(line) - len(line.lstrip(" "))
            items[-1][1] += "\n" + line[min(indent, spaces) :]
        else:
            return None
    return [text.strip() for _mark, text in items]


def source_units(text):
    """[(key, fingerprint)] of a text's units: title, summary, each paragraph of the body
    but a list, each of whose items is one."""
    found = []
    for name in ("title", "summary"):
        if (text.get(name) or "").strip():
            found.append((name, text[name].strip()))
    for index, part in enumerate(paragraphs(text.get("body"))):
        items = list_items(part)
        if items:
            found += [(f"body.{index}.{item}", item_text) for item, item_text in enumerate(items)]
        else:
            found.append((f"body.{index}", part))
    return [(key, fingerprint(unit)) for key, unit in found]


def translated_keys(recommendation, language):
    """The keys of the units translated into `language`."""
    suffix = language.replace("-", "_")
    found = set()
    for name in ("title", "summary"):
        if (getattr(recommendation, f"{name}_{suffix}", "") or "").strip():
            found.add(name)
    body = getattr(recommendation, f"body_{suffix}", "") or ""
    for index, part in enumerate(body.replace("\r\n", "\n").split(UNIT_SEPARATOR)):
        if not part.strip():
            continue
        items = list_items(part)
        if items:
            found.update(f"body.{index}.{item}" for item, text in enumerate(items) if text)
        else:
            found.add(f"body.{index}")
    return found


def accepted_fingerprints(origin):
    return {origin.get("fp"), *origin.get("minor", [])} - {None}


def count(recommendation, units, language):
    """(total, translated, stale) of the translation into `language`."""
    translated = translated_keys(recommendation, language)
    made_from = (recommendation.translation_sources or {}).get(language, {})
    done = [(key, print_) for key, print_ in units if key in translated]
    stale = sum(
        print_ not in accepted_fingerprints(made_from.get(key) or {}) for key, print_ in done
    )
    return len(units), len(done), stale


def count_again(apps, schema_editor):
    from django.conf import settings

    Recommendation = apps.get_model("recommendations", "Recommendation")
    Progress = apps.get_model("recommendations", "TranslationProgress")
    source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    languages = [code for code, _name in settings.LANGUAGES if code != source]
    suffix = source.replace("-", "_")
    published = (
        Recommendation.objects.filter(published_version__isnull=False)
        .exclude(state=WITHDRAWN)
        .select_related("published_version__revision")
        .order_by("pk")
    )
    rows = []

    def write():
        Progress.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["recommendation", "language"],
            update_fields=["version", "published_at", "total", "translated", "stale", "updated_at"],
        )
        rows.clear()

    for recommendation in published.iterator(chunk_size=BATCH):
        version = recommendation.published_version
        revision = version.revision
        units = source_units(
            {
                name: getattr(revision, f"{name}_{suffix}", "") or ""
                for name in ("title", "summary", "body")
            }
        )
        for language in languages:
            total, translated, stale = count(recommendation, units, language)
            rows.append(
                Progress(
                    recommendation_id=recommendation.pk,
                    version_id=version.pk,
                    published_at=version.created_at,
                    language=language,
                    total=total,
                    translated=translated,
                    stale=stale,
                )
            )
        if len(rows) >= BATCH * len(languages):
            write()
    write()


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0017_suggestion_hidden"),
    ]

    operations = [
        # Undone, the counts stay: they are counts of the texts, which undoing leaves.
        migrations.RunPython(count_again, migrations.RunPython.noop, elidable=True),
    ]
