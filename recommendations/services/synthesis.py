"""Writes for the synthesis: sources linked to synthesized recommendations, the fate of
sources that were not merged, overlaps between sources, and connectors' inputs."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from groups.models import WorkingGroup
from recommendations.models import (
    Input,
    OverlapCluster,
    Recommendation,
    SourceFate,
    SourceLink,
    Version,
)

from . import notices


def _is_synthesized(recommendation: Recommendation) -> bool:
    return recommendation.working_group.kind == WorkingGroup.Kind.SYNTHESIS


def _is_source(recommendation: Recommendation) -> bool:
    return recommendation.working_group.kind == WorkingGroup.Kind.THEMATIC


@transaction.atomic
def source_link(
    *, synthesized: Recommendation, source_version: Version, note: str = "", user
) -> SourceLink:
    """Say that `synthesized` reflects a source recommendation as published in
    `source_version`."""
    if not _is_synthesized(synthesized):
        raise ValidationError(
            _("Only a synthesized recommendation has sources."), code="not_synthesized"
        )
    if source_version.kind != Version.Kind.ITERATION or not _is_source(
        source_version.recommendation
    ):
        raise ValidationError(
            _("A source is a thematic group's published recommendation."), code="not_a_source"
        )
    link = SourceLink(
        synthesized=synthesized, source_version=source_version, note=note.strip(), created_by=user
    )
    link.full_clean()
    link._history_user = user
    link.save()
    notices.merged_notify(link=link, user=user)
    return link


def note_digest(note: str) -> str:
    """What a form that edits a note carries of the note it started from: a digest, so
    that line endings a browser rewrites do not count as a change."""
    return hashlib.sha256(note.replace("\r\n", "\n").encode()).hexdigest()


@transaction.atomic
def source_link_note_update(
    *, link: SourceLink, note: str, user, base_digest: str | None = None
) -> SourceLink:
    """Rewrite the note of `link` (the history keeps the earlier one, and who changed it).
    With `base_digest` (note_digest of the note the writer started from), a note changed
    by someone else meanwhile is not overwritten: a ValidationError with code "stale".
    Saving the same note again writes nothing. Locks the link for the transaction."""
    current = SourceLink.objects.select_for_update().get(pk=link.pk)
    if base_digest is not None and note_digest(current.note) != base_digest:
        raise ValidationError(
            _(
                "Someone changed this note while you were editing it. Their note is shown "
                "above; yours is still in the box: save again to replace theirs."
            ),
            code="stale",
        )
    note = note.strip()
    if note.replace("\r\n", "\n") == current.note.replace("\r\n", "\n"):
        return current
    current.note = note
    current.full_clean()
    current._history_user = user
    current._change_reason = _("Note edited")
    current.save(update_fields=["note"])
    link.note = current.note
    return current


@transaction.atomic
def source_unlink(*, link: SourceLink, user) -> None:
    link._history_user = user
    link.delete()


@transaction.atomic
def source_fate_set(*, source: Recommendation, fate: str, reason: str, user) -> SourceFate:
    """Record that a source was forwarded elsewhere or left out, and why."""
    if not _is_source(source):
        raise ValidationError(
            _("Only a thematic group's recommendation has a fate."), code="not_a_source"
        )
    record = SourceFate.objects.filter(source=source).first() or SourceFate(source=source)
    record.fate, record.reason, record.decided_by = fate, reason.strip(), user
    record.full_clean()
    record._history_user = user
    record.save()
    return record


@transaction.atomic
def source_fate_clear(*, source: Recommendation, user) -> None:
    record = SourceFate.objects.filter(source=source).first()
    if record:
        record._history_user = user
        record.delete()


@transaction.atomic
def overlap_create(*, members: list[Recommendation], note: str, user) -> OverlapCluster:
    if len({member.pk for member in members}) < 2:
        raise ValidationError(_("An overlap needs two recommendations or more."), code="too_few")
    if not note.strip():
        raise ValidationError(_("Say how they overlap."), code="note_required")
    cluster = OverlapCluster.objects.create(note=note.strip(), created_by=user)
    cluster.members.set(members)
    return cluster


@transaction.atomic
def input_create(
    *,
    kind: str,
    title: str,
    recommendations: list[Recommendation],
    user,
    text: str = "",
    link: str = "",
    dated=None,
    source: str = "",
) -> Input:
    if not recommendations:
        raise ValidationError(
            _("Attach the input to one recommendation or more."), code="no_recommendation"
        )
    item = Input(
        kind=kind,
        title=title.strip(),
        text=text,
        link=link,
        dated=dated,
        source=source.strip(),
        created_by=user,
    )
    item.full_clean()
    item.save()
    item.recommendations.set(recommendations)
    return item
