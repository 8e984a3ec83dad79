"""Writes for iterations: closing one, after which its set is a release that never changes.

What a closed iteration refuses is checked where versions are frozen (`version_freeze`),
under a lock on the iteration's row, so a publication and a closing cannot cross."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recommendations.models import Iteration


def iteration_refuse_if_closed(*, iteration: Iteration) -> Iteration:
    """Lock `iteration`'s row and raise if it is closed. Needs a transaction."""
    iteration = Iteration.objects.select_for_update().get(pk=iteration.pk)
    if not iteration.is_open:
        raise ValidationError(
            _("“%(iteration)s” is closed: nothing more can be published in it.")
            % {"iteration": iteration.name},
            code="iteration_closed",
        )
    return iteration


@transaction.atomic
def iteration_close(*, iteration: Iteration, user) -> Iteration:
    """Close `iteration`: from now on it accepts nothing, and its set is what it holds now
    (a recommendation withdrawn later stays in it, marked, so the release stays citable)."""
    iteration = Iteration.objects.select_for_update().get(pk=iteration.pk)
    if not iteration.is_open:
        raise ValidationError(
            _("“%(iteration)s” is closed already.") % {"iteration": iteration.name},
            code="iteration_closed",
        )
    iteration.state = Iteration.State.CLOSED
    iteration.closed_at = timezone.now()
    iteration.full_clean()
    iteration._history_user = user
    iteration._change_reason = _("Closed")
    iteration.save()
    return iteration
