"""Prepares a centre's database for the docs example (`python -m tests.field.prepare_server`):
migrates, makes the scenario's visit and prints `VISIT=… NUMBER=… AS=…` for the shell."""

import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")
    django.setup()
    from django.core.management import call_command

    from safepassage.accounts.models import OrganisationKind, Role
    from tests.factories import make_org, make_user
    from tests.field.scenario import visit_ready

    call_command("migrate", interactive=False, verbosity=0)
    detaining = make_org("National Information Bureau", OrganisationKind.DETAINING_POWER, "UA")
    verifier = make_org("Neutral Verification Mission", OrganisationKind.NEUTRAL_VERIFIER, "CH")
    registrar = make_user(detaining, Role.REGISTRAR, username="alice")
    interviewer = make_user(verifier, Role.INTERVIEWER, username="vera")
    visit, person = visit_ready(registrar, interviewer)
    print(f"VISIT={visit.pk} NUMBER={person.registry_number} AS={interviewer.username}")


if __name__ == "__main__":
    main()
