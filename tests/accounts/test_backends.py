"""A session's user is read with his organisation and roles in one query; a disabled account
is no session's user, and an account without roles has none."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safepassage.accounts.backends import UserBackend
from safepassage.accounts.models import Role, User
from tests.factories import make_user


def test_a_sessions_user_comes_with_his_organisation_and_roles_in_one_query(db, people):
    with CaptureQueriesContext(connection) as captured:
        user = UserBackend().get_user(people.outsider.pk)
        seen = (user.organisation.name, user.roles)
    assert len(captured) == 1
    assert seen == ("Other Bureau", frozenset(Role.values))
    assert user.roles == User.objects.get(pk=user.pk).roles


def test_an_account_without_roles_has_none(db, orgs):
    user = UserBackend().get_user(make_user(orgs.detaining).pk)
    assert user.roles == frozenset()


def test_a_disabled_account_is_no_sessions_user(db, people):
    User.objects.filter(pk=people.registrar.pk).update(is_active=False)
    assert UserBackend().get_user(people.registrar.pk) is None
    assert UserBackend().get_user(10**9) is None
