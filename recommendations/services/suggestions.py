"""Suggested changes: proposing words for a frozen version, and the group's decision.

Accepting applies the change to the current draft by the drafting service's three-way
merge from the version it was made on (edit_conflict), as a revision whose change reason
names the suggestion. When the draft has changed the words the suggestion replaces (or
the merge finds both changed the same words), nothing is applied: SuggestionConflict
carries the merge, and the person finishes it on the conflict screen.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import timedelta
from difflib import SequenceMatcher

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recommendations import selectors
from recommendations.models import Comment, Recommendation, Suggestion, Version, source_field
from recommendations.selectors.suggestions import (
    SUGGESTIONS_SHOWN,
    earlier_open_suggestions,
    suggestion_list,
    suggestions_in_last_hour,
)
from recommendations.text.anchoring import anchor, find_again, is_whole_words, plain_text
from recommendations.text.suggesting import (
    last_line_before,
    paragraph_after_line,
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


# The merge workbench: every open suggestion of a version at once, on the current draft.
KEEP, ACCEPT, DECLINE = "keep", "accept", "decline"


@dataclass
class Placed:
    """Where an open suggestion stands in the workbench's text (the draft it is opened
    on): the field and the source span its words replace (a new paragraph's, empty: where
    it goes), or `gone` when the draft no longer holds the words it replaces (or the
    paragraph it goes after) as they were; its plain-text start and lines, to draw it; the
    other suggestions whose words it touches."""

    suggestion: Suggestion
    field: str = "body"
    start: int | None = None
    end: int | None = None
    plain_start: int | None = None
    lines: tuple[int, int] | None = None
    overlaps: list[int] = dataclass_field(default_factory=list)

    @property
    def gone(self) -> bool:
        return self.start is None

    def touches(self, other: "Placed") -> bool:
        """Whether the two change words of one field in common, or both put a new
        paragraph in the same place."""
        if self.gone or other.gone or self.field != other.field:
            return False
        if self.start == self.end and other.start == other.end:
            return self.start == other.start
        return self.start < other.end and other.start < self.end


@dataclass
class Workbench:
    """The open suggestions of `version` (its own, then those of earlier versions still
    open) placed on `text`, the draft as of `base` (the revision the page stands on)."""

    version: Version
    base: object
    text: dict[str, str]
    placed: list[Placed]
    more: bool

    def get(self, pk: int) -> Placed | None:
        return next((each for each in self.placed if each.suggestion.pk == pk), None)

    def merged(self, accepted) -> tuple[dict[str, str], dict[int, tuple[str, int, int]]]:
        """The text with the `accepted` suggestions' words put in (ids; none gone, no two
        touching), and where each one's words stand in it: {pk: (field, start, end)}.
        Raises ValidationError naming the first that cannot be taken."""
        taken = [self.get(pk) for pk in accepted]
        for each in taken:
            if each is None:
                raise ValidationError(
                    _("That suggestion is not open on this version."), code="not_open"
                )
            if each.gone:
                raise ValidationError(
                    _(
                        "Suggestion %(number)s cannot be accepted: the draft no longer holds "
                        "the words it replaces. Decline it, or write it in by hand."
                    )
                    % {"number": each.suggestion.pk},
                    code="gone",
                )
        for index, each in enumerate(taken):
            for other in taken[index + 1 :]:
                if each.touches(other):
                    raise ValidationError(
                        _(
                            "Suggestions %(first)s and %(second)s touch the same words: "
                            "accept one of them, and write the other in by hand if you "
                            "want some of it."
                        )
                        % {"first": each.suggestion.pk, "second": other.suggestion.pk},
                        code="overlap",
                    )
        text = dict(self.text)
        spans: dict[int, tuple[str, int, int]] = {}
        for field in text:
            ordered = sorted(
                (each for each in taken if each.field == field), key=lambda each: each.start
            )
            source, out, at = text[field], [], 0
            for each in ordered:
                words = each.suggestion.words
                if each.suggestion.target == Suggestion.Target.PARAGRAPH:
                    out.append(source[at : each.start].rstrip("\n") + "\n\n")
                    words = words.strip("\n")
                    following = source[each.start :]
                    at = each.start + len(following) - len(following.lstrip("\n"))
                    start = sum(map(len, out))
                    out.append(words + "\n\n")
                else:
                    out.append(source[at : each.start])
                    start = sum(map(len, out))
                    out.append(words)
                    at = each.end
                spans[each.suggestion.pk] = (field, start, start + len(words))
            out.append(source[at:])
            text[field] = "".join(out)
        return text, spans


def _place(suggestion: Suggestion, text, plain, made_on) -> Placed:
    placed = Placed(suggestion)
    target = suggestion.target
    if target in (Suggestion.Target.TITLE, Suggestion.Target.SUMMARY):
        placed.field = target
        if text[target] == suggestion.quote:
            placed.start, placed.end = 0, len(text[target])
        return placed
    if target == Suggestion.Target.PASSAGE:
        found = find_again(
            plain,
            suggestion.quote,
            suggestion.quote_prefix,
            suggestion.quote_suffix,
            suggestion.quote_start,
        )
        quote = suggestion.quote
        if found.start is not None and plain[found.start : found.start + len(quote)] == quote:
            span = source_span(text["body"], plain, quote, found.start)
            if span is not None:
                placed.start, placed.end = span
                placed.plain_start = found.start
        return placed
    paragraph = paragraph_after_line(made_on["body"], suggestion.after_line or 0)
    if paragraph:
        body = text["body"]
        ends = [
            at + len(paragraph)
            for at in _occurrences(body, paragraph)
            if body[at + len(paragraph) : at + len(paragraph) + 1] in ("", "\n")
        ]
        if ends:
            wanted = paragraph_end_after_line(made_on["body"], suggestion.after_line)
            placed.start = placed.end = min(ends, key=lambda end: abs(end - wanted))
            line = last_line_before(body, placed.start)
            placed.lines = (line, line) if line else None
    return placed


def _occurrences(text: str, part: str) -> list[int]:
    starts, position = [], text.find(part)
    while position != -1:
        starts.append(position)
        position = text.find(part, position + 1)
    return starts


def suggestions_workbench(*, version: Version, base_revision: int | None = None) -> Workbench:
    """The merge workbench of `version`: its open suggestions and the open ones of earlier
    versions (at most SUGGESTIONS_SHOWN of each), placed on the draft as of
    `base_revision` (else as it is now), each with those it touches. A fixed number of
    queries however many suggestions there are. Raises ValidationError when the draft has
    no such revision."""
    recommendation = version.recommendation
    if base_revision is None:
        base = selectors.revision_latest(recommendation=recommendation)
    else:
        base = recommendation.history.filter(history_id=base_revision).first()
        if base is None:
            raise ValidationError(_("The draft has no such revision."), code="no_revision")
    text = source_text(base)
    plain = plain_text(text["body"])
    own = list(
        suggestion_list(version=version, state=Suggestion.State.OPEN).select_related(
            "version__revision"
        )[: SUGGESTIONS_SHOWN + 1]
    )
    earlier = earlier_open_suggestions(version=version, limit=SUGGESTIONS_SHOWN + 1)
    more = len(own) > SUGGESTIONS_SHOWN or len(earlier) > SUGGESTIONS_SHOWN
    made_on: dict[int, dict[str, str]] = {}
    placed = []
    for suggestion in [*own[:SUGGESTIONS_SHOWN], *earlier[:SUGGESTIONS_SHOWN]]:
        if suggestion.version_id not in made_on:
            made_on[suggestion.version_id] = source_text(suggestion.version.revision)
        placed.append(_place(suggestion, text, plain, made_on[suggestion.version_id]))
    # Who touches whom: by start, each against those starting before its end.
    ordered = sorted(
        (each for each in placed if not each.gone), key=lambda each: (each.field, each.start)
    )
    for index, each in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if other.field != each.field or other.start > each.end:
                break
            if each.touches(other):
                each.overlaps.append(other.suggestion.pk)
                other.overlaps.append(each.suggestion.pk)
    return Workbench(version, base, text, placed, more)


def _as_accepted(merged: str, final: str, start: int, end: int) -> str:
    """The words that stand at [start, end) of `merged` in `final`, the text as the person
    edited it."""
    if merged == final:
        return merged[start:end]
    opcodes = SequenceMatcher(None, merged, final, autojunk=False).get_opcodes()
    first = next((op for op in opcodes if op[1] <= start < op[2]), None)
    last = next((op for op in opcodes if op[1] < end <= op[2]), None)
    if first is None or last is None:
        return ""
    from_ = first[3] + (start - first[1]) if first[0] == "equal" else first[3]
    to = last[3] + (end - last[1]) if last[0] == "equal" else last[4]
    return final[from_:to] if to >= from_ else ""


def workbench_summary(taken: list[Suggestion]) -> str:
    """The reason of the revision the workbench saves: every suggestion it took."""
    return "; ".join(change_reason(suggestion) for suggestion in taken)


@transaction.atomic
def suggestions_merge(
    *,
    version: Version,
    user,
    base_revision: int,
    decisions: dict[int, tuple[str, str]],
    text: dict[str, str] | None = None,
) -> list[Suggestion]:
    """Decide the version's open suggestions at once ({pk: (accept|decline|keep, why)}):
    the accepted ones put into the draft as of `base_revision` (`text`, when the person
    edited the result: else their words as they stand), saved as ONE revision whose
    reason names each, merged three ways with whatever was saved since as drafting does
    (EditConflict, nothing written, when both changed the same words); each accepted one
    recorded in it (with changes, when the person edited its words), the declined ones
    with their reason, each author told. Returns the suggestions decided."""
    workbench = suggestions_workbench(version=version, base_revision=base_revision)
    accepted = [pk for pk, (choice, _why) in decisions.items() if choice == ACCEPT]
    declined = {pk: why for pk, (choice, why) in decisions.items() if choice == DECLINE}
    for pk, why in declined.items():
        if workbench.get(pk) is None:
            raise ValidationError(
                _("That suggestion is not open on this version."), code="not_open"
            )
        if not why.strip():
            raise ValidationError(
                _("Say why suggestion %(number)s was declined.") % {"number": pk},
                code="reason_required",
            )
    merged, spans = workbench.merged(accepted)
    final = merged if text is None else text
    locked = {
        suggestion.pk: suggestion
        for suggestion in Suggestion.objects.select_for_update(of=("self",))
        .filter(pk__in=[*accepted, *declined], state=Suggestion.State.OPEN)
        .select_related("version__recommendation", "version__revision", "author")
    }
    if len(locked) != len(accepted) + len(declined):
        raise ValidationError(
            _("Some of these suggestions were decided meanwhile: open the workbench again."),
            code="decided",
        )
    taken = [locked[pk] for pk in sorted(accepted)]
    decided = []
    if taken or final != workbench.text:
        summary = workbench_summary(taken) or _("Edited on the merge workbench of %(version)s") % {
            "version": version.name
        }
        recommendation_update(
            recommendation=version.recommendation,
            user=user,
            base_revision=base_revision,
            edit_summary=summary,
            **final,
        )
        revision = selectors.revision_latest(recommendation=version.recommendation)
        for suggestion in taken:
            field, start, end = spans[suggestion.pk]
            words = _as_accepted(merged[field], final[field], start, end)
            decided.append(
                _record(
                    suggestion,
                    user=user,
                    state=_state_for(suggestion, words),
                    reason="",
                    revision=revision,
                    words=words,
                )
            )
    for pk, why in declined.items():
        decided.append(_record(locked[pk], user=user, state=Suggestion.State.DECLINED, reason=why))
    return decided


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
