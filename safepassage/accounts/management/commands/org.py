"""`safepassage org create|list`: the organisations that use safepassage."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils.translation import gettext as _

from safepassage.accounts.models import Organisation, OrganisationKind
from safepassage.accounts.services import organisation_create
from safepassage.lib.console import format_table
from safepassage.lib.errors import DomainError


class Command(BaseCommand):
    help = _("Create and list organisations.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help=_("Create an organisation."))
        create.add_argument("name", help=_("Unique name, e.g. “National Information Bureau”."))
        create.add_argument("--kind", required=True, help=", ".join(OrganisationKind.values))
        create.add_argument(
            "--country", required=True, help=_("Two-letter ISO 3166 code, e.g. UA.")
        )
        actions.add_parser("list", help=_("List organisations."))

    def handle(self, *args, **options) -> None:
        if options["action"] == "create":
            try:
                organisation = organisation_create(
                    name=options["name"], kind=options["kind"], country=options["country"]
                )
            except DomainError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                _("Created organisation “%(name)s” (%(kind)s, %(country)s).")
                % {
                    "name": organisation.name,
                    "kind": organisation.get_kind_display(),
                    "country": organisation.country.code,
                }
            )
        else:
            self._list()

    def _list(self) -> None:
        organisations = Organisation.objects.annotate(members_count=Count("members"))
        if not organisations:
            self.stdout.write(_("No organisations yet. Create one with: safepassage org create"))
            return
        rows = [(o.name, o.kind, o.country.code, str(o.members_count)) for o in organisations]
        header = (_("Name"), _("Kind"), _("Country"), _("Members"))
        self.stdout.write(format_table(header, rows))
