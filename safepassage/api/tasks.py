"""Background jobs of the API (django.tasks; docs/adr/0002)."""

from django.tasks import task

from safepassage.api.services import idempotency_records_prune


@task()
def idempotency_prune() -> int:
    """Delete expired idempotency records (`services.idempotency_records_prune`)."""
    return idempotency_records_prune()
