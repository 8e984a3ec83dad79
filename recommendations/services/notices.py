"""Who hears of what happens to a recommendation: comments and replies, reviewers'
answers, resolved threads, community feedback and its outcome, stale translations, and
what those who watch a recommendation hear (published in an iteration, merged into the
synthesis).

Each notice goes through the ledger (strategy.notices.notice_create: once, in the
recipient's language, as they chose, with the link that stops its topic), recorded in
the transaction of the write that made it, so that it exists exactly when the write does;
only its sending waits for the commit. Nobody hears of what they did themselves, nor of
anything they may not read: the candidates are asked the read rules' question about the
version (versions_visible_to, which recommendations.view_review is membership of), or
about the recommendation's published version (has_published_version).
Notices about one thread made within minutes leave as one e-mail (gather_key).
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from recommendations.models import (
    Comment,
    Recommendation,
    ReviewAssignment,
    SourceLink,
    Suggestion,
    Thread,
    Version,
)
from recommendations.predicates import has_published_version
from recommendations.selectors import notices as recipients
from recommendations.selectors.reading import public_title
from recommendations.selectors.review import version_readers
from recommendations.selectors.watching import watchers_of_recommendation
from recommendations.text.mentions import mentioned_usernames
from strategy.mailer import language_of
from strategy.models import Topic
from strategy.notices import NoticeFor, notices_create, notices_withdraw
from timeline.selectors import translation_deadline

NOTICES = "recommendations/{subdomain}/notices/{name}"


def about_key(recommendation: Recommendation) -> str:
    return f"recommendation:{recommendation.pk}"


def review_title(version: Version) -> str:
    """The recommendation as a person reading the version knows it: its frozen title."""
    return f"{version.recommendation.number}. {version.source_title}"


def _public_title(recommendation: Recommendation) -> str:
    """The recommendation as the public reads it, in the active language."""
    return f"{recommendation.number}. {public_title(recommendation)}"


def _tell(
    people: Iterable,
    *,
    key: str,
    kind: str,
    topic: str,
    template: str,
    context: dict,
    recommendation: Recommendation,
    url: Callable[[], str],
    about: Callable[[], str],
    readers: Callable[[list], set[int]],
    gather_key: str = "",
    gather_seconds: int | None = None,
) -> int:
    """Record the notice for each of `people` whom `readers` lets read what it is about,
    under `<key>:<person>`; the link and the title are made in each one's language, and
    the words, the same for everyone of a language (a notice's templates say nothing of
    its recipient), are composed once for each. Returns how many were recorded now, in a
    fixed number of queries however many they are (the read rule asked of them all at
    once, strategy.notices_create)."""
    people = list(people)
    allowed = readers(people)
    items = []
    # The link, the title and so the words depend on the language only: each made once
    # for each language however many people are told (ten thousand watchers).
    in_language: dict[str, tuple[str, str]] = {}
    for person in people:
        if person.pk not in allowed:
            continue
        language = language_of(person)
        if language not in in_language:
            with translation.override(language):
                in_language[language] = url(), about()
        address, title = in_language[language]
        items.append(
            NoticeFor(
                recipient=person,
                key=f"{key}:{person.pk}",
                context={**context, "about": title},
                url=address,
                about_key=about_key(recommendation),
                about=title,
                text_key=key,
            )
        )
    made = notices_create(
        items=items,
        topic=topic,
        kind=kind,
        template=template,
        gather_key=gather_key,
        gather_seconds=gather_seconds,
    )
    return len(made)


def _thread_place(thread: Thread, comment: Comment | None = None) -> Callable[[], str]:
    """The thread's page, at the comment: the working page of a review thread, the public
    page of a feedback thread."""

    def place() -> str:
        if thread.public:
            address = reverse("public:feedback_thread", kwargs={"pk": thread.pk})
        else:
            address = thread.get_absolute_url()
        return f"{address}#comment-{comment.pk}" if comment is not None else address

    return place


def _everyone(people: list) -> set[int]:
    return {person.pk for person in people}


def _nobody(people: list) -> set[int]:
    return set()


def _public_readers(recommendation: Recommendation) -> Callable[[list], set[int]]:
    """Anyone reads a recommendation's published version, while it has one (not
    withdrawn): asked once, for everyone."""
    return _everyone if has_published_version(None, recommendation) else _nobody


def _version_readers(version: Version) -> Callable[[list], set[int]]:
    """Those who may see the version's review (recommendations.view_review)."""
    return lambda people: version_readers(version=version, people=people)


def _thread_readers(thread: Thread) -> Callable[[list], set[int]]:
    """Who may read the thread: anyone, for community feedback on a recommendation still
    public; for a review thread, those who may see its version's review."""
    if thread.public:
        return _public_readers(thread.version.recommendation)
    return _version_readers(thread.version)


def _thread_about(thread: Thread) -> Callable[[], str]:
    if thread.public:
        return lambda: _public_title(thread.version.recommendation)
    return lambda: review_title(thread.version)


def comment_notify(*, comment: Comment, started: bool) -> int:
    """A new thread, or a reply: the group's people hear of a review thread on their
    recommendation, and whoever wrote in the thread hears of a reply (community feedback
    too); never its author. Those it mentions hear that they are mentioned instead, once
    (mention_notify). New community feedback reaches its triagers (feedback_notify)."""
    thread = comment.thread
    recommendation = thread.version.recommendation
    told, made = _mentions_tell(comment)
    people = recipients.thread_participants(thread=thread)
    if not thread.public:
        people = people | recipients.group_people(group_id=recommendation.working_group_id)
    name = "comment_new" if started else "comment_reply"
    return made + _tell(
        people.exclude(pk=comment.author_id).exclude(pk__in=told),
        key=f"comment:{comment.pk}",
        kind=f"comment.{'new' if started else 'reply'}",
        topic=Topic.COMMENTS,
        template=NOTICES.format(subdomain="review", name=name),
        context={"comment": comment, "thread": thread, "version": thread.version},
        recommendation=recommendation,
        url=_thread_place(thread, comment),
        about=_thread_about(thread),
        readers=_thread_readers(thread),
        gather_key=f"thread:{thread.pk}",
    )


def mention_notify(*, comment: Comment) -> int:
    """The comment, written or changed, mentions people (text/mentions.py): each who may
    read the thread hears of it once for this comment, whatever later edits do; never
    its author, nor anyone the comment does not reach (their name in it tells them
    nothing). Returns how many were told now."""
    return _mentions_tell(comment)[1]


def _mentions_tell(comment: Comment) -> tuple[set[int], int]:
    """Record the mention notices of `comment`; return who may read it among those it
    mentions (told now or before: either way they need no other notice of it) and how
    many were told now."""
    thread = comment.thread
    usernames = mentioned_usernames(comment.body)
    if not usernames:
        return set(), 0
    people = list(recipients.mentioned_people(usernames=usernames).exclude(pk=comment.author_id))
    allowed = _thread_readers(thread)(people)
    readers = [person for person in people if person.pk in allowed]
    made = _tell(
        readers,
        key=f"comment:{comment.pk}:mention",
        kind="comment.mention",
        topic=Topic.MENTIONS,
        template=NOTICES.format(subdomain="review", name="comment_mention"),
        context={"comment": comment, "thread": thread, "version": thread.version},
        recommendation=thread.version.recommendation,
        url=_thread_place(thread, comment),
        about=_thread_about(thread),
        readers=_everyone,
        gather_key=f"thread:{thread.pk}",
    )
    return {person.pk for person in readers}, made


def comment_hidden_notify(*, comment: Comment) -> int:
    """A moderator hid the comment: the notices of it that have not left never do (the
    public no longer reads it, and e-mail must not carry it on)."""
    return notices_withdraw(key_prefix=f"comment:{comment.pk}:")


def thread_resolved_notify(*, thread: Thread, user) -> int:
    """A thread resolved with an outcome: whoever wrote in it hears what became of it, but
    the person who resolved it. The author of community feedback hears it as the outcome
    of their feedback, with the public page that shows what they said and what was done."""
    recommendation = thread.version.recommendation
    people = recipients.thread_participants(thread=thread).exclude(pk=user.pk)
    opening = thread.comments.order_by("created_at", "pk").first()
    context = {"thread": thread, "version": thread.version, "opening": opening, "by": user}
    common = {
        "recommendation": recommendation,
        "url": _thread_place(thread),
        "about": _thread_about(thread),
        "readers": _thread_readers(thread),
    }
    made = 0
    if thread.public and opening is not None:
        authors = people.filter(pk=opening.author_id)
        people = people.exclude(pk=opening.author_id)
        made += _tell(
            authors,
            key=f"feedback.outcome:{thread.pk}:{thread.resolved_at.isoformat()}",
            kind="feedback.outcome",
            topic=Topic.FEEDBACK,
            template=NOTICES.format(subdomain="feedback", name="feedback_outcome"),
            context=context,
            **common,
        )
    made += _tell(
        people,
        key=f"thread.resolved:{thread.pk}:{thread.resolved_at.isoformat()}",
        kind="thread.resolved",
        topic=Topic.COMMENTS,
        template=NOTICES.format(subdomain="review", name="thread_resolved"),
        context=context,
        gather_key=f"thread:{thread.pk}",
        **common,
    )
    return made


def suggestion_decided_notify(*, suggestion: Suggestion, user) -> int:
    """A suggestion accepted (with changes or not) or declined: its author hears of it, with
    the reason, unless they decided it themselves or may no longer read the version (a
    review snapshot's review; a published iteration, anyone while it is public)."""
    version = suggestion.version
    if suggestion.author is None or suggestion.author_id == user.pk:
        return 0
    public = version.kind == Version.Kind.ITERATION
    return _tell(
        [suggestion.author],
        key=f"suggestion.decided:{suggestion.pk}",
        kind="suggestion.decided",
        topic=Topic.FEEDBACK if public else Topic.COMMENTS,
        template=NOTICES.format(subdomain="review", name="suggestion_decided"),
        context={"suggestion": suggestion, "version": version, "by": user},
        recommendation=version.recommendation,
        url=suggestion.get_absolute_url,
        about=(lambda: _public_title(version.recommendation))
        if public
        else (lambda: review_title(version)),
        readers=_public_readers(version.recommendation) if public else _version_readers(version),
    )


def feedback_notify(*, thread: Thread, comment: Comment) -> int:
    """New community feedback: the connectors and the core team hear of it, in batches
    (one e-mail per NOTICE_FEEDBACK_BATCH_SECONDS, whatever came in meanwhile), but those
    it mentions."""
    recommendation = thread.version.recommendation
    # Those it mentions were told already, as mentioned (comment_notify).
    mentioned = recipients.mentioned_people(usernames=mentioned_usernames(comment.body))
    return _tell(
        recipients.feedback_triagers()
        .exclude(pk=comment.author_id)
        .exclude(pk__in=mentioned.values("pk")),
        key=f"feedback.new:{thread.pk}",
        kind="feedback.new",
        topic=Topic.FEEDBACK,
        template=NOTICES.format(subdomain="feedback", name="feedback_new"),
        context={"thread": thread, "comment": comment, "version": thread.version},
        recommendation=recommendation,
        url=_thread_place(thread, comment),
        about=_thread_about(thread),
        readers=_thread_readers(thread),
        gather_key="feedback",
        gather_seconds=settings.NOTICE_FEEDBACK_BATCH_SECONDS,
    )


ANSWERS = {
    ReviewAssignment.Status.ACCEPTED: "accepted",
    ReviewAssignment.Status.DECLINED: "declined",
    ReviewAssignment.Status.COMPLETED: "completed",
}


def assignment_answer_notify(*, assignment: ReviewAssignment) -> int:
    """A reviewer accepted, declined or finished a review: the group's coordinators hear
    of it (the reviewer, should they coordinate too, does not)."""
    answer = ANSWERS[assignment.status]
    version = assignment.version
    recommendation = version.recommendation
    coordinators = recipients.group_people(
        group_id=recommendation.working_group_id, roles=("coordinator",)
    )

    def place() -> str:
        return f"{version.get_absolute_url()}#assignment-{assignment.pk}"

    return _tell(
        coordinators.exclude(pk=assignment.reviewer_id),
        key=f"review.{answer}:{assignment.pk}",
        kind=f"review.{answer}",
        topic=Topic.REVIEW_ANSWERS,
        template=NOTICES.format(subdomain="review", name=f"review_{answer}"),
        context={"assignment": assignment, "version": version, "recommendation": recommendation},
        recommendation=recommendation,
        url=place,
        about=lambda: review_title(version),
        readers=_version_readers(version),
    )


def translations_stale_notify(*, version: Version, user, stale: dict[str, int]) -> int:
    """The source was published anew and `stale` (language: how many units) no longer
    match it: each language's translators hear of it, once for this version."""
    recommendation = version.recommendation
    readers = _public_readers(recommendation)
    deadline = (
        translation_deadline(group=recommendation.working_group, iteration=version.iteration)
        if stale
        else None
    )
    made = 0
    for language, count in stale.items():
        made += _tell(
            recipients.translators_of(language=language).exclude(pk=user.pk),
            key=f"translation.stale:{version.pk}:{language}",
            kind="translation.stale",
            topic=Topic.TRANSLATIONS,
            template=NOTICES.format(subdomain="translations", name="translation_stale"),
            context={
                "version": version,
                "recommendation": recommendation,
                "language": language,
                "count": count,
                # The date translations are due by, as the group sees it, if there is one.
                "due_on": deadline.on if deadline else None,
            },
            recommendation=recommendation,
            url=lambda language=language: reverse(
                "translations:edit", kwargs={"pk": recommendation.pk, "language": language}
            ),
            about=lambda: _public_title(recommendation),
            readers=readers,
        )
    return made


def published_notify(*, version: Version, user) -> int:
    """The recommendation was published in an iteration: those who watch it hear of it
    (recommendations/selectors/watching.py), once for this version."""
    recommendation = version.recommendation
    return _tell(
        watchers_of_recommendation(recommendation=recommendation).exclude(pk=user.pk),
        key=f"watched.published:{version.pk}",
        kind="watched.published",
        topic=Topic.WATCHED,
        template=NOTICES.format(subdomain="watching", name="published"),
        context={"version": version, "recommendation": recommendation},
        recommendation=recommendation,
        url=recommendation.get_public_url,
        about=lambda: _public_title(recommendation),
        readers=_public_readers(recommendation),
    )


class _PublicTitle:
    """A recommendation's public title in the language its notice is written in, or "" while
    it has no published version (its working title is not the public's to read)."""

    def __init__(self, recommendation: Recommendation):
        self.recommendation = recommendation

    def __str__(self) -> str:
        return public_title(self.recommendation)

    def __bool__(self) -> bool:
        return self.recommendation.published_version_id is not None


def merged_notify(*, link: SourceLink, user) -> int:
    """A recommendation became a source of a synthesized one: those who watch the source
    hear where it went, once for each synthesized recommendation it is merged into."""
    source = link.source_version.recommendation
    # As it is now: published since the link's object was read, its title is public.
    synthesized = Recommendation.objects.select_related("published_version__revision").get(
        pk=link.synthesized_id
    )
    return _tell(
        watchers_of_recommendation(recommendation=source).exclude(pk=user.pk),
        key=f"watched.merged:{source.pk}:{synthesized.pk}",
        kind="watched.merged",
        topic=Topic.WATCHED,
        template=NOTICES.format(subdomain="watching", name="merged"),
        context={"source": source, "synthesized_title": _PublicTitle(synthesized)},
        recommendation=source,
        url=source.get_public_url,
        about=lambda: _public_title(source),
        readers=_public_readers(source),
    )
