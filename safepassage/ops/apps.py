from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Production plumbing: health and readiness, serving, workers, seeding, backups."""

    name = "safepassage.ops"
    verbose_name = "operations"

    def ready(self) -> None:
        from safepassage.ops import checks  # noqa: F401 - registers the deployment checks
