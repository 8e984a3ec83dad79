"""When the public pages are stale: every model a public page renders, with the condition
under which a change to one of its rows shows on a public page.

The public site owns this list, so the models need not know about the cache. A change that
matters bumps the content version (public/caching.py) after its transaction commits;
anything else, such as adding a person to an auth group, a review comment or a save of a
draft never published, leaves the cached pages alone.

The pages: home, groups and a group, the list and export of recommendations, a
recommendation (its published text, translations, iterations, feedback, sources and what
became of it), comparisons, an iteration and its comparison, a feedback thread and the
feedback CSV, the timeline and its calendars, the feeds and the sitemap.

Feedback is the exception: in a feedback period it changes every few seconds, and it shows on
three pages only (the recommendation's page, the thread's, the CSV). A feedback change moves
only the scopes of those pages (public/caching.py), so the rest stay in the cache.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from public.caching import content_changed_on_commit
from public.pdfs import check_on_commit
from recommendations.models import Recommendation, Thread, Version
from strategy.source_language import source_field

# The scopes of feedback, named once: each is `shows` for the page that shows it, given the
# page's URL arguments, and moves when feedback there changes (`_feedback`).
ALL_FEEDBACK = "feedback"


def all_feedback(**kwargs) -> tuple[str, ...]:
    return (ALL_FEEDBACK,)


def recommendation_feedback(*, group: str, number: str, **kwargs) -> tuple[str, ...]:
    return (f"feedback:{group}/{number}",)


def thread_feedback(*, pk: int, **kwargs) -> tuple[str, ...]:
    return (f"feedback-thread:{pk}",)


def _feedback(*, version_id: int, thread_id: int) -> tuple[str, ...] | bool:
    """The scopes a change to the feedback in a thread makes stale."""
    place = (
        Version.objects.filter(pk=version_id)
        .values_list("recommendation__working_group__slug", "recommendation__number")
        .first()
    )
    if place is None:
        return True  # its recommendation is being deleted: that makes every page stale
    group, number = place
    return (
        *all_feedback(),
        *recommendation_feedback(group=group, number=number),
        *thread_feedback(pk=thread_id),
    )


def always(instance, **kwargs) -> bool:
    return True


def published(recommendation, *, created=False, **kwargs) -> bool:
    # The public pages show a recommendation once it has a published version: its state,
    # its translations and which version is published. A draft never published is nowhere,
    # and neither is the working copy of a published one (`_remember_shown`).
    if recommendation.published_version_id is None:
        return False
    return created or getattr(recommendation, "_shown_changed", True)


def _working_copy_fields() -> set[str]:
    """What of a recommendation no public page shows: its working copy (its text in the
    source language) and when and by whom it was last saved. The pages show the text of
    its published version, and the translations, which are columns of their own."""
    text = ("title", "summary", "body")
    return {*text, *(source_field(name) for name in text), "updated_at", "updated_by_id"}


def _remember_shown(sender, instance, raw=False, **kwargs):
    """Before a published recommendation is saved: does the save change anything a public
    page shows? Saving its draft, many times a day in a feedback period, does not."""
    if raw or instance.pk is None or instance.published_version_id is None:
        return
    hidden = _working_copy_fields()
    shown = [f.attname for f in sender._meta.concrete_fields if f.attname not in hidden]
    stored = sender.objects.filter(pk=instance.pk).values(*shown).first()
    instance._shown_changed = stored is None or any(
        stored[name] != getattr(instance, name) for name in shown
    )


def iteration_version(version, **kwargs) -> bool:
    # Review snapshots are never public. (Its search row, VersionSearch, is written in the
    # same transaction as the version, so it needs no entry of its own.)
    return version.kind == version.Kind.ITERATION


def public_thread(thread, **kwargs) -> tuple[str, ...] | bool:
    # Community feedback is public; review threads never are.
    return thread.public and _feedback(version_id=thread.version_id, thread_id=thread.pk)


def public_comment(comment, **kwargs) -> tuple[str, ...] | bool:
    # A comment of community feedback, hidden or shown by a moderator, or edited.
    if type(comment).thread.is_cached(comment):
        thread = comment.thread
        return thread.public and _feedback(version_id=thread.version_id, thread_id=thread.pk)
    version_id = (
        Thread.objects.filter(pk=comment.thread_id, public=True)
        .values_list("version_id", flat=True)
        .first()
    )
    return version_id is not None and _feedback(version_id=version_id, thread_id=comment.thread_id)


def public_suggestion(suggestion, **kwargs) -> tuple[str, ...] | bool:
    # A suggestion on a published iteration is on the recommendation's page ("you said, we
    # did") and in the feedback CSV; those on review snapshots are never public.
    place = (
        Version.objects.filter(pk=suggestion.version_id, kind=Version.Kind.ITERATION)
        .values_list("recommendation__working_group__slug", "recommendation__number")
        .first()
    )
    if place is None:
        return False
    group, number = place
    return (*all_feedback(), *recommendation_feedback(group=group, number=number))


# What the pages show of a person: the name of a member (group pages) or of the author of
# public feedback, and the organized group a member names. (Their affiliation shows as
# their memberships record it.) Signing in (last_login) or a new password shows nowhere.
NAME_FIELDS = frozenset({"first_name", "last_name", "username", "organization"})


def person_renamed(user, *, created=False, update_fields=None, **kwargs) -> bool:
    if created:
        return False  # no one shows a person before they join a group or write
    return update_fields is None or bool(NAME_FIELDS & set(update_fields))


# Each model, and when a change to one of its rows is stale: True (every page), False (no
# page), or the scopes it moves (the pages that show them).
STALE_WHEN = {
    "groups.ThematicArea": always,
    "groups.WorkingGroup": always,
    "groups.GuidingQuestion": always,
    "groups.FormerName": always,
    "groups.Membership": always,
    "recommendations.Iteration": always,
    "recommendations.Recommendation": published,
    "recommendations.Version": iteration_version,
    "recommendations.Thread": public_thread,
    "recommendations.Comment": public_comment,
    "recommendations.Suggestion": public_suggestion,
    "recommendations.SourceLink": always,
    "recommendations.SourceFate": always,
    # A language marked ready for an iteration (or the mark taken back): its page says so.
    "recommendations.TranslationReadiness": always,
    "timeline.Phase": always,
    "timeline.Milestone": always,
    "timeline.MilestoneShift": always,
    "strategy.User": person_renamed,
}

# The relations (through models) public pages show: which groups a milestone concerns
# (a group's timeline). The others (a person's auth groups and permissions, overlap
# clusters, connectors' inputs) are shown on no public page.
STALE_WHEN_RELATED = {
    "timeline.Milestone.working_groups": always,
}


def _stale(stale) -> None:
    if stale:
        content_changed_on_commit(*(() if stale is True else stale))


def _saved(sender, instance, **kwargs):
    stale = STALE_WHEN[sender._meta.label](instance, **kwargs)
    _stale(stale)
    if stale:
        # A version published in an iteration, or the iteration renamed, reopened, closed:
        # its PDFs are made again before anyone asks (public/pdfs.py).
        if sender._meta.label == "recommendations.Iteration":
            check_on_commit(instance.pk)
        elif sender._meta.label == "recommendations.Version":
            check_on_commit(instance.iteration_id)


def _deleted(sender, instance, **kwargs):
    _stale(STALE_WHEN[sender._meta.label](instance))


def _related(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed_on_commit()


def connect() -> None:
    from django.apps import apps

    pre_save.connect(_remember_shown, sender=Recommendation, dispatch_uid="public:shown")
    for label in STALE_WHEN:
        post_save.connect(_saved, sender=label, dispatch_uid=f"public:saved:{label}")
        post_delete.connect(_deleted, sender=label, dispatch_uid=f"public:deleted:{label}")
    for name in STALE_WHEN_RELATED:
        label, field = name.rsplit(".", 1)
        through = apps.get_model(label)._meta.get_field(field).remote_field.through
        m2m_changed.connect(_related, sender=through, dispatch_uid=f"public:related:{name}")
