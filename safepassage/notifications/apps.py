from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "safepassage.notifications"

    def ready(self) -> None:
        from safepassage.cases.models import CaseTransition
        from safepassage.notifications import services
        from safepassage.workflow.machine import transition_recorded

        transition_recorded.connect(
            services.on_case_transition, sender=CaseTransition, dispatch_uid="notifications.case"
        )
