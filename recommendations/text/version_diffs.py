"""The diff of two frozen versions (title, summary, body), kept once made.

A web request may spend DIFF_SECONDS on a diff, after which it shows paragraphs; a task
may spend much longer. When a version is published in an iteration, a task compares it
with the version published before it, with all the time it needs, so that the public
compare page shows that comparison word by word even for texts that differ almost
everywhere. Versions never change, so a diff of two of them is kept without expiry.
The kept diffs are a cache, and nothing records the task: when it is lost (the broker down
as it was queued) or a diff is evicted, the page makes the diff itself, within its deadline.
"""

from django.core.cache import cache
from django.db.models import Q

from recommendations.models import TEXT_FIELDS, Version, source_field
from recommendations.text.diffing import Comparison, compare, compare_rendered
from recommendations.text.markdown import render_markdown

# How long the task may spend on one field's diff (its time limit is far above).
TASK_DIFF_SECONDS = 60


def _key(old: Version, new: Version) -> str:
    # Their creation times are in the key too, so a database rebuilt under the same cache
    # cannot meet the diffs of versions that had the same ids.
    return (
        f"recommendations:version-diff:rendered:{old.pk}:{old.created_at.timestamp()}:"
        f"{new.pk}:{new.created_at.timestamp()}"
    )


def _texts(version: Version) -> dict[str, str]:
    return {name: getattr(version.revision, source_field(name)) or "" for name in TEXT_FIELDS}


def _compared(old: Version, new: Version, seconds: float | None) -> dict[str, Comparison]:
    """Title and summary as text; the body as readers read it, rendered (its markdown is
    not shown), changed blocks marked."""
    old_text, new_text = _texts(old), _texts(new)
    diffs = {name: compare(old_text[name], new_text[name], seconds=seconds) for name in TEXT_FIELDS}
    diffs["body"] = compare_rendered(
        render_markdown(old_text["body"]), render_markdown(new_text["body"]), seconds=seconds
    )
    return diffs


def version_diff(*, old: Version, new: Version) -> dict[str, Comparison]:
    """Each text field's comparison of two versions (their revisions loaded): the one kept,
    else one made now within the request's deadline (and kept when it is word by word)."""
    key = _key(old, new)
    diffs = cache.get(key)
    if diffs is None:
        diffs = _compared(old, new, seconds=None)
        if not any(diff.by_paragraph for diff in diffs.values()):
            cache.set(key, diffs, timeout=None)
    return diffs


def version_diff_precompute(*, version_id: int) -> bool:
    """Compare an iteration's version with the version of the same recommendation
    published before it, and keep the result. Safe to run twice: the second run makes the
    same diff again. False when there is nothing to compare."""
    version = (
        Version.objects.filter(pk=version_id, kind=Version.Kind.ITERATION)
        .select_related("revision", "iteration")
        .first()
    )
    if version is None:
        return False
    # "Before" in the order the compare page lists versions: by iteration, then by time.
    position, created = version.iteration.position, version.created_at
    before = (
        Version.objects.filter(
            Q(iteration__position__lt=position)
            | Q(iteration__position=position, created_at__lt=created),
            recommendation_id=version.recommendation_id,
            kind=Version.Kind.ITERATION,
        )
        .select_related("revision")
        .order_by("-iteration__position", "-created_at")
        .first()
    )
    if before is None:
        return False
    cache.set(_key(before, version), _compared(before, version, TASK_DIFF_SECONDS), timeout=None)
    return True
