from django.apps import AppConfig


class MedicalConfig(AppConfig):
    name = "safepassage.medical"

    def ready(self) -> None:
        # The precondition of a direct repatriation decision (cases.services.decision_take):
        # a commission's finding and his verified consent.
        from safepassage.cases.services import decision_precondition
        from safepassage.medical.selectors import direct_repatriation_refusal

        decision_precondition("direct_repatriation")(direct_repatriation_refusal)
