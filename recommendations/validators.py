from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONFLICT_MARKERS = ("<<<<<<< ", ">>>>>>> ")


def validate_body_size(value: str) -> None:
    """Refuse a body larger than RECOMMENDATION_BODY_LIMIT_KB, saying both sizes."""
    limit = settings.RECOMMENDATION_BODY_LIMIT_KB
    size = len(value.encode("utf-8"))
    if size > limit * 1024:
        raise ValidationError(
            _(
                "The text is %(size)s KB long; the limit is %(limit)s KB. Shorten it and "
                "save again: what you typed is still here."
            ),
            code="too_large",
            params={"size": (size + 1023) // 1024, "limit": limit},
        )


def conflict_count(value: str) -> int:
    """How many conflicts `value` still has: the lines that open one."""
    return sum(line.startswith(CONFLICT_MARKERS[0]) for line in value.splitlines())


def validate_no_conflict_markers(value: str) -> None:
    """Refuse text that still has the markers of an unresolved merge conflict."""
    if any(line.startswith(CONFLICT_MARKERS) for line in value.splitlines()):
        raise ValidationError(
            _(
                "The text still has conflict markers (<<<<<<< and >>>>>>>). Keep the words "
                "you want and remove the markers."
            ),
            code="conflict_markers",
        )
