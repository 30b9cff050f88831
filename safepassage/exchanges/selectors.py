"""Reads from exchanges, limited by the policy: agreements, pools, batches, entries, reasons."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from safepassage.access.policy import Action, can
from safepassage.accounts.models import OrganisationKind
from safepassage.exchanges.models import Agreement, Batch, Candidate, Entry, Exclusion


def agreements_visible_to(actor) -> QuerySet[Agreement]:
    """Exchange agreements `actor` may see: his detaining power's own; all for the verifier,
    who sees that no one is repatriated against his will. Nobody else's."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None or not can(actor, Action.EXCHANGE_VIEW):
        return Agreement.objects.none()
    if organisation.kind == OrganisationKind.NEUTRAL_VERIFIER:
        return Agreement.objects.all()
    return Agreement.objects.filter(organisation=organisation)


def agreement_list(*, actor) -> QuerySet[Agreement]:
    return agreements_visible_to(actor).select_related("organisation")


def agreement_get(*, actor, pk: int, action: Action = Action.EXCHANGE_VIEW) -> Agreement:
    """The agreement, if `actor` may see it (else 404) and do `action` (else 403)."""
    agreement = agreement_list(actor=actor).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    if action != Action.EXCHANGE_VIEW and not can(actor, action):
        raise PermissionDenied
    return agreement


def batch_list(*, actor, agreement: Agreement) -> QuerySet[Batch]:
    return agreement.batches.annotate(
        entry_count=Count("entries", filter=~Q(entries__status="removed"), distinct=True),
        exclusion_count=Count("exclusions", distinct=True),
    ).order_by("number")


def batch_get(*, actor, pk: int, action: Action = Action.EXCHANGE_VIEW) -> Batch:
    batch = (
        Batch.objects.select_related("agreement__organisation")
        .filter(agreement__in=agreements_visible_to(actor), pk=pk)
        .first()
    )
    if batch is None:
        raise Http404
    if action != Action.EXCHANGE_VIEW and not can(actor, action):
        raise PermissionDenied
    return batch


def entry_get(*, actor, pk: int, action: Action = Action.EXCHANGE_VIEW) -> Entry:
    entry = (
        Entry.objects.select_related("batch__agreement", "person", "candidate")
        .filter(batch__agreement__in=agreements_visible_to(actor), pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    if action != Action.EXCHANGE_VIEW and not can(actor, action, entry.person):
        raise PermissionDenied
    return entry


def candidates_of(agreement: Agreement) -> QuerySet[Candidate]:
    return agreement.candidates.select_related("person").order_by("side", "external_id")


def entries_of(batch: Batch) -> QuerySet[Entry]:
    return batch.entries.select_related("candidate", "person").order_by(
        "side", "candidate__external_id"
    )


def exclusions_of(batch: Batch) -> QuerySet[Exclusion]:
    return batch.exclusions.select_related("candidate")


def candidate_get(*, actor, pk: int, action: Action = Action.EXCHANGE_VIEW) -> Candidate:
    candidate = (
        Candidate.objects.select_related("agreement", "person")
        .filter(agreement__in=agreements_visible_to(actor), pk=pk)
        .first()
    )
    if candidate is None:
        raise Http404
    if action != Action.EXCHANGE_VIEW and not can(actor, action):
        raise PermissionDenied
    return candidate
