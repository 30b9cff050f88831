"""How django-allauth fits safepassage: no sign-up, no e-mail; administrators make accounts."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context

from safepassage.accounts import lockout
from safepassage.accounts.reauth import recently_authenticated


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts come from `safepassage user create`: who works on these cases is decided by
        # the organisations, never by whoever finds the login page.
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # A login within the timeout counts as much as a re-authentication (allauth counts only
        # the latter), for allauth's pages as for safepassage's sensitive actions.
        if self.request is not None and recently_authenticated(self.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def reauthenticate(self, user, password: str) -> bool:
        # The password asked again before a sensitive action counts toward the lockout like
        # the login's: a stolen session must not guess it without end.
        address = lockout.client_address(context.request)
        lockout.account_lock_ensure(user=user, address=address)
        if super().reauthenticate(user, password):
            return True
        lockout.login_failure_record(username=user.username, address=address)
        lockout.account_lock_ensure(user=user, address=address)
        return False
