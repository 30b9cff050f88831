"""Reads after a transfer, over what the reader may know: the receiving state sees its own
reception of him; the verifier's staff and his lawyers see the reception and the follow-up
contacts; the detaining power and the other party nothing. `onward_reports` is the evidence of
onward removal or risk from one state, pseudonymised, for whoever assesses that state."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import ngettext

from safepassage.access.policy import Action, can, has_any_role_for
from safepassage.accounts.models import OrganisationKind
from safepassage.audit.reads import SensitiveRead, sensitive_reads_record
from safepassage.exports.pseudonyms import pseudonym_of
from safepassage.followup.models import (
    ALERTING,
    DEFAULT_STEPS,
    FollowUpContact,
    Reception,
    ReceptionStepTemplate,
)
from safepassage.lib.countries import country_code_of, country_name
from safepassage.registry.models import Person


@dataclass
class FollowUp:
    reception: Reception | None
    steps: list
    contacts: list[FollowUpContact] | None  # None: not for this reader


def followup_of(*, actor, person: Person) -> FollowUp:
    """What `actor` may see of what happened after his transfer; 404 for anyone else."""
    if not can(actor, Action.FOLLOWUP_VIEW, person):
        raise Http404
    receptions = Reception.objects.filter(person=person).select_related("organisation")
    receiving = actor.organisation.kind == OrganisationKind.RECEIVING_STATE
    if receiving:
        receptions = receptions.filter(organisation=actor.organisation)
    reception = receptions.order_by("-recorded_at", "-id").first()
    contacts = None
    if not receiving:
        contacts = list(FollowUpContact.objects.filter(person=person).order_by("due_on", "id"))
        shown = [SensitiveRead(c, "followup_note", person=person) for c in contacts if c.note]
        sensitive_reads_record(actor=actor, reads=shown)
    steps = list(reception.steps.all()) if reception else []
    return FollowUp(reception, steps, contacts)


def contact_for(actor, pk) -> FollowUpContact:
    try:
        contact = FollowUpContact.objects.select_related("person").get(pk=pk)
    except (FollowUpContact.DoesNotExist, ValueError):
        raise Http404 from None
    if not can(actor, Action.FOLLOWUP_VIEW, contact.person) or (
        actor.organisation.kind == OrganisationKind.RECEIVING_STATE
    ):
        raise Http404
    return contact


@dataclass(frozen=True)
class OnwardReport:
    """One follow-up report of onward removal or risk: whose (a pseudonym), when, what, where."""

    pseudonym: str
    contacted_on: object
    outcome: str
    outcome_label: str
    sent_on_to: str


def onward_reports(*, actor, country: str) -> list[OnwardReport]:
    """The reports of onward removal or risk from `country`, every person's, pseudonymised:
    evidence for that state's onward-risk assessment of anyone."""
    if not can(actor, Action.ONWARD_EVIDENCE):
        return []
    rows: QuerySet[FollowUpContact] = (
        FollowUpContact.objects.filter(country=country_code_of(country), outcome__in=ALERTING)
        .select_related("person")
        .order_by("-contacted_on", "-id")
    )
    return [
        OnwardReport(
            pseudonym_of(row.person.registry_number), row.contacted_on, row.outcome,
            row.get_outcome_display(), row.sent_on_to.code if row.sent_on_to else "",
        )
        for row in rows
    ]  # fmt: skip


def onward_evidence_lines(*, actor) -> list[str]:
    """One line per state with reports of onward removal or risk, for the assessment form."""
    if not can(actor, Action.ONWARD_EVIDENCE):
        return []
    counts: dict[str, int] = {}
    for code in FollowUpContact.objects.filter(outcome__in=ALERTING).values_list(
        "country", flat=True
    ):
        counts[code] = counts.get(code, 0) + 1
    return [
        ngettext(
            "Follow-ups reported onward removal or a risk of it from %(state)s %(count)d time: "
            "evidence for its onward-transfer risk (see /onward-reports/%(code)s/).",
            "Follow-ups reported onward removal or a risk of it from %(state)s %(count)d "
            "times: evidence for its onward-transfer risk (see /onward-reports/%(code)s/).",
            count,
        )
        % {"state": country_name(code) or code, "count": count, "code": code}
        for code, count in sorted(counts.items())
    ]  # fmt: skip


def reception_steps_of(*, actor) -> list[str]:
    """The receiving state's own steps after arrival, in order, or the defaults it has not
    replaced (`models.DEFAULT_STEPS`); for those who record its receptions."""
    if not has_any_role_for(actor, Action.RECEPTION_RECORD):
        raise PermissionDenied
    own = list(
        ReceptionStepTemplate.objects.filter(organisation=actor.organisation).values_list(
            "label", flat=True
        )
    )
    return own or [str(label) for label in DEFAULT_STEPS]
