from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "safepassage.cases"

    def ready(self) -> None:
        from safepassage.cases import services
        from safepassage.registry.signals import nationalities_changed, person_registered

        nationalities_changed.connect(_nationalities_changed, dispatch_uid="cases.guard")
        person_registered.connect(_person_registered, dispatch_uid="cases.open")
        self.services = services


def _nationalities_changed(sender, *, person, actor, **kwargs) -> None:
    from safepassage.cases.services import nationalities_changed

    nationalities_changed(person=person, actor=actor)


def _person_registered(sender, *, person, **kwargs) -> None:
    from safepassage.cases.services import case_open

    case_open(person=person)
