"""Who may export what (docs/security-model.md#exports), written out, not read from `_RULES`."""

import pytest

from safepassage.access.policy import Action, can
from safepassage.accounts.models import Role
from tests.factories import make_user

NOTIFY = {"registrar", "interviewer", "verifier_registrar", "outsider"}
IDENTIFY = {"registrar", "verifier_registrar", "outsider"}


@pytest.fixture
def everyone(people, orgs):
    return {
        **vars(people),
        "verifier_registrar": make_user(orgs.verifier, Role.REGISTRAR),
        "ngo_registrar": make_user(orgs.legal, Role.REGISTRAR),
        "receiving_registrar": make_user(orgs.receiving, Role.REGISTRAR),
    }


def test_the_notification_list_is_the_bureaus_and_the_agencys(everyone):
    allowed = {name for name, u in everyone.items() if can(u, Action.EXPORT_NOTIFICATIONS)}
    assert allowed == NOTIFY


def test_names_leave_only_with_the_bureaus_and_the_agencys_registrars(everyone):
    allowed = {name for name, u in everyone.items() if can(u, Action.EXPORT_IDENTIFIED)}
    assert allowed == IDENTIFY


def test_an_inactive_registrar_exports_nothing(people):
    people.registrar.is_active = False
    assert not can(people.registrar, Action.EXPORT_IDENTIFIED)
    assert not can(people.registrar, Action.EXPORT_NOTIFICATIONS)
