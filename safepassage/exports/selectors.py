"""Reads for exports, masked to the reader's need to know by the policy, as the UI and API are.

Every read starts from `persons_visible_to(actor)`. What a document may show of a person is
decided here, once, for both modes: *identified* (what the reader sees on the person page) and
*pseudonymised* (a keyed pseudonym, no names, contacts, places or free text; birth year and
months instead of dates). Builders in `documents/` only lay the result out.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.access.visibility import live_persons_visible_to
from safepassage.audit.models import AuditEvent
from safepassage.audit.sealing import changes_opened, person_keys_of
from safepassage.cases import selectors as case_selectors
from safepassage.cases.models import (
    Case,
    CaseState,
    CaseTransition,
    Transfer,
    TransferStatus,
)
from safepassage.documents.selectors import document_list
from safepassage.exports.documents import labels
from safepassage.exports.models import Export
from safepassage.exports.pseudonyms import pseudonym_of, record_pseudonym_of
from safepassage.family.selectors import family_address_printable
from safepassage.lib.countries import country_name
from safepassage.medical.selectors import category_for
from safepassage.registry.models import DatePrecision, Person, PersonName
from safepassage.registry.selectors import next_of_kin_shown

# --- dates and names ----------------------------------------------------------------------------


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def month_text(day: datetime.date | None) -> str:
    """The coarse date of a pseudonymised export: a day and a nationality can name a man."""
    return f"{day:%Y-%m}" if day else ""


def birth_text(person: Person, *, identified: bool, second: str = "") -> str:
    """The date of birth as precisely as it is known (identified), or the year only."""
    day = person.birth_date
    if day is None:
        return ""
    approximate = person.birth_date_precision == DatePrecision.APPROXIMATE
    suffix = f" ({labels.APPROXIMATE.render(second)})" if approximate else ""
    if not identified or person.birth_date_precision == DatePrecision.YEAR:
        return f"{day.year}{suffix}"
    if person.birth_date_precision == DatePrecision.MONTH:
        return f"{day:%Y-%m}"
    return f"{day.isoformat()}{suffix}"


def country_text(codes) -> str:
    """ "Democratic People's Republic of Korea (KP)" in the reader's language."""
    items = [getattr(c, "code", c) for c in codes]
    return ", ".join(f"{country_name(code) or code} ({code})" for code in items)


def country_codes(codes) -> str:
    return ", ".join(getattr(c, "code", c) for c in codes)


def true_names(person: Person) -> list[PersonName]:
    """His names as written in each script, without assumed identities (a false name is not his
    to carry on a card or a list; the case summary shows it, marked, as the person page does)."""
    return [name for name in person.names.all() if not name.is_assumed_identity]


def health_text(actor, person: Person, second: str = "") -> str:
    """His health as a card or summary may give it to `actor`: the commission's category only to
    a reader of his medical track, as on screen (`medical.selectors.category_for`)."""
    text = labels.HEALTH[person.health_status].render(second)
    if category_for(actor, person):
        text += f" — {person.get_art110_category_display()}"
    return text


# --- the capture card ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CaptureCard:
    """The Annex IV fields, as text. None means withheld (pseudonymised); "" means not known or
    not for this reader."""

    identified: bool
    second: str
    reference: str  # his registry number (identified) or pseudonym
    values: dict[str, str | None]


def capture_card_of(*, actor, person: Person, identified: bool) -> CaptureCard:
    """The capture card of a person `actor` may see; reading the family address is audited."""
    second = labels.language_for(
        languages=person.languages, nationalities=[c.code for c in person.nationalities]
    )
    common = {
        "power": country_text(person.nationalities),
        "sex": labels.SEX[person.sex].render(second),
        "health": health_text(actor, person, second),
        "camp_kind": labels.PLACE_KIND[person.internment_place_kind].render(second),
        "detaining_power": person.detaining_organisation.name,
        "date": timezone.localdate().isoformat(),
    }
    if not identified:
        withheld = ("surname", "first_names", "father", "other_names", "birth_place", "rank",
                    "service_number", "family", "captured_at", "pow_number", "camp")  # fmt: skip
        values: dict[str, str | None] = {
            "pseudonym": pseudonym_of(person.registry_number),
            "birth_year": birth_text(person, identified=False, second=second),
            "captured_on": month_text(person.capture_date),
            **common,
            **dict.fromkeys(withheld),
        }
        return CaptureCard(False, second, values["pseudonym"] or "", values)
    names = true_names(person)
    first = names[0] if names else None
    # His family's address only where he chose it (family.selectors): never read otherwise.
    family = labels.FAMILY_WITHHELD.render(second)
    if family_address_printable(person):
        family = ""
        if next_of_kin_shown(actor=actor, person=person) and person.next_of_kin:
            family = person.next_of_kin
    values = {
        "surname": first.family_name if first else "",
        "first_names": first.given_name if first else "",
        "father": first.patronymic if first else "",
        "other_names": "; ".join(n.full_name for n in names[1:]),
        "birth": birth_text(person, identified=True, second=second),
        "birth_place": person.birth_place,
        "rank": person.rank,
        "service_number": person.service_number,
        "family": family,
        "captured_on": person.capture_date.isoformat() if person.capture_date else "",
        "captured_at": person.capture_place,
        "pow_number": person.registry_number,
        "camp": person.internment_place,
        **common,
    }
    return CaptureCard(True, second, person.registry_number, values)


# --- the notification list ----------------------------------------------------------------------

# GC III Art. 122: identity, capture, transfers, releases and repatriations, escapes, admissions
# to hospital, deaths. Releases and repatriations are one kind ("release"): which of the two it
# was would tell the power of origin that he refused to come home (docs/exports.md).
EVENT_KINDS = ("identity", "capture", "transfer", "hospital_admission", "release", "escape",
               "death")  # fmt: skip
_STATE_EVENTS = {
    CaseState.RELEASED: "release",
    CaseState.ESCAPED: "escape",
    CaseState.DECEASED: "death",
}
# Audit actions whose recorded changes are the registry's history of places of internment.
_PLACE_ACTIONS = ("person.update", "person.place_move")
_ANONYMISED = "retention.anonymise"
CHUNK = 500


@dataclass(frozen=True)
class NotificationFilters:
    since: datetime.date | None = None
    until: datetime.date | None = None
    kinds: tuple[str, ...] = EVENT_KINDS

    def admits(self, kind: str, day: datetime.date) -> bool:
        return (
            kind in self.kinds
            and (self.since is None or day >= self.since)
            and (self.until is None or day <= self.until)
        )


@dataclass(frozen=True)
class NotificationEvent:
    person: Person
    kind: str
    on: datetime.date
    place: str = ""  # where it happened, if the registry says so (identified lists only)
    place_kind: str = ""  # camp or hospital, for moves


@dataclass
class _PersonFacts:
    transitions: list[tuple[str, datetime.datetime]] = field(default_factory=list)
    releases: list[datetime.datetime] = field(default_factory=list)
    moves: list[tuple[datetime.datetime, dict]] = field(default_factory=list)
    anonymised: bool = False


def _facts_of(ids: list[int]) -> dict[int, _PersonFacts]:
    """Three queries for a chunk of persons (four when places changed: their audit keys): steps
    that end captivity, executed transfers, and the registry's recorded changes of place. No
    reason, will, decision or destination is read."""
    facts = {pk: _PersonFacts() for pk in ids}
    steps = CaseTransition.objects.filter(
        case__person_id__in=ids, to_state__in=list(_STATE_EVENTS)
    ).values_list("case__person_id", "to_state", "at")
    for person_id, state, at in steps:
        facts[person_id].transitions.append((state, at))
    # Any executed transfer is a release from captivity, whatever its kind or destination.
    executed = Transfer.objects.filter(
        person_id__in=ids, status=TransferStatus.EXECUTED, executed_at__isnull=False
    ).values_list("person_id", "executed_at")
    for person_id, at in executed:
        facts[person_id].releases.append(at)
    events = (
        AuditEvent.objects.filter(person_id__in=ids, action__in=[*_PLACE_ACTIONS, _ANONYMISED])
        .order_by("seq")
        .values_list("person_id", "action", "at", "changes")
    )
    keys = None  # places are sealed under each person's audit key (audit.sealing)
    for person_id, action, at, changes in events:
        if action == _ANONYMISED:
            facts[person_id].anonymised = True
        elif "internment_place" in changes or "internment_place_kind" in changes:
            keys = person_keys_of(ids) if keys is None else keys
            opened = changes_opened(changes, person_id, keys.get(person_id), "")
            facts[person_id].moves.append((at, opened))
    return facts


def _events_of(person: Person, facts: _PersonFacts, identified: bool) -> list[NotificationEvent]:
    # After retention the registry no longer holds his places; the audit log still does, and
    # an export must not bring them back.
    show_places = identified and not facts.anonymised
    events = [
        NotificationEvent(
            person, "identity", local_date(person.created_at),
            person.internment_place if show_places else "", person.internment_place_kind,
        ),
    ]  # fmt: skip
    if person.capture_date:
        events.append(
            NotificationEvent(
                person, "capture", person.capture_date, person.capture_place if show_places else ""
            )
        )
    for at, changes in facts.moves:
        kind_change = changes.get("internment_place_kind")
        place_change = changes.get("internment_place")
        new_kind = kind_change[1] if kind_change else ""
        new_place = place_change[1] if place_change else ""
        kind = "hospital_admission" if new_kind == "hospital" else "transfer"
        events.append(
            NotificationEvent(
                person, kind, local_date(at), (new_place or "") if show_places else "",
                new_kind or "",
            )
        )  # fmt: skip
    for at in facts.releases:
        events.append(NotificationEvent(person, "release", local_date(at)))
    for state, at in facts.transitions:
        events.append(NotificationEvent(person, _STATE_EVENTS[state], local_date(at)))
    order = {kind: i for i, kind in enumerate(EVENT_KINDS)}
    events.sort(key=lambda e: (e.on, order[e.kind]))
    return events


def notification_persons(*, actor):
    """The persons a notification list of `actor` covers: those he may see, duplicates left out
    (their records live on in the survivor)."""
    return live_persons_visible_to(actor)


def notification_events(
    *, actor, filters: NotificationFilters, identified: bool, chunk: int = CHUNK
) -> Iterator[NotificationEvent]:
    """The notifiable events of every person `actor` may see, person by person (registry number
    order), each person's oldest first. Streams: memory and queries grow with chunks of
    `chunk` persons, five queries each, not with persons."""
    persons = (
        notification_persons(actor=actor)
        # Never on a list; next of kin is not even decrypted.
        .defer("next_of_kin", "search_text", "wounds", "unit", "capturing_unit")
        .select_related("detaining_organisation")
        .prefetch_related("names")
        .order_by("registry_number")
    )
    last = ""
    while True:
        batch = list(persons.filter(registry_number__gt=last)[:chunk])
        if not batch:
            return
        last = batch[-1].registry_number
        facts = _facts_of([p.pk for p in batch])
        for person in batch:
            for event in _events_of(person, facts[person.pk], identified):
                if filters.admits(event.kind, event.on):
                    yield event


# --- the case summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryEntry:
    on: str
    title: str
    lines: list[str]


@dataclass(frozen=True)
class CaseSummary:
    identified: bool
    reference: str
    identity: list[tuple[str, str]]
    names: list[str]
    case: list[tuple[str, str]]
    history: list[SummaryEntry]
    # The documents the reader may open (access.documents): kind and date, and the title when
    # identified (a title is free text); never their content.
    documents: list[tuple[str, str]] = field(default_factory=list)


def _identity_rows(actor, person: Person, identified: bool) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]]
    if not identified:
        return [
            (_("Pseudonym"), pseudonym_of(person.registry_number)),
            (_("Detaining power"), person.detaining_organisation.name),
            (_("Sex"), person.get_sex_display()),
            (_("Year of birth"), birth_text(person, identified=False)),
            (_("Claimed nationalities"), country_text(person.nationalities)),
            (_("Month of capture"), month_text(person.capture_date)),
            (_("Health"), health_text(actor, person)),
            (_("Kind of place"), person.get_internment_place_kind_display()),
        ]
    rows = [
        (_("Registry number"), person.registry_number),
        (_("Detaining power"), person.detaining_organisation.name),
        (_("Sex"), person.get_sex_display()),
        (_("Date of birth"), birth_text(person, identified=True)),
        (_("Place of birth"), person.birth_place),
        (_("Claimed nationalities"), country_text(person.nationalities)),
        (_("Service number"), person.service_number),
        (_("Rank"), person.rank),
        (_("Unit"), person.unit),
        (_("Date of capture"), person.capture_date.isoformat() if person.capture_date else ""),
        (_("Place of capture"), person.capture_place),
        (_("Capturing unit"), person.capturing_unit),
        (_("Health"), health_text(actor, person)),
        (_("Wounds and sickness"), person.wounds),
        (_("Place of internment"), person.internment_place),
        (_("Kind of place"), person.get_internment_place_kind_display()),
        (_("Languages"), person.languages),
    ]
    # The person page shows next of kin to those who may see it, and audits the read.
    if next_of_kin_shown(actor=actor, person=person) and person.next_of_kin:
        rows.append((_("Next of kin"), person.next_of_kin))
    return rows


def _name_rows(person: Person) -> list[str]:
    rows = []
    for name in person.names.all():
        text = f"{name.full_name} — {name.get_script_display()}, {name.get_romanization_display()}"
        if name.source:
            text += f" ({name.source})"
        if name.is_assumed_identity:
            text += " — " + _("assumed identity")
        rows.append(text)
    return rows


def _stamp(moment: datetime.datetime, identified: bool) -> str:
    local = timezone.localtime(moment)
    return f"{local:%Y-%m-%d %H:%M}" if identified else f"{local:%Y-%m}"


def _record_reference(kind: str, pk: int, identified: bool) -> str:
    """The number the audit log names the record by ("#7"), or, pseudonymised, its pseudonym."""
    return f"#{pk}" if identified else record_pseudonym_of(kind, pk)


def _will_lines(view, identified: bool) -> tuple[str, list[str]]:
    title = _("Will expression %(reference)s: %(outcome)s") % {
        "reference": _record_reference("will", view.id, identified),
        "outcome": view.outcome,
    }
    flags = [_("verified") if view.verified else _("not verified")]
    if view.governing:
        flags.append(_("governing"))
    if view.withdrawn_at:
        flags.append(_("withdrawn"))
    lines = [f"{view.source} · {view.organisation} · " + ", ".join(flags)]
    details = view.details
    if details is not None:
        lines.append(_("Wish: %(wish)s") % {"wish": details.wish})
        lines.append(
            _("Destinations preferred: %(states)s")
            % {"states": country_text(details.destinations_preferred) or "—"}
        )
        lines.append(
            _("Destinations refused: %(states)s")
            % {"states": country_text(details.destinations_refused) or "—"}
        )
        lines.append(_("Certainty: %(certainty)s %%") % {"certainty": details.certainty})
        # Who was in the room and his words are free text: identified summaries only.
        if identified and details.setting:
            lines.append(_("Setting: %(setting)s") % {"setting": details.setting})
            if details.present:
                lines.append(_("Present: %(present)s") % {"present": details.present})
            lines.append(
                _("Interpreter: %(interpreter)s (%(language)s)")
                % {"interpreter": details.interpreter or "—", "language": details.language or "—"}
            )
        if identified and details.withdrawn_reason:
            lines.append(
                _("Reason for withdrawal: %(reason)s") % {"reason": details.withdrawn_reason}
            )
    if identified and view.statement:
        lines.append(_("Statement: %(text)s") % {"text": view.statement})
    return title, lines


def _assessment_lines(view, identified: bool) -> tuple[str, list[str]]:
    title = _("Risk assessment %(reference)s: %(state)s") % {
        "reference": _record_reference("assessment", view.id, identified),
        "state": country_text([view.country]),
    }
    lines = [
        _("Persecution risk: %(risk)s") % {"risk": view.persecution_risk},
        _("Onward-transfer risk: %(risk)s") % {"risk": view.onward_transfer_risk}
        + (f" ({country_text(view.onward_destinations)})" if view.onward_destinations else ""),
        _("by %(organisation)s") % {"organisation": view.organisation},
    ]
    if identified and view.basis:
        lines.append(_("Basis: %(basis)s") % {"basis": view.basis})
    return title, lines


def _entry(entry, identified: bool) -> SummaryEntry:
    item = entry.item
    kind = entry.kind
    if kind == "will":
        title, lines = _will_lines(item, identified)
    elif kind == "assessment":
        title, lines = _assessment_lines(item, identified)
    elif kind == "decision":
        title = _("Decision: %(kind)s → %(state)s") % {
            "kind": item.get_kind_display(),
            "state": country_text([item.destination]),
        }
        lines = [_("by %(organisation)s") % {"organisation": item.organisation.name}]
        if identified:
            lines.insert(0, item.reason)
    elif kind == "acceptance":
        title = _("Accepted by %(organisation)s") % {"organisation": item.organisation.name}
        lines = (
            [_("Reference: %(ref)s") % {"ref": item.reference}]
            if (identified and item.reference)
            else []
        )
    elif kind == "transfer":
        route = " → ".join(country_text([code]) for code in item.route)
        title = f"{item.get_kind_display()}: {route} ({item.get_status_display()})"
        scheduled = item.scheduled_for.isoformat() if identified else month_text(item.scheduled_for)
        lines = [_("scheduled for %(date)s") % {"date": scheduled}]
        if item.executed_at:
            lines.append(_("executed %(date)s") % {"date": _stamp(item.executed_at, identified)})
        if identified and item.cancelled_reason:
            lines.append(item.cancelled_reason)
    else:  # a step of the case
        title = f"{item.get_from_state_display()} → {item.get_to_state_display()}"
        by = item.organisation.name if item.organisation else ""
        if identified:
            by = ", ".join(p for p in (item.actor.get_username(), by) if p)
            lines = [item.reason, by]
        else:
            lines = [by] if by else []
    return SummaryEntry(_stamp(entry.at, identified), str(title), [str(x) for x in lines if x])


def _pseudonymised_timeline(actor, person: Person) -> list:
    """The person page's timeline (`cases.selectors.person_timeline`) without anything whose
    reading is audited — statements, interview circumstances, withdrawal reasons, assessment
    bases are not even decrypted — since a pseudonymised summary shows none of them and must not
    record reads that did not happen. The same views, masked by the same `NeedToKnow`."""
    ntk = case_selectors.NeedToKnow.of(actor, person)
    origin = {c.code for c in person.nationalities}
    governing_id = (
        Case.objects.filter(person=person).values_list("governing_will_id", flat=True).first()
    )
    entries = []
    wills = case_selectors.will_expressions_of(person).select_related("organisation")
    for will in wills.defer("statement", "present", "interpreter", "withdrawn_reason"):
        details = None
        if ntk.will_details:
            details = case_selectors.WillDetails(
                wish=will.get_wish_display(),
                destinations_preferred=list(will.destinations_preferred),
                destinations_refused=list(will.destinations_refused),
                certainty=will.certainty,
                setting="", present="", interpreter="", interpreter_affiliation="", language="",
                withdrawn_reason="",
            )  # fmt: skip
        view = case_selectors.WillView(
            id=will.pk, expressed_on=will.expressed_on, recorded_at=will.recorded_at,
            source=will.get_source_display(), organisation=will.organisation.name,
            verified=will.verified, governing=will.pk == governing_id,
            outcome=case_selectors.will_outcome(will, origin), withdrawn_at=will.withdrawn_at,
            details=details, statement=None, can_withdraw=False,
        )  # fmt: skip
        entries.append(case_selectors.TimelineEntry(will.recorded_at, "will", view))
    assessments = case_selectors.assessments_of(person).select_related("organisation")
    for assessment in assessments.defer("basis"):
        view = case_selectors.AssessmentView(
            id=assessment.pk, country=assessment.country,
            persecution_level=assessment.persecution_risk,
            persecution_risk=assessment.get_persecution_risk_display(),
            onward_level=assessment.onward_transfer_risk,
            onward_transfer_risk=assessment.get_onward_transfer_risk_display(),
            onward_destinations=list(assessment.onward_destinations),
            organisation=assessment.organisation.name, basis=None,
        )  # fmt: skip
        entries.append(case_selectors.TimelineEntry(assessment.assessed_at, "assessment", view))
    decisions = case_selectors.decisions_of(person).select_related(
        "organisation", "acceptance__organisation"
    )
    for decision in decisions:
        entries.append(case_selectors.TimelineEntry(decision.decided_at, "decision", decision))
        acceptance = getattr(decision, "acceptance", None)
        if acceptance is not None:
            entries.append(
                case_selectors.TimelineEntry(acceptance.accepted_at, "acceptance", acceptance)
            )
    for transfer in Transfer.objects.filter(person=person).order_by("scheduled_at", "id"):
        entries.append(case_selectors.TimelineEntry(transfer.scheduled_at, "transfer", transfer))
    for step in case_selectors.transitions_of(person).select_related("organisation"):
        entries.append(case_selectors.TimelineEntry(step.at, "transition", step))
    # As on the person page: a record before the step it caused.
    entries.sort(key=lambda e: (e.at, 1 if e.kind == "transition" else 0))
    return entries


def _document_rows(actor, person: Person, identified: bool) -> list[tuple[str, str]]:
    rows = []
    # Only an identified summary shows titles: only then is their read recorded.
    for document in document_list(actor=actor, person=person, record_read=identified):
        kind = document.get_kind_display()
        if identified:
            dated = document.dated.isoformat() if document.dated else "—"
            rows.append((kind, f"{document.title} ({dated})"))
        else:
            rows.append((kind, month_text(document.dated) or "—"))
    return rows


def case_summary_of(*, actor, person: Person, identified: bool) -> CaseSummary:
    """The case as `actor` sees it on the person page; reads of sensitive records are audited
    by the timeline exactly as there."""
    if identified:
        timeline = case_selectors.person_timeline(actor=actor, person=person)
    else:
        timeline = _pseudonymised_timeline(actor, person)
    case = Case.objects.select_related("legal_organisation").filter(person=person).first()
    case_rows = []
    if case is not None:
        case_rows.append((_("State"), case.get_state_display()))
        if case.legal_organisation:
            case_rows.append((_("Legal representation"), case.legal_organisation.name))
    return CaseSummary(
        identified=identified,
        documents=_document_rows(actor, person, identified),
        reference=person.registry_number if identified else pseudonym_of(person.registry_number),
        identity=_identity_rows(actor, person, identified),
        names=_name_rows(person) if identified else [],
        case=case_rows,
        history=[_entry(e, identified) for e in timeline],
    )


# --- the user's own exports ---------------------------------------------------------------------


def export_list(*, actor, limit: int = 50):
    """The user's own recent exports (nobody sees another's, not even his colleagues')."""
    return (
        Export.objects.filter(requested_by=actor).defer("content").select_related("person")[:limit]
    )


def export_for(*, actor, pk: int):
    """One of the user's own exports, or 404."""
    export = Export.objects.filter(requested_by=actor, pk=pk).defer("content").first()
    if export is None or not getattr(actor, "is_active", False):
        raise Http404
    return export
