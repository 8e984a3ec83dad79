"""Writes for translations: the core team saves the units of one language (public at
once); a volunteer saves drafts, which another translator of the language (not their
author) or the core team proofreads and marks ready, making them public."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recommendations.models import (
    Iteration,
    Recommendation,
    TranslationDraft,
    TranslationMemory,
    TranslationProgress,
    TranslationReadiness,
    Version,
)
from recommendations.selectors.translations import (
    IterationLanguage,
    iteration_language,
    translation_statuses,
)
from recommendations.text import translation_units
from strategy import generations


@transaction.atomic
def translation_save(
    *,
    recommendation: Recommendation,
    user,
    language: str,
    source: dict[str, str],
    translations: dict[str, str],
    made_from: dict[str, dict] | None = None,
    confirmed: frozenset[str] | set[str] = frozenset(),
) -> Recommendation:
    """Save the translation of `source` (the text the public reads) into `language`: the
    public translation, as the core team saves it (a volunteer's text goes through
    translation_draft_save and translation_mark_ready).

    `translations` maps unit keys to translated text; an empty text leaves the unit
    untranslated. Each translated unit records the fingerprint of its source unit, so that
    it shows as outdated once that source changes (`made_from`: by key, the source a text
    was made from, when not `source`: a proofread draft's). A unit left unchanged keeps
    the source it was made from (an outdated one stays outdated), unless it is given in
    `made_from` or `confirmed` (the keys of units whose translator reviewed the text as a
    translation of `source`, as it is now). A revision of its own, in the history. Each
    new text joins the translation memory; the drafts of the units whose public text this
    save changed or confirmed are done with (another unit's draft still waits).
    """
    if language not in translation_units.translation_languages():
        raise ValidationError(
            _("There is no such language to translate into."), code="unknown_language"
        )
    refuse_broken_markup(source, translations)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    suffix = language.replace("-", "_")
    source_units = translation_units.units(source)
    previous = (recommendation.translation_sources or {}).get(language, {})
    current = translation_units.translated_units(recommendation, language)
    origins = dict(made_from or {})
    for key, source_text in source_units:
        if key in confirmed and key not in origins:
            origins[key] = {"fp": translation_units.fingerprint(source_text), "source": source_text}
    made_from, remembered, done = {}, [], []
    for key, source_text in source_units:
        text = translation_units.one_paragraph(translations.get(key) or "")
        if text:
            kept = previous.get(key)
            unchanged = text == current.get(key)
            if unchanged and kept and key not in origins:
                made_from[key] = kept
                continue
            if not unchanged or key in origins:
                # Its public text changed, or was confirmed: its draft is done with.
                done.append(key)
            made_from[key] = origins.get(key) or {
                "fp": translation_units.fingerprint(source_text),
                "source": source_text,
            }
            remembered.append(
                TranslationMemory(
                    language=language,
                    source=made_from[key]["source"],
                    source_fingerprint=made_from[key]["fp"],
                    translation=text,
                    recommendation=recommendation,
                )
            )
    setattr(recommendation, f"title_{suffix}", (translations.get("title") or "").strip())
    setattr(recommendation, f"summary_{suffix}", (translations.get("summary") or "").strip())
    setattr(recommendation, f"body_{suffix}", translated_body(source, translations))
    sources = dict(recommendation.translation_sources or {})
    sources[language] = made_from
    recommendation.translation_sources = sources
    recommendation._history_user = user
    recommendation._change_reason = _("Translation into %(language)s") % {"language": language}
    recommendation.full_clean()
    recommendation.save()
    translation_progress_record(recommendations=[recommendation], languages=[language])
    # Not tracked: the memory is what was once public, each text once per source.
    TranslationMemory.objects.bulk_create(remembered, ignore_conflicts=True)
    if done:
        TranslationDraft.objects.filter(
            recommendation=recommendation, language=language, unit__in=done
        ).delete()
    return recommendation


def translated_body(source: dict[str, str], translations: dict[str, str]) -> str:
    """The translation's body, paragraph by paragraph as the source's (an untranslated
    paragraph stays empty); a list keeps the source's marks, each item's translation after
    its own (an untranslated item is its mark alone)."""
    body = []
    for index, (_part, items) in enumerate(translation_units.body_paragraphs(source)):
        if items is None:
            body.append(translation_units.one_paragraph(translations.get(f"body.{index}") or ""))
            continue
        texts = [
            translation_units.one_paragraph(
                translations.get(translation_units.item_key(index, item)) or ""
            )
            for item in range(len(items))
        ]
        body.append(
            translation_units.list_paragraph(
                [(mark, text) for (mark, _source), text in zip(items, texts, strict=True)]
            )
            if any(texts)
            else ""
        )
    return translation_units.UNIT_SEPARATOR.join(body).rstrip()


def refuse_broken_markup(source: dict[str, str], translations: dict[str, str]) -> None:
    """A translation that drops a link or breaks a list is refused, with the reason."""
    problems = []
    for key, source_text in translation_units.units(source):
        text = translation_units.one_paragraph(translations.get(key) or "")
        problem = translation_units.markup_problem(key, source_text, text)
        if problem:
            label = translation_units.unit_label(key, source_text)
            problems.append(_("%(label)s: %(problem)s") % {"label": label, "problem": problem})
    if problems:
        raise ValidationError(problems, code="markup")


@transaction.atomic
def translation_draft_save(
    *,
    recommendation: Recommendation,
    user,
    language: str,
    source: dict[str, str],
    translations: dict[str, str],
    confirmed: frozenset[str] | set[str] = frozenset(),
) -> int:
    """Save a volunteer's translation of `source` into `language` as drafts: nothing
    public changes until a draft is marked ready (translation_mark_ready).

    For each unit: a text that differs from both the public translation and the unit's
    draft becomes the unit's draft, by `user` (replacing another's); the public
    translation's text, or none, drops the unit's draft; the draft's own text keeps it as
    it was (its author too). A unit of `confirmed` (its translator reviewed the public,
    outdated text as a translation of `source` as it is now) given that text becomes a
    draft of it made from `source`: once proofread, the unit is current. Returns how many
    drafts were written."""
    if language not in translation_units.translation_languages():
        raise ValidationError(
            _("There is no such language to translate into."), code="unknown_language"
        )
    refuse_broken_markup(source, translations)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    public = translation_units.translated_units(recommendation, language)
    drafts = {
        draft.unit: draft
        for draft in TranslationDraft.objects.filter(
            recommendation=recommendation, language=language
        )
    }
    made_from = (recommendation.translation_sources or {}).get(language, {})
    written, dropped = 0, []
    for key, source_text in translation_units.units(source):
        text = translation_units.one_paragraph(translations.get(key) or "")
        draft = drafts.get(key)
        fingerprint = translation_units.fingerprint(source_text)
        reviewed = (
            key in confirmed
            and text
            and text == public.get(key)
            and fingerprint not in translation_units.accepted_fingerprints(made_from.get(key) or {})
        )
        if draft is not None and text == draft.text and not reviewed:
            continue
        if draft is not None and reviewed and draft.source_fingerprint == fingerprint:
            continue
        if not reviewed and (not text or text == public.get(key)):
            if draft is not None:
                dropped.append(draft.pk)
            continue
        if draft is None:
            draft = TranslationDraft(recommendation=recommendation, language=language, unit=key)
        draft.text = text
        draft.author = user
        draft.source = source_text
        draft.source_fingerprint = fingerprint
        if key == "title" and len(text) > Recommendation._meta.get_field("title").max_length:
            raise ValidationError(_("The title's translation is too long."), code="too_long")
        draft.full_clean(exclude=["recommendation", "author"])
        draft._history_user = user
        draft.save()
        written += 1
    if dropped:
        TranslationDraft.objects.filter(pk__in=dropped).delete()
    return written


@transaction.atomic
def translation_mark_ready(
    *,
    recommendation: Recommendation,
    user,
    language: str,
    source: dict[str, str],
    drafts: list[TranslationDraft],
) -> Recommendation:
    """Make the proofread `drafts` (of `recommendation` in `language`) its public
    translation of their units, as made from the source their author translated; the other
    units keep their public translation. The caller checks that `user` may proofread each
    (the rule `recommendations.proofread_translation`)."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    translations = dict(translation_units.translated_units(recommendation, language))
    made_from = {}
    for draft in drafts:
        if draft.recommendation_id != recommendation.pk or draft.language != language:
            raise ValidationError(
                _("That draft is not of this translation."), code="other_translation"
            )
        translations[draft.unit] = draft.text
        made_from[draft.unit] = {"fp": draft.source_fingerprint, "source": draft.source}
    return translation_save(
        recommendation=recommendation,
        user=user,
        language=language,
        source=source,
        translations=translations,
        made_from=made_from,
    )


def translation_progress_record(*, recommendations, languages: list[str] | None = None) -> int:
    """Count again, and store, how much of each recommendation's published version is
    translated into each language (every translation language unless `languages`): what
    the completeness table and the translators' home read (TranslationProgress). A
    recommendation without a published version has nothing counted. Call it whenever a
    translation or the published version changes; safe to call again. Returns the rows
    written. The recommendations need their translations loaded (not deferred)."""
    languages = translation_units.translation_languages() if languages is None else languages
    by_pk = {r.pk: r for r in recommendations if r.published_version_id}
    versions = list(
        Version.objects.filter(
            pk__in=[r.published_version_id for r in by_pk.values()]
        ).select_related("revision")
    )
    for version in versions:
        # The recommendation as the caller has it: with the translation just saved.
        version.recommendation = by_pk[version.recommendation_id]
    rows = [
        TranslationProgress(
            recommendation_id=version.recommendation_id,
            version_id=version.pk,
            published_at=version.created_at,
            language=status.language,
            total=status.total,
            translated=status.done,
            stale=status.outdated,
        )
        for version, status in translation_statuses(versions, languages=languages)
    ]
    # Not a tracked model: a count kept for speed, recomputed from the texts at will.
    TranslationProgress.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["recommendation", "language"],
        update_fields=["version", "published_at", "total", "translated", "stale", "updated_at"],
    )
    # Written in bulk, no signal: what is kept from the counts (fragments) must know.
    generations.model_changed("recommendations.TranslationProgress")
    return len(rows)


def translation_memory_backfill(
    *, recommendations=None, history=None, memory=None, batch_size: int = 500
) -> int:
    """Put into the translation memory every translation stored before it existed: each
    translated unit of every recommendation, and of every row of their history (the
    translations since replaced), with the source it was made from (a unit whose source
    was never recorded is left out). What is there already stays as it is: safe to run
    again. Returns how many entries were added.

    The models default to the app's; the data migration that runs it passes its own."""
    if recommendations is None:
        recommendations = Recommendation
        history = Recommendation.history.model
        memory = TranslationMemory
    languages = translation_units.translation_languages()
    texts = [
        f"{name}_{language.replace('-', '_')}"
        for language in languages
        for name in ("title", "summary", "body")
    ]
    existing = set(recommendations.objects.values_list("pk", flat=True))
    before = memory.objects.count()
    rows, seen = [], set()

    def flush():
        memory.objects.bulk_create(rows, ignore_conflicts=True)
        rows.clear()

    sources = [recommendations.objects.only("pk", "translation_sources", *texts)]
    if history is not None:
        sources.append(history.objects.only("id", "translation_sources", *texts))
    for queryset in sources:
        for row in queryset.order_by("pk").iterator(chunk_size=batch_size):
            pk = row.pk if queryset.model is recommendations else row.id
            for language in languages:
                for _key, source, print_, text in translation_units.made_from_sources(
                    row, language
                ):
                    # The history repeats a text in every row after it: once is enough.
                    if (language, print_, text) in seen:
                        continue
                    seen.add((language, print_, text))
                    rows.append(
                        memory(
                            language=language,
                            source=source,
                            source_fingerprint=print_,
                            translation=text,
                            recommendation_id=pk if pk in existing else None,
                        )
                    )
            if len(rows) >= batch_size:
                flush()
    flush()
    return memory.objects.count() - before


def _refusal(code: str, count: int) -> ValidationError:
    messages = {
        "empty": _("Nothing is published in this iteration yet."),
        "untranslated": ngettext(
            "%(count)s unit of the set is not translated yet.",
            "%(count)s units of the set are not translated yet.",
            count,
        ),
        "stale": ngettext(
            "%(count)s unit of the set is stale: its source changed since it was translated.",
            "%(count)s units of the set are stale: their source changed since they were "
            "translated.",
            count,
        ),
        "drafts": ngettext(
            "%(count)s draft is waiting for proofreading.",
            "%(count)s drafts are waiting for proofreading.",
            count,
        ),
    }
    return ValidationError(messages[code], code=code, params={"count": count})


@transaction.atomic
def translation_readiness_mark(
    *, iteration: Iteration, language: str, user
) -> TranslationReadiness:
    """Mark `language` ready for `iteration`: refused (ValidationError, one message per
    reason, nothing saved) while a unit of the set is untranslated or stale, or a draft
    waits for proofreading (IterationLanguage.refusals). Marking again renews the mark (by
    `user`, now). The caller checks that `user` may (`recommendations.mark_language_ready`)."""
    if language not in translation_units.translation_languages():
        raise ValidationError(
            _("There is no such language to translate into."), code="unknown_language"
        )
    # Marks of one iteration one at a time: two first marks at once would both insert.
    Iteration.objects.select_for_update().filter(pk=iteration.pk).first()
    state: IterationLanguage = iteration_language(iteration=iteration, language=language)
    if state.refusals:
        raise ValidationError([_refusal(code, count) for code, count in state.refusals])
    mark = (
        TranslationReadiness.objects.select_for_update()
        .filter(iteration=iteration, language=language)
        .first()
    ) or TranslationReadiness(iteration=iteration, language=language)
    mark.marked_by = user
    mark.marked_at = timezone.now()
    mark.full_clean(exclude=["iteration", "marked_by"], validate_unique=False)
    mark._history_user = user
    mark.save()
    return mark


@transaction.atomic
def translation_readiness_unmark(*, iteration: Iteration, language: str, user) -> bool:
    """Take back `language`'s ready mark for `iteration`, whatever the set's state: True
    if there was one. The caller checks that `user` may (`recommendations.mark_language_ready`)."""
    Iteration.objects.select_for_update().filter(pk=iteration.pk).first()
    mark = (
        TranslationReadiness.objects.select_for_update()
        .filter(iteration=iteration, language=language)
        .first()
    )
    if mark is None:
        return False
    mark._history_user = user
    mark.delete()
    return True
