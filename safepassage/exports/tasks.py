"""Background jobs of exports (django.tasks; docs/adr/0002): arguments are ids only."""

from django.tasks import task

from safepassage.exports.services import notifications_produce


@task()
def export_run(export_id: int) -> None:
    """Produce a queued notification list (`services.notifications_produce`)."""
    notifications_produce(export_id=export_id)
