"""Exports: documents made for one reader, pseudonymised unless he may and asks for names.

Each export is an `Export` row and an audit event in the same transaction: who, which
document, in what format, how many persons and rows, identified or not, and through what
(web, console) — never a value. The policy is asked here as well as by the views: a capture card
or a case summary needs `EXPORT_DOCUMENT` on the person, the notification list
`EXPORT_NOTIFICATIONS`, and names `EXPORT_IDENTIFIED`. Re-authentication is the caller's part
(the web view asks for it, the console command asks for the password): a service cannot see
how the user logged in.
"""

import base64
import datetime
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, require
from safepassage.audit.services import audit_record
from safepassage.exports import selectors
from safepassage.exports.documents import labels
from safepassage.exports.documents import notifications as notification_list
from safepassage.exports.documents.capture_card import capture_card_pdf
from safepassage.exports.documents.case_summary import case_summary_pdf
from safepassage.exports.models import Document, Export, ExportStatus, Format
from safepassage.exports.pseudonyms import key_fingerprint, pseudonym_of
from safepassage.lib.errors import DomainError
from safepassage.lib.pdf import table_pdf
from safepassage.lib.spreadsheet import csv_rows, xlsx_bytes
from safepassage.registry.models import Person

CONTENT_TYPES = {
    Format.PDF: "application/pdf",
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
VIA = ("web", "console")


@dataclass(frozen=True)
class ExportFile:
    export: Export
    filename: str
    content_type: str
    data: bytes


def export_require(
    actor, action: Action, *, person: Person | None = None, identified: bool
) -> None:
    require(actor, action, person)
    if identified:
        require(actor, Action.EXPORT_IDENTIFIED)


def _footer(actor, *, identified: bool) -> str:
    """Which organisation made the document and when (not who: a document travels, and the
    audit log names the clerk); which key made its pseudonyms, so a partner sees why pseudonyms
    stop matching after the key changed."""
    made = f"{timezone.now():%Y-%m-%d %H:%M} UTC"
    footer = f"safepassage · {actor.organisation.name} · {made}"
    if not identified:
        footer += " · " + _("pseudonym key %(key)s") % {"key": key_fingerprint()}
    return footer


def export_audit_changes(export: Export, via: str) -> dict:
    changes = {
        "document": [None, export.document],
        "format": [None, export.format],
        "identified": [None, export.identified],
        "persons": [None, export.persons],
        "rows": [None, export.rows],
        "via": [None, via],
    }
    if export.document == Document.NOTIFICATIONS:
        changes["since"] = [None, export.since.isoformat() if export.since else None]
        changes["until"] = [None, export.until.isoformat() if export.until else None]
        changes["events"] = [None, export.kind_codes]
        changes["second_language"] = [None, export.second_language]
    return changes


def via_check(via: str) -> None:
    if via not in VIA:
        raise ValueError(f"via must be one of {VIA}")


# Each document about one person: the selector that reads it, and its PDF layout.
_PERSON_DOCUMENTS = {
    Document.CAPTURE_CARD: (selectors.capture_card_of, capture_card_pdf),
    Document.CASE_SUMMARY: (selectors.case_summary_of, case_summary_pdf),
}


def _person_document(
    actor, person: Person, document: str, *, identified: bool, via: str
) -> ExportFile:
    via_check(via)
    export_require(actor, Action.EXPORT_DOCUMENT, person=person, identified=identified)
    # Reads (and their audit) and layout first, outside the write transaction: SQLite holds its
    # write lock for the whole of one.
    read, layout = _PERSON_DOCUMENTS[document]
    content = read(actor=actor, person=person, identified=identified)
    data = layout(content, footer=_footer(actor, identified=identified))
    reference = person.registry_number if identified else pseudonym_of(person.registry_number)
    stem = document.replace("_", "-")
    with transaction.atomic():
        export = Export.objects.create(
            requested_by=actor,
            organisation=actor.organisation,
            document=document,
            format=Format.PDF,
            identified=identified,
            person=person,
            language=translation.get_language() or "",
            status=ExportStatus.DELIVERED,
            persons=1,
            rows=1,
            filename=f"{stem}-{reference}.pdf",
            finished_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=f"export.{document}",
            obj=export,
            person=person,
            changes=export_audit_changes(export, via),
        )
    return ExportFile(export, export.filename, CONTENT_TYPES[Format.PDF], data)


def capture_card_export(
    *, actor, person: Person, identified: bool = False, via: str = "web"
) -> ExportFile:
    """The person's capture card (GC III Annex IV) as a PDF."""
    return _person_document(actor, person, Document.CAPTURE_CARD, identified=identified, via=via)


def case_summary_export(
    *, actor, person: Person, identified: bool = False, via: str = "web"
) -> ExportFile:
    """The person's case and its history as `actor` sees them, as a PDF."""
    return _person_document(actor, person, Document.CASE_SUMMARY, identified=identified, via=via)


# --- the notification list ----------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationRequest:
    """What a notification list should hold and how; checked by `validate`."""

    format: str = Format.CSV
    identified: bool = False
    second_language: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    kinds: tuple[str, ...] = selectors.EVENT_KINDS

    @classmethod
    def chosen(cls, choices: Mapping[str, Any], kinds: Iterable[str]) -> "NotificationRequest":
        """The request a form or a command's options chose; each names the event kinds its way."""
        return cls(
            format=choices["format"],
            identified=choices["identified"],
            second_language=choices["second_language"],
            since=choices["since"],
            until=choices["until"],
            kinds=tuple(kinds),
        )

    def validate(self) -> None:
        if self.format not in Format.values:
            raise DomainError(
                _("Unknown format “%(format)s”: choose csv, xlsx or pdf.")
                % {"format": self.format},
                field="format",
            )
        if self.second_language and self.second_language not in labels.SECOND_LANGUAGES:
            raise DomainError(
                _("Unknown second language “%(language)s”: choose uk, ru or ko, or none.")
                % {"language": self.second_language},
                field="second_language",
            )
        unknown = [k for k in self.kinds if k not in selectors.EVENT_KINDS]
        if unknown or not self.kinds:
            raise DomainError(
                _("Choose the events to list among: %(kinds)s.")
                % {"kinds": ", ".join(selectors.EVENT_KINDS)},
                field="kinds",
            )
        if self.since and self.until and self.since > self.until:
            raise DomainError(_("The start date is after the end date."), field="until")

    @property
    def filters(self) -> selectors.NotificationFilters:
        return selectors.NotificationFilters(self.since, self.until, tuple(self.kinds))

    @classmethod
    def of(cls, export: Export) -> "NotificationRequest":
        return cls(
            format=export.format, identified=export.identified,
            second_language=export.second_language, since=export.since, until=export.until,
            kinds=tuple(export.kind_codes),
        )  # fmt: skip


class _Count:
    """Counts persons and rows of a stream of events as it is consumed."""

    def __init__(self) -> None:
        self.persons = 0
        self.rows = 0
        self._last = None

    def through(self, events: Iterator) -> Iterator:
        for event in events:
            self.rows += 1
            if event.person.pk != self._last:
                self.persons += 1
                self._last = event.person.pk
            yield event


def notifications_write(actor, request: NotificationRequest, out: BinaryIO) -> _Count:
    """Write the list to `out` (CSV streamed; XLSX streamed into memory; PDF bounded)."""
    count = _Count()
    events = count.through(
        selectors.notification_events(
            actor=actor, filters=request.filters, identified=request.identified
        )
    )
    second = request.second_language
    header = notification_list.header(identified=request.identified, second=second)
    rows = notification_list.rows(events, identified=request.identified, second=second)
    title = labels.LIST_TITLE.render(second)
    if request.format == Format.CSV:
        for chunk in csv_rows(header, rows):
            out.write(chunk)
    elif request.format == Format.XLSX:
        out.write(xlsx_bytes(header, rows, sheet="notifications", title=title))
    else:
        limit = settings.EXPORT_PDF_MAX_ROWS
        table = [notification_list.as_text(r) for r in itertools.islice(rows, limit + 1)]
        if len(table) > limit:
            raise DomainError(
                _(
                    "The list has more than %(limit)s rows, too many for a PDF. Choose CSV or "
                    "XLSX, or narrow it with a start date or fewer events."
                )
                % {"limit": limit},
                field="format",
            )
        out.write(
            table_pdf(
                title=title,
                columns=header,
                rows=table,
                subtitle=_list_subtitle(actor, request),
                footer=_footer(actor, identified=request.identified),
            )
        )
    return count


def _list_subtitle(actor, request: NotificationRequest) -> str:
    parts = [actor.organisation.name]
    if request.since or request.until:
        parts.append(
            _("events from %(since)s to %(until)s")
            % {
                "since": request.since.isoformat() if request.since else "…",
                "until": request.until.isoformat() if request.until else "…",
            }
        )
    if request.identified:
        parts.append(_("identified: names of prisoners of war; for the Central Agency only"))
    else:
        parts.append(_("pseudonymised: no names, numbers or places; dates by month"))
    return " · ".join(parts)


def notifications_filename(request: NotificationRequest) -> str:
    mode = "identified" if request.identified else "pseudonymised"
    return f"notifications-{timezone.localdate():%Y%m%d}-{mode}.{request.format}"


def notification_export_new(actor, request: NotificationRequest, **fields) -> Export:
    return Export.objects.create(
        requested_by=actor,
        organisation=actor.organisation,
        document=Document.NOTIFICATIONS,
        format=request.format,
        identified=request.identified,
        since=request.since,
        until=request.until,
        kinds=",".join(request.kinds),
        second_language=request.second_language,
        language=translation.get_language() or "",
        **fields,
    )


def notifications_export(
    *, actor, request: NotificationRequest, out: BinaryIO, via: str = "console"
) -> Export:
    """Write the notification list to `out` now (the console), then record the export.

    Nothing is recorded when the list cannot be made; the caller deletes what it wrote then.
    """
    via_check(via)
    export_require(actor, Action.EXPORT_NOTIFICATIONS, identified=request.identified)
    request.validate()
    count = notifications_write(actor, request, out)
    with transaction.atomic():
        export = notification_export_new(
            actor, request, status=ExportStatus.DELIVERED, persons=count.persons,
            rows=count.rows, filename=notifications_filename(request), finished_at=timezone.now(),
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="export.notifications",
            obj=export,
            changes=export_audit_changes(export, via),
        )
    return export


def export_download(*, actor, export: Export) -> ExportFile:
    """Hand a produced list to the user who asked for it, once: the stored copy is erased."""
    if export.requested_by_id != actor.pk:
        raise PermissionDenied
    export_require(actor, Action.EXPORT_NOTIFICATIONS, identified=export.identified)
    with transaction.atomic():
        locked = Export.objects.select_for_update().get(pk=export.pk)
        if locked.status != ExportStatus.READY or not locked.content:
            raise DomainError(
                _(
                    "This export is no longer available: it was downloaded or has expired. "
                    "Ask for it again."
                )
            )
        data = base64.b64decode(locked.content)
        locked.content = ""
        locked.status = ExportStatus.DELIVERED
        locked.save(update_fields=["content", "status"])
        audit_record(
            actor=actor,
            action="export.download",
            obj=locked,
            changes={"document": [None, locked.document], "identified": [None, locked.identified]},
        )
    return ExportFile(locked, locked.filename, CONTENT_TYPES[Format(locked.format)], data)


def exports_expire() -> int:
    """Erase the lists nobody downloaded within `EXPORT_RESULT_HOURS`. Housekeeping of copies,
    not a record: no audit event (the export's own events stay)."""
    cutoff = timezone.now() - datetime.timedelta(hours=settings.EXPORT_RESULT_HOURS)
    return Export.objects.filter(status=ExportStatus.READY, finished_at__lt=cutoff).update(
        content="", status=ExportStatus.EXPIRED
    )
