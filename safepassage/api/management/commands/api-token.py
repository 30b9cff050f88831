"""`safepassage api-token create|list|revoke`: personal API tokens for machines.

A token made here records no login, so it never takes the actions that need a recent one
(scheduling or executing a transfer, executing an exchange batch, confirming a handover) unless
the user's own password is given with `--password-stdin` (counted by the login lockout, like
`export`'s); then it may for the next `REAUTHENTICATION_MINUTES`.

The file is named `api-token.py` so the command reads as it is typed; Django imports command
modules by file name, hyphen included.
"""

import sys

from allauth.account import app_settings as account_settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.accounts import lockout
from safepassage.accounts.models import User
from safepassage.api.models import ApiToken
from safepassage.api.selectors import api_token_list
from safepassage.api.services import (
    api_token_create,
    api_token_default_days,
    api_token_max_days,
    api_token_revoke,
)
from safepassage.lib.console import format_table
from safepassage.lib.errors import DomainError


def _user(username: str) -> User:
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        raise CommandError(_("Unknown user “%(user)s”.") % {"user": username})
    return user


def _state(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return _("revoked")
    if token.ends_at <= timezone.now():
        return _("expired")
    return _("live")


class Command(BaseCommand):
    help = _("Create, list and revoke API tokens.")
    stealth_options = ("stdin",)  # tests pass the password's stream

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser(
            "create", help=_("Create a token for a user and print it once.")
        )
        create.add_argument("username")
        create.add_argument(
            "--name", default="", help=_("What uses the token, e.g. the partner's sync job.")
        )
        create.add_argument(
            "--days",
            type=int,
            default=None,
            help=_("Days until it expires (1–%(max)s, default %(default)s).")
            % {"max": api_token_max_days(), "default": api_token_default_days()},
        )
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help=_(
                "Read the user's own password from standard input: the token may then "
                "schedule or execute transfers, execute exchange batches and confirm handovers "
                "for the next %(minutes)s minutes."
            )
            % {"minutes": max(1, account_settings.REAUTHENTICATION_TIMEOUT // 60)},
        )
        listing = actions.add_parser("list", help=_("List a user's tokens (never the secrets)."))
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help=_("Revoke a token by its prefix."))
        revoke.add_argument("prefix", help=_("The part after sp_, e.g. 1a2b3c4d."))

    def handle(self, *args, **options) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options) -> None:
        user = _user(options["username"])
        name = options["name"] or _("console")
        confirmed_at = (
            self._password_confirmed(user, options) if options["password_stdin"] else None
        )
        try:
            token, raw = api_token_create(
                user=user, name=name, days=options["days"], authenticated_at=confirmed_at
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(raw)
        self.stderr.write(
            _(
                "Token “%(name)s” for %(user)s, valid until %(expires)s. It is shown only now: "
                "store it in the machine's secret store. Revoke it with: "
                "safepassage api-token revoke %(prefix)s"
            )
            % {
                "name": token.name,
                "user": user.username,
                "expires": f"{token.expires_at:%Y-%m-%d %H:%M} UTC",
                "prefix": token.prefix,
            }
        )

    def _password_confirmed(self, user: User, options: dict):
        """The user's own password, read from standard input and counted by the lockout; the
        time it was given."""
        if lockout.locked_until(username=user.username):
            raise CommandError(_("This account is locked after failed logins; try again later."))
        stream = options.get("stdin") or sys.stdin
        password = stream.readline().rstrip("\r\n")
        if not password or not user.check_password(password):
            lockout.login_failure_record(username=user.username, address="")
            raise CommandError(_("Wrong password: no token made."))
        return timezone.now()

    def _list(self, options) -> None:
        tokens = api_token_list(user=_user(options["username"]))
        rows = [
            (
                t.prefix,
                t.name,
                _state(t),
                f"{t.created_at:%Y-%m-%d}",
                f"{t.ends_at:%Y-%m-%d}",
                f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "—",
            )
            for t in tokens
        ]
        if not rows:
            self.stdout.write(_("No API tokens."))
            return
        header = (_("Prefix"), _("Name"), _("State"), _("Created"), _("Expires"), _("Last used"))
        self.stdout.write(format_table(header, rows))

    def _revoke(self, options) -> None:
        prefix = options["prefix"].strip().removeprefix("sp_").split("_")[0]
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(_("No token has the prefix “%(prefix)s”.") % {"prefix": prefix})
        api_token_revoke(token=token)
        self.stdout.write(
            _("Revoked token “%(name)s” (sp_%(prefix)s_…) of %(user)s.")
            % {"name": token.name, "prefix": token.prefix, "user": token.user.username}
        )
