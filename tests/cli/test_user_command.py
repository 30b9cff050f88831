import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from safepassage.accounts.models import OrganisationKind, User
from safepassage.audit.models import AuditEvent
from tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    return make_org("National Information Bureau", OrganisationKind.DETAINING_POWER, "UA")


def user(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    extra = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command("user", *args, stdout=out, **extra)
    return out.getvalue()


def test_it_creates_a_user_with_roles_and_a_password_from_stdin(bureau):
    args = ["--role", "registrar", "--role", "auditor", "--password-stdin"]
    output = user("create", "alice", "--org", bureau.name, *args, stdin="a-long-passphrase-here\n")
    alice = User.objects.get(username="alice")
    assert alice.organisation == bureau
    assert alice.roles == {"registrar", "auditor"}
    assert alice.check_password("a-long-passphrase-here")
    assert "Created user “alice”" in output
    assert AuditEvent.objects.filter(action="user.create", object_id=str(alice.pk)).exists()


def test_without_a_password_it_says_how_to_set_one(bureau):
    output = user("create", "bob", "--org", bureau.name, "--role", "registrar")
    assert not User.objects.get(username="bob").has_usable_password()
    assert "safepassage changepassword bob" in output


def test_it_lists_users(bureau):
    user("create", "bob", "--org", bureau.name, "--role", "exchange_planner")
    output = user("list")
    assert "bob" in output and "exchange_planner" in output and bureau.name in output


def test_it_names_the_valid_roles_for_an_unknown_role(bureau):
    with pytest.raises(CommandError) as error:
        user("create", "bob", "--org", bureau.name, "--role", "registrar", "--role", "boss")
    assert "boss" in str(error.value)
    assert "registrar, interviewer, legal_officer" in str(error.value)
    assert not User.objects.filter(username="bob").exists()


def test_it_names_the_known_organisations_for_an_unknown_one(bureau):
    with pytest.raises(CommandError) as error:
        user("create", "bob", "--org", "Nowhere", "--role", "registrar")
    assert "Nowhere" in str(error.value) and bureau.name in str(error.value)


def test_it_refuses_a_weak_password_with_the_validators_words(bureau):
    with pytest.raises(CommandError) as error:
        user("create", "bob", "--org", bureau.name, "--role", "registrar",
             "--password-stdin", stdin="12345\n")  # fmt: skip
    assert "at least 12 characters" in str(error.value)
    assert "entirely numeric" in str(error.value)
    assert not User.objects.filter(username="bob").exists()


def test_it_refuses_a_password_like_the_username(bureau):
    with pytest.raises(CommandError, match="too similar to the username"):
        user("create", "benedetta.rossi", "--org", bureau.name, "--role", "registrar",
             "--password-stdin", stdin="benedetta.rossi1\n")  # fmt: skip


def test_it_refuses_a_duplicate_username(bureau):
    user("create", "bob", "--org", bureau.name, "--role", "registrar")
    with pytest.raises(CommandError, match="already exists"):
        user("create", "BOB", "--org", bureau.name, "--role", "registrar")


def test_it_resets_a_users_second_factors_when_he_lost_them(people):
    # The last administrator cannot reset his own on the members page: the operator can.
    output = user("reset-second-factors", "adam")
    assert "enrols a new one at his next login" in output
    assert not Authenticator.objects.filter(user=people.admin).exists()
    event = AuditEvent.objects.get(
        action="user.second_factors_reset", object_id=str(people.admin.pk)
    )
    assert event.actor is None
    with pytest.raises(CommandError, match="no second factor to reset"):
        user("reset-second-factors", "adam")
