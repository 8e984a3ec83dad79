"""Writes for recommendations. Every write is a revision in the history, with its author
and edit summary; history is never rewritten."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from groups.models import WorkingGroup
from recommendations import selectors
from recommendations.live.notify import live_revision_saved
from recommendations.models import (
    TEXT_FIELDS,
    LiveDocument,
    Recommendation,
    RevisionCoauthor,
    source_field,
)
from recommendations.text import translation_units
from recommendations.text.diffing import MergeResult, merge_three_way


@dataclass
class EditConflict(Exception):
    """Someone saved the recommendation after the editor's form was opened."""

    recommendation: Recommendation
    latest: object  # the historical record now current
    theirs: dict[str, str]
    yours: dict[str, str]
    merged: dict[str, MergeResult] = field(default_factory=dict)

    @property
    def conflicts(self) -> int:
        return sum(result.conflicts for result in self.merged.values())


def source_text(instance) -> dict[str, str]:
    """Title, summary and body in the source language, of a recommendation or a revision."""
    return {name: getattr(instance, source_field(name)) or "" for name in TEXT_FIELDS}


def revision_save(recommendation, *, user, edit_summary: str) -> Recommendation:
    recommendation.updated_by = user
    recommendation._history_user = user
    recommendation._change_reason = edit_summary.strip()
    recommendation.full_clean()
    recommendation.save()
    return recommendation


def _next_number(working_group: WorkingGroup) -> str:
    numbers = Recommendation.objects.filter(working_group=working_group).values_list(
        "number", flat=True
    )
    numeric = [int(match.group()) for number in numbers if (match := re.match(r"\d+", number))]
    return str(max(numeric, default=0) + 1)


@transaction.atomic
def recommendation_create(
    *,
    working_group: WorkingGroup,
    user,
    title: str,
    summary: str = "",
    body: str = "",
    edit_summary: str = "",
    number: str | None = None,
    state: str = Recommendation.State.DRAFT,
) -> Recommendation:
    """Create a draft in the group, numbered after the group's highest number."""
    # Lock the group so that two drafts created at once do not get the same number.
    WorkingGroup.objects.select_for_update().filter(pk=working_group.pk).first()
    recommendation = Recommendation(
        working_group=working_group,
        number=number or _next_number(working_group),
        state=state,
        rank=(working_group.recommendations.aggregate(Max("rank"))["rank__max"] or 0) + 1,
    )
    for name, value in {"title": title, "summary": summary, "body": body}.items():
        setattr(recommendation, source_field(name), value)
    return revision_save(recommendation, user=user, edit_summary=edit_summary or _("Created"))


def edit_conflict(
    *,
    recommendation: Recommendation,
    base_revision: int | None,
    yours: dict[str, str],
    keep_yours: bool = False,
) -> EditConflict | None:
    """The conflict saving `yours` would be, if someone changed the text since
    `base_revision` (the revision the editor started from); None when there is none.
    With `keep_yours` (the live editor), its merge keeps your words where both changed
    the same ones, without conflict markers (`merge_three_way`).

    Takes no lock: `recommendation_update` asks again under its lock; a form may ask first,
    to show the conflict while the text is still in it.
    """
    latest = selectors.revision_latest(recommendation=recommendation)
    if latest is None or latest.history_id == base_revision:
        return None
    base = recommendation.history.filter(history_id=base_revision).first()
    base_text = source_text(base) if base else dict.fromkeys(TEXT_FIELDS, "")
    theirs = source_text(latest)
    # Revisions that changed no text (a state change, a new rank) are no conflict.
    if theirs == base_text:
        return None
    who = latest.history_user.display_name if latest.history_user else _("someone")
    merged = {
        name: merge_three_way(
            base_text[name],
            theirs[name],
            yours[name],
            their_label=_("their version (%(name)s)") % {"name": who},
            your_label=_("your version"),
            keep_yours=keep_yours,
        )
        for name in TEXT_FIELDS
    }
    return EditConflict(recommendation, latest, theirs, yours, merged)


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    user,
    title: str,
    summary: str,
    body: str,
    base_revision: int | None,
    edit_summary: str = "",
    minor: bool = False,
) -> Recommendation:
    """Save a new revision. When someone saved since `base_revision` (the revision the
    editor started from), each field is merged three ways: a clean merge (no hunk changed
    on both sides) is saved, its edit summary saying it was merged, as MediaWiki does; a
    real conflict, or a merge the rules refuse (too long), raises EditConflict with the
    merge, for the conflict screen.

    A `minor` edit (a typo, punctuation) leaves the translations of what it touches
    current (translation_units.minor_edit_carried).

    Locks the recommendation's row, so of two saves at once the second sees the first.
    Saving text identical to the current one writes nothing.
    """
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    yours = {"title": title, "summary": summary, "body": body}
    conflict = edit_conflict(
        recommendation=recommendation, base_revision=base_revision, yours=yours
    )
    if conflict is not None:
        if conflict.conflicts:
            raise conflict
        yours = {name: result.text for name, result in conflict.merged.items()}
        edit_summary = _merged_summary(edit_summary, conflict)
    before = source_text(recommendation)
    if before == yours:
        return recommendation
    if minor and recommendation.translation_sources:
        recommendation.translation_sources = translation_units.minor_edit_carried(
            recommendation.translation_sources, before=before, after=yours
        )
    for name, value in yours.items():
        setattr(recommendation, source_field(name), value)
    live_revision_saved(recommendation_id=recommendation.pk)
    try:
        return revision_save(recommendation, user=user, edit_summary=edit_summary)
    except ValidationError:
        if conflict is None:
            raise
        # Nothing is written yet: the person finishes the merge on the conflict screen.
        raise conflict from None


def _merged_summary(edit_summary: str, conflict: EditConflict) -> str:
    latest = conflict.latest
    who = latest.history_user.display_name if latest.history_user else _("someone")
    if edit_summary.strip():
        return _("%(summary)s (merged with the changes of %(name)s)") % {
            "summary": edit_summary.strip(),
            "name": who,
        }
    return _("Merged with the changes of %(name)s") % {"name": who}


@transaction.atomic
def recommendation_restore(*, recommendation: Recommendation, user, number: int) -> Recommendation:
    """Make revision `number`'s text current again, as a new revision."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    revision = selectors.revision_get(recommendation=recommendation, number=number)
    if revision is None:
        raise Recommendation.DoesNotExist
    old = source_text(revision)
    if source_text(recommendation) == old:
        return recommendation
    for name, value in old.items():
        setattr(recommendation, source_field(name), value)
    live_revision_saved(recommendation_id=recommendation.pk)
    return revision_save(
        recommendation,
        user=user,
        edit_summary=_("Restored revision %(number)s") % {"number": number},
    )


@transaction.atomic
def recommendation_rank(*, working_group: WorkingGroup, user, order: list[int]) -> int:
    """Rank the group's recommendations in `order` (ids, first = rank 1); the others keep
    no rank. Each changed rank is a revision. Returns how many ranks changed."""
    recommendations = {
        recommendation.pk: recommendation
        for recommendation in Recommendation.objects.select_for_update().filter(
            working_group=working_group
        )
    }
    ranks = {pk: position for position, pk in enumerate(order, start=1) if pk in recommendations}
    changed = 0
    for pk, recommendation in recommendations.items():
        rank = ranks.get(pk)
        if recommendation.rank != rank:
            recommendation.rank = rank
            revision_save(recommendation, user=user, edit_summary=_("Ranking changed"))
            changed += 1
    return changed


@dataclass
class LiveSaved:
    """What `recommendation_live_save` wrote: the text now current (the room's, merged
    with any revision saved elsewhere since the room's base) and the revision it stands on."""

    text: dict[str, str]
    revision_id: int | None
    # A revision saved elsewhere changed the same words as the live text, which was kept.
    kept_over: bool = False


@transaction.atomic
def recommendation_live_save(
    *,
    recommendation_id: int,
    text: dict[str, str],
    base_revision: int | None,
    authors: list,
    edit_summary: str = "",
) -> LiveSaved:
    """Write the live editor's text as a revision by `authors` (the first its author, the
    others its co-authors: everyone whose changes it holds).

    When someone saved elsewhere since `base_revision` (a restore, the plain form), their
    change is merged word by word into the live text; where both changed the same words,
    the live text is kept (no conflict markers ever enter the room) and their revision
    stays in the history, which the edit summary says. The caller puts the returned text
    into the room as a change. Text identical to the current one writes nothing. Locks the
    recommendation's row.
    """
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation_id)
    conflict = edit_conflict(
        recommendation=recommendation,
        base_revision=base_revision,
        yours=dict(text),
        keep_yours=True,
    )
    kept_over = None
    if conflict is not None:
        text = {name: result.text for name, result in conflict.merged.items()}
        if conflict.conflicts:
            kept_over = conflict.latest
    if source_text(recommendation) == text or not authors:
        latest = selectors.revision_latest(recommendation=recommendation)
        return LiveSaved(text, latest.history_id if latest else None, kept_over is not None)
    for name, value in text.items():
        setattr(recommendation, source_field(name), value)
    author, *coauthors = authors
    edit_summary = edit_summary or _("Written together, live")
    if kept_over is not None:
        who = kept_over.history_user.display_name if kept_over.history_user else _("someone")
        edit_summary = _(
            "%(summary)s (the live text kept where it differed from the change of %(name)s)"
        ) % {"summary": edit_summary, "name": who}
    revision_save(recommendation, user=author, edit_summary=edit_summary)
    latest = selectors.revision_latest(recommendation=recommendation)
    RevisionCoauthor.objects.bulk_create(
        [RevisionCoauthor(revision_id=latest.history_id, user=user) for user in coauthors]
    )
    return LiveSaved(text, latest.history_id, kept_over is not None)


def live_document_store(*, recommendation_id: int, revision_id: int | None, state: bytes) -> None:
    """Keep the live document's state (the Yjs update that rebuilds it) and the revision it
    was last written as: a room opened again starts from it (recommendations/live/room.py)."""
    LiveDocument.objects.update_or_create(
        recommendation_id=recommendation_id,
        defaults={"revision_id": revision_id, "state": state},
    )
