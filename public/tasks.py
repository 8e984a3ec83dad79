"""The public site's tasks: iterations' PDFs (public/pdfs.py)."""

from celery import shared_task

from public import pdfs
from recommendations.models import Iteration


# The PDFs of a few thousand recommendations take minutes; a check that
# changes nothing, seconds.
@shared_task(soft_time_limit=30 * 60, time_limit=31 * 60)
def iteration_pdfs_render(iteration_id: int, language: str) -> int:
    """Render the PDFs of one iteration in one language whose text changed (every page)."""
    iteration = Iteration.objects.filter(pk=iteration_id).first()
    if iteration is None:
        return 0
    return pdfs.render(iteration, language)
