"""`safepassage user create|list|roles|disable|enable|reset-second-factors`: people of an
organisation, their roles, their accounts' state."""

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safepassage.accounts.models import Role, User
from safepassage.accounts.services import (
    organisation_by_name,
    user_by_username,
    user_create,
    user_disable,
    user_enable,
    user_roles_set,
    user_second_factors_reset,
)
from safepassage.lib.console import format_table
from safepassage.lib.errors import DomainError


def _roles_argument(parser: CommandParser) -> None:
    """--role, repeated: the roles `create` gives and `roles` sets."""
    parser.add_argument(
        "--role",
        action="append",
        required=True,
        dest="roles",
        help=_("Repeat for several roles: %(roles)s.") % {"roles": ", ".join(Role.values)},
    )


class Command(BaseCommand):
    help = _("Create and list users.")
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help=_("Create a user in an organisation."))
        create.add_argument("username")
        create.add_argument("--org", required=True, help=_("Name of the organisation."))
        _roles_argument(create)
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help=_("Read the password from the first line of standard input."),
        )
        listing = actions.add_parser("list", help=_("List users."))
        listing.add_argument("--org", help=_("Only users of this organisation."))
        roles = actions.add_parser(
            "roles", help=_("Replace a user's roles; his open sessions end at once.")
        )
        roles.add_argument("username")
        _roles_argument(roles)
        disable = actions.add_parser(
            "disable", help=_("Disable a user: no login, sessions and API tokens end at once.")
        )
        disable.add_argument("username")
        enable = actions.add_parser("enable", help=_("Enable a disabled user again."))
        enable.add_argument("username")
        reset = actions.add_parser(
            "reset-second-factors",
            help=_(
                "Remove a user's second factors (a lost phone or key): he enrols a new one at "
                "his next login; his sessions and API tokens end."
            ),
        )
        reset.add_argument("username")

    def handle(self, *args, **options) -> None:
        if options["action"] == "list":
            self._list(options.get("org"))
            return
        if options["action"] in {"roles", "disable", "enable", "reset-second-factors"}:
            self._change(options)
            return
        password = None
        if options["password_stdin"]:
            stream = options.get("stdin") or sys.stdin
            password = stream.readline().rstrip("\r\n")
        if password == "":
            raise CommandError(_("The password read from standard input is empty."))
        try:
            user = user_create(
                username=options["username"],
                organisation=options["org"],
                roles=options["roles"],
                password=password,
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Created user “%(user)s” in “%(org)s” with roles: %(roles)s.")
            % {
                "user": user.username,
                "org": user.organisation.name,
                "roles": ", ".join(sorted(user.roles)),
            }
        )
        self.stdout.write(
            _(
                "At the first login the user enrols a second factor (an authenticator app or a "
                "security key) before anything else opens."
            )
        )
        if password is None:
            self.stdout.write(
                _(
                    "No password is set, so the user cannot log in yet. Set one with: "
                    "safepassage changepassword %(user)s"
                )
                % {"user": user.username}
            )

    def _change(self, options) -> None:
        try:
            user = user_by_username(options["username"])
            if options["action"] == "roles":
                user = user_roles_set(user=user, roles=options["roles"])
                message = _("“%(user)s” now has roles: %(roles)s. His sessions have ended.")
            elif options["action"] == "disable":
                user = user_disable(user=user)
                message = _("“%(user)s” is disabled. His sessions and API tokens have ended.")
            elif options["action"] == "reset-second-factors":
                user_second_factors_reset(user=user)
                message = _(
                    "The second factors of “%(user)s” are removed: he enrols a new one at his "
                    "next login. His sessions have ended and his API tokens are revoked."
                )
            else:
                user = user_enable(user=user)
                message = _("“%(user)s” is enabled again.")
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(message % {"user": user.username, "roles": ", ".join(sorted(user.roles))})

    def _list(self, organisation: str | None) -> None:
        users = User.objects.select_related("organisation").prefetch_related("role_assignments")
        if organisation:
            try:
                users = users.filter(organisation=organisation_by_name(organisation))
            except DomainError as error:
                raise CommandError(str(error)) from error
        rows = [
            (
                u.username,
                u.organisation.name if u.organisation else _("(none)"),
                ", ".join(sorted(a.role for a in u.role_assignments.all())),
                _("yes") if u.is_active else _("no"),
                _("yes") if u.has_usable_password() else _("no"),
            )
            for u in users
        ]
        if not rows:
            self.stdout.write(_("No users yet. Create one with: safepassage user create"))
            return
        header = (_("Username"), _("Organisation"), _("Roles"), _("Active"), _("Password set"))
        self.stdout.write(format_table(header, rows))
