from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Production plumbing: health and readiness, serving, workers, seeding, backups."""

    name = "safepassage.ops"
    verbose_name = "operations"
