import io

import pytest
from django.core.management import CommandError, call_command

from safepassage.accounts.models import Organisation
from safepassage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def org(*args: str) -> str:
    out = io.StringIO()
    call_command("org", *args, stdout=out)
    return out.getvalue()


def test_it_creates_an_organisation_and_audits_it():
    output = org("create", "National Information Bureau", "--kind", "detaining_power",
                 "--country", "ua")  # fmt: skip
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.kind, organisation.country.code) == (
        "National Information Bureau", "detaining_power", "UA",
    )  # fmt: skip
    assert "Created organisation" in output
    event = AuditEvent.objects.get(action="organisation.create")
    assert event.object_id == str(organisation.pk) and event.actor is None


def test_it_lists_organisations():
    org("create", "Neutral Verification Mission", "--kind", "neutral_verifier", "--country", "CH")
    output = org("list")
    assert "Neutral Verification Mission" in output and "neutral_verifier" in output


def test_it_names_the_valid_kinds_for_an_unknown_kind():
    with pytest.raises(CommandError) as error:
        org("create", "X", "--kind", "embassy", "--country", "UA")
    message = str(error.value)
    assert "embassy" in message
    assert "detaining_power, neutral_verifier, receiving_state, legal_ngo" in message
    assert not Organisation.objects.exists()


def test_it_refuses_an_unknown_country():
    with pytest.raises(CommandError, match="Unknown country “XX”"):
        org("create", "X", "--kind", "legal_ngo", "--country", "XX")
    assert not Organisation.objects.exists()


def test_it_refuses_a_duplicate_name_whatever_the_case():
    org("create", "Protection Law Centre", "--kind", "legal_ngo", "--country", "UA")
    with pytest.raises(CommandError, match="already exists"):
        org("create", "protection law centre", "--kind", "legal_ngo", "--country", "UA")
    assert Organisation.objects.count() == 1


def test_it_requires_an_action():
    with pytest.raises(CommandError):
        org()
