"""Tasks for the job tests: Django's own `@task`, as the imports and exports write theirs."""

import time
from pathlib import Path

from django.db import OperationalError, transaction
from django.tasks import task

from safepassage.accounts.models import Organisation, OrganisationKind
from safepassage.audit.services import audit_record
from safepassage.lib.errors import DomainError


@task()
def organisations_create(*, names: list[str], hold_file: str = "") -> int:
    """Create organisations in one transaction.

    With `hold_file` not yet there: write it half-way and wait to be killed (a rerun finds the
    file and goes through).
    """
    hold = bool(hold_file) and not Path(hold_file).exists()
    with transaction.atomic():
        for position, name in enumerate(names):
            organisation = Organisation.objects.create(
                name=name, kind=OrganisationKind.LEGAL_NGO, country="UA"
            )
            audit_record(actor=None, action="test.organisation", obj=organisation)
            if hold and position == len(names) // 2:
                Path(hold_file).write_text("half-way", encoding="utf-8")
                time.sleep(60)  # the test kills the worker here
    return len(names)


@task()
def refuses() -> None:
    raise DomainError("A rule refused this job.")


@task()
def loses_the_database() -> None:
    raise OperationalError("the server closed the connection")
