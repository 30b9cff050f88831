"""The authentication backend: Django's own (usernames only; a disabled account fails exactly
like a wrong password), reading a session's user with his organisation and roles in one query.

Every request of a logged-in user reads him; the access policy then needs his organisation and
his roles at once, which were two more queries on every page."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, StringAgg, Subquery, Value

from safepassage.accounts.models import RoleAssignment, User

_ROLE_SEPARATOR = ","  # role codes are identifiers (accounts.models.Role): never a comma
_READ_WITH: dict[str, Callable[[], Any]] = {}


def user_read_with(name: str, expression: Callable[[], Any]) -> None:
    """Read `expression()` (a subquery on the user's pk) with the session's user, as attribute
    `name`: a value every page shows, such as the bell's unread count, then costs no query of
    its own. Called from another app's `ready()`; this layer knows nothing of that app."""
    _READ_WITH[name] = expression


def user_with_roles(user_id) -> User | None:
    """The user `user_id` with his organisation and roles read with him (None: no such user)."""
    roles = (
        RoleAssignment.objects.filter(user=OuterRef("pk"))
        .values("user")
        .annotate(codes=StringAgg("role", Value(_ROLE_SEPARATOR)))
        .values("codes")
    )
    user = (
        User._default_manager.select_related("organisation")
        .annotate(role_codes=Subquery(roles), **{n: e() for n, e in _READ_WITH.items()})
        .filter(pk=user_id)
        .first()
    )
    if user is not None:
        codes = user.role_codes
        user._roles_cache = frozenset(codes.split(_ROLE_SEPARATOR) if codes else ())
    return user


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
