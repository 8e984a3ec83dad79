"""Watching: a person says they watch, or no longer watch, a recommendation or a working
group (the synthesis is a working group). Who watches what, all told, is the selectors'
rule (recommendations/selectors/watching.py)."""

from django.db import transaction

from groups.models import WorkingGroup
from recommendations.models import Recommendation, Watch
from strategy.memo import forget


@transaction.atomic
def watch_set(*, user, target: Recommendation | WorkingGroup, watching: bool) -> Watch:
    """Record that `user` watches `target` (`watching`) or does not: a "no" is kept, so that
    it overrides the default (members watch their group). Saying the same twice changes
    nothing but the time. The caller checks that `user` may read `target`."""
    field = "recommendation" if isinstance(target, Recommendation) else "working_group"
    watch, _created = Watch.objects.update_or_create(
        user=user, **{field: target}, defaults={"watching": watching}
    )
    # What this request has learnt of who watches what is stale now.
    forget()
    return watch
