"""Background work for publishing, through the Django Tasks API (see caseaudit/returns/tasks.py:
the default backend runs a task as soon as it is enqueued)."""

from django_tasks import task


@task()
def generate_publication(publication_id: int) -> str:
    from caseaudit.publications.publishing import publication_generate

    return publication_generate(publication_id=publication_id).status
