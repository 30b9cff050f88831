"""Background jobs of tracing (django.tasks; docs/adr/0002): arguments are ids only."""

from django.tasks import task

from safepassage.tracing.services import duplicate_refresh_run as _run


@task()
def duplicate_refresh_run(*, refresh_id: int) -> int:
    """Search one detaining power's records for duplicates (`services.duplicate_refresh_run`)."""
    return _run(refresh_id=refresh_id)
