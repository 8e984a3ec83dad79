"""The project's one Celery app. Configuration comes from Django settings (CELERY_*)."""

import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import worker_process_init, worker_ready
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy.settings.local")

logger = logging.getLogger(__name__)


class Task(DjangoTask):
    """Tasks are queued once the transaction commits; a broker that cannot be reached then
    is logged, not raised: the write has committed and must not look failed, and what the
    task stands for is in the database (a notice waits in the ledger, pending, for the sweep
    to queue it again)."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(lambda: self.delay_or_log(*args, **kwargs))

    def delay_or_log(self, *args, **kwargs) -> None:
        """Queue the task now; a broker that cannot be reached is logged, not raised (for a
        request that writes nothing: one that writes uses delay_on_commit)."""
        try:
            # No retries here: they would hold the request; the sweep is the retry.
            self.apply_async(args, kwargs, retry=False)
        except (OperationalError, RedisError, OSError) as error:
            logger.warning("Broker unavailable: %s%r not queued (%s)", self.name, args, error)


app = Celery("strategy", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
@worker_process_init.connect
def warm_up(**_kwargs) -> None:
    """Load the URLs once a worker starts (the links in e-mails are reversed), rather than
    in the first task it runs: the first batch of notices after a deploy waits no longer
    than the others."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loads them)
