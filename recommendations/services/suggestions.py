"""Suggested changes: proposing words for a frozen version, and the group's decision.

Accepting applies the change to the current draft by the drafting service's three-way
merge from the version it was made on (edit_conflict), as a revision whose change reason
names the suggestion. When the draft has changed the words the suggestion replaces (or
the merge finds both changed the same words), nothing is applied: SuggestionConflict
carries the merge, and the person finishes it on the conflict screen.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recommendations import selectors
from recommendations.models import Comment, Recommendation, Suggestion, Version, source_field
from recommendations.selectors.suggestions import suggestions_in_last_hour
from recommendations.text.anchoring import anchor, is_whole_words, plain_text
from recommendations.text.suggesting import (
    paragraph_end_after_line,
    source_span,
    with_change,
    with_paragraph,
)

from . import notices
from .drafting import (
    EditConflict,
    edit_conflict,
    recommendation_update,
    revision_save,
    source_text,
)


@dataclass
class SuggestionConflict(Exception):
    """The draft changed the words the suggestion replaces: the merge to finish by hand."""

    suggestion: Suggestion
    conflict: EditConflict
    words: str


def _rate_limit(user) -> None:
    """Community feedback's limit: comments and suggestions on published iterations count
    together, FEEDBACK_PER_HOUR an hour."""
    since = timezone.now() - timedelta(hours=1)
    written = Comment.objects.filter(
        author=user, thread__public=True, created_at__gte=since
    ).count() + suggestions_in_last_hour(user=user, since=since)
    if written >= settings.FEEDBACK_PER_HOUR:
        raise ValidationError(
            _(
                "You made %(count)s comments and suggestions in the last hour, the most we "
                "take; please come back later. What you wrote is kept below."
            )
            % {"count": written},
            code="rate_limited",
        )


def _anchor_passage(suggestion: Suggestion, body: str, quote: str, near: int | None) -> None:
    text = plain_text(body)
    found = anchor(text, quote, near=near)
    if found is None:
        raise ValidationError(
            _("The passage is not in this version's text. Copy it exactly as shown."),
            code="quote_not_found",
        )
    if not is_whole_words(text, found.start, found.start + len(found.quote)):
        raise ValidationError(
            _("Select whole words: “%(quote)s” cuts a word of the text or holds none."),
            code="quote_not_whole_words",
            params={"quote": found.quote},
        )
    if source_span(body, text, found.quote, found.start) is None:
        raise ValidationError(
            _(
                "The passage crosses formatting (a link, bold or italic words, two "
                "paragraphs): select words within it, or suggest on a smaller passage."
            ),
            code="quote_across_formatting",
        )
    suggestion.quote, suggestion.quote_prefix = found.quote, found.prefix
    suggestion.quote_suffix, suggestion.quote_start = found.suffix, found.start


@transaction.atomic
def suggestion_make(
    *,
    version: Version,
    user,
    target: str,
    replacement: str,
    reason: str,
    quote: str = "",
    near: int | None = None,
    after_line: int | None = None,
) -> Suggestion:
    """Propose `replacement` for the version's title, summary, a passage (`quote`, words of
    the text as shown; `near` says which occurrence) or as a new paragraph after
    `after_line`. On a published iteration, the feedback rules hold (its rate limit)."""
    if version.kind == Version.Kind.ITERATION:
        if version.recommendation.state == Recommendation.State.WITHDRAWN:
            raise ValidationError(
                _("Suggestions are taken on published iterations only."), code="not_published"
            )
        _rate_limit(user)
    text = source_text(version.revision)
    suggestion = Suggestion(
        version=version,
        author=user,
        target=target,
        replacement=replacement.strip() if target != Suggestion.Target.PASSAGE else replacement,
        reason=reason.strip(),
    )
    if target in (Suggestion.Target.TITLE, Suggestion.Target.SUMMARY):
        suggestion.quote = text[target]
        if not suggestion.replacement:
            raise ValidationError(_("Write the words you propose."), code="words_required")
    elif target == Suggestion.Target.PASSAGE:
        _anchor_passage(suggestion, text["body"], quote, near)
    elif target == Suggestion.Target.PARAGRAPH:
        if after_line is None or paragraph_end_after_line(text["body"], after_line) is None:
            raise ValidationError(
                _("This version has no line %(line)s.") % {"line": after_line},
                code="no_such_line",
            )
        suggestion.after_line = after_line
        if not suggestion.replacement:
            raise ValidationError(_("Write the paragraph you propose."), code="words_required")
    if suggestion.quote == suggestion.replacement:
        raise ValidationError(
            _("The words you propose are those of the text already."), code="unchanged"
        )
    suggestion.full_clean()
    suggestion._history_user = user
    suggestion.save()
    return suggestion


def suggested_text(suggestion: Suggestion, words: str) -> dict[str, str]:
    """The text of the version the suggestion was made on, with `words` put in."""
    text = source_text(suggestion.version.revision)
    target = suggestion.target
    if target in (Suggestion.Target.TITLE, Suggestion.Target.SUMMARY):
        text[target] = words
    elif target == Suggestion.Target.PASSAGE:
        body = text["body"]
        start, end = source_span(
            body, plain_text(body), suggestion.quote, suggestion.quote_start or 0
        )
        text["body"] = with_change(body, start=start, end=end, words=words)
    else:
        at = paragraph_end_after_line(text["body"], suggestion.after_line)
        text["body"] = with_paragraph(text["body"], at=at, words=words)
    return text


def _still_there(suggestion: Suggestion, draft: dict[str, str]) -> bool:
    """Whether the draft still holds the words the suggestion replaces, as they were."""
    if suggestion.target in (Suggestion.Target.TITLE, Suggestion.Target.SUMMARY):
        return draft[suggestion.target] == suggestion.quote
    if suggestion.target == Suggestion.Target.PASSAGE:
        return suggestion.quote in draft["body"]
    return True


def change_reason(suggestion: Suggestion) -> str:
    return _("Suggestion %(number)s accepted (%(author)s, on %(version)s)") % {
        "number": suggestion.pk,
        "author": suggestion.author.display_name if suggestion.author else _("someone"),
        "version": suggestion.version.name,
    }


def _open_locked(suggestion: Suggestion) -> Suggestion:
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("version__recommendation", "version__revision", "author")
        .get(pk=suggestion.pk)
    )
    if suggestion.state != Suggestion.State.OPEN:
        raise ValidationError(
            _("This suggestion was decided already: %(state)s.")
            % {"state": suggestion.get_state_display()},
            code="decided",
        )
    return suggestion


def _not_hidden(suggestion: Suggestion) -> None:
    if suggestion.hidden_reason:
        raise ValidationError(
            _("The moderators hid this suggestion: it cannot be accepted."), code="hidden"
        )


def _record(suggestion: Suggestion, *, user, state: str, reason: str, revision=None, words=""):
    suggestion.state = state
    suggestion.decision_reason = reason.strip()
    suggestion.accepted_text = words if state == Suggestion.State.ACCEPTED_CHANGED else ""
    suggestion.revision = revision
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion._history_user = user
    suggestion.full_clean()
    suggestion.save()
    notices.suggestion_decided_notify(suggestion=suggestion, user=user)
    return suggestion


def _state_for(suggestion: Suggestion, words: str) -> str:
    if words != suggestion.replacement:
        return Suggestion.State.ACCEPTED_CHANGED
    return Suggestion.State.ACCEPTED


@transaction.atomic
def suggestion_accept(
    *, suggestion: Suggestion, user, words: str | None = None, reason: str = ""
) -> Suggestion:
    """Accept the suggestion, its words or `words` (accepted with changes), into the draft
    as a new revision naming it. Raises SuggestionConflict, applying nothing, when the
    draft has changed the words it replaces or the merge finds the same words changed on
    both sides. Locks the suggestion and the recommendation's row."""
    suggestion = _open_locked(suggestion)
    _not_hidden(suggestion)
    words = suggestion.replacement if words is None else words
    recommendation = Recommendation.objects.select_for_update().get(
        pk=suggestion.version.recommendation_id
    )
    yours = suggested_text(suggestion, words)
    draft = source_text(recommendation)
    conflict = edit_conflict(
        recommendation=recommendation,
        base_revision=suggestion.version.revision.history_id,
        yours=yours,
    )
    if conflict is not None and (conflict.conflicts or not _still_there(suggestion, draft)):
        raise SuggestionConflict(suggestion, conflict, words)
    merged = {name: result.text for name, result in conflict.merged.items()} if conflict else yours
    if merged != draft:
        for name, value in merged.items():
            setattr(recommendation, source_field(name), value)
        revision_save(recommendation, user=user, edit_summary=change_reason(suggestion))
    revision = selectors.revision_latest(recommendation=recommendation)
    return _record(
        suggestion,
        user=user,
        state=_state_for(suggestion, words),
        reason=reason,
        revision=revision,
        words=words,
    )


@transaction.atomic
def suggestion_accepted_in(*, suggestion: Suggestion, user, revision, words: str) -> Suggestion:
    """Record that the merge finished on the conflict screen, saved as `revision`,
    accepted the suggestion (with `words`, when they differ from those proposed)."""
    suggestion = _open_locked(suggestion)
    _not_hidden(suggestion)
    return _record(
        suggestion,
        user=user,
        state=_state_for(suggestion, words),
        reason="",
        revision=revision,
        words=words,
    )


@transaction.atomic
def suggestion_merge_save(
    *, recommendation: Recommendation, suggestion_id: int, user, words: str, **text
) -> Suggestion:
    """Save the merge finished on the conflict screen of accepting a suggestion (as
    recommendation_update does, conflicts and all) and record the suggestion accepted in
    that revision, both or neither."""
    suggestion = Suggestion.objects.filter(
        pk=suggestion_id, version__recommendation=recommendation
    ).first()
    if suggestion is None:
        raise ValidationError(_("That suggestion is not one of this recommendation."), code="gone")
    recommendation_update(recommendation=recommendation, user=user, **text)
    revision = selectors.revision_latest(recommendation=recommendation)
    return suggestion_accepted_in(suggestion=suggestion, user=user, revision=revision, words=words)


@transaction.atomic
def suggestion_decline(*, suggestion: Suggestion, user, reason: str) -> Suggestion:
    suggestion = _open_locked(suggestion)
    if not reason.strip():
        raise ValidationError(_("Say why it was declined."), code="reason_required")
    return _record(suggestion, user=user, state=Suggestion.State.DECLINED, reason=reason)


@transaction.atomic
def suggestion_hide(*, suggestion: Suggestion, user, reason: str) -> Suggestion:
    """Hide a suggestion from the public, saying why, as a comment of feedback is hidden:
    it stays in the record (its place, not its words) and can no longer be accepted."""
    if not reason.strip():
        raise ValidationError(_("Say why it is hidden."), code="reason_required")
    suggestion = Suggestion.objects.select_for_update(of=("self",)).get(pk=suggestion.pk)
    suggestion.hidden_reason, suggestion.hidden_by = reason.strip(), user
    suggestion._history_user = user
    suggestion.save(update_fields=["hidden_reason", "hidden_by"])
    return suggestion


@transaction.atomic
def suggestion_unhide(*, suggestion: Suggestion, user) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update(of=("self",)).get(pk=suggestion.pk)
    suggestion.hidden_reason, suggestion.hidden_by = "", None
    suggestion._history_user = user
    suggestion.save(update_fields=["hidden_reason", "hidden_by"])
    return suggestion
