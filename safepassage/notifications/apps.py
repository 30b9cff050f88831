from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "safepassage.notifications"

    def ready(self) -> None:
        from safepassage.accounts.backends import user_read_with
        from safepassage.cases.models import CaseTransition
        from safepassage.notifications import selectors, services
        from safepassage.workflow.machine import transition_recorded

        transition_recorded.connect(
            services.on_case_transition, sender=CaseTransition, dispatch_uid="notifications.case"
        )
        # The bell on every page: counted in the query that reads the session's user.
        user_read_with(selectors.UNREAD_WITH_USER, selectors.unread_count_subquery)
