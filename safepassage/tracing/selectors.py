"""Reads of tracing. Requests are seen only by their own organisation's tracing staff;
candidates and duplicate pairs only where the reader may see every person in them."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action, require
from safepassage.access.visibility import persons_visible_to
from safepassage.audit.reads import SensitiveRead, sensitive_reads_record
from safepassage.tracing.models import (
    DuplicatePair,
    DuplicateRefresh,
    PairStatus,
    TracingCandidate,
    TracingDisclosure,
    TracingRequest,
)


def tracing_request_list(*, actor, status: str = "") -> QuerySet[TracingRequest]:
    """The requests of the actor's organisation, newest first."""
    require(actor, Action.TRACING_HANDLE)
    requests = TracingRequest.objects.filter(organisation=actor.organisation)
    if status:
        requests = requests.filter(status=status)
    return requests.select_related("linked_person").order_by("-created_at", "-id")


def tracing_request_for(actor, pk) -> TracingRequest:
    """One request of the actor's organisation (403 without the role, 404 otherwise)."""
    try:
        return tracing_request_list(actor=actor).get(pk=pk)
    except (TracingRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def requester_contact_reads(requests: Iterable[TracingRequest]) -> list[SensitiveRead]:
    """The requests whose requester's contact a page or answer shows (to audit, one event per
    request): each with a contact, about the person it is linked to, if any."""
    return [
        SensitiveRead(request, "requester_contact", request.linked_person)
        for request in requests
        if request.requester_contact
    ]


def requester_contacts_shown(*, actor, requests: Iterable[TracingRequest]) -> list:
    """The requests, their requesters' contacts recorded as read by `actor` (one event per
    request with a contact): the page or answer that shows them gets them here."""
    requests = list(requests)
    sensitive_reads_record(actor=actor, reads=requester_contact_reads(requests))
    return requests


def candidates_of(*, actor, request: TracingRequest) -> QuerySet[TracingCandidate]:
    """The request's candidates the actor may see, best first: above the threshold and below it
    (`.above_threshold()` keeps the likely ones)."""
    visible = persons_visible_to(actor)
    return (
        request.candidates.filter(person__in=visible)
        .select_related("person", "reviewed_by")
        .prefetch_related("person__names")
        .order_by("-probability", "rank", "id")
    )


def candidate_for(actor, request: TracingRequest, pk) -> TracingCandidate:
    try:
        return candidates_of(actor=actor, request=request).get(pk=pk)
    except (TracingCandidate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _disclosures(disclosures: QuerySet) -> QuerySet:
    return disclosures.select_related("informed_by", "person").order_by("informed_at", "id")


def disclosures_of(request: TracingRequest):
    """Who told the requester what, oldest first (read with the list: `with_disclosures`)."""
    read = getattr(request, "disclosures_read", None)
    return read if read is not None else _disclosures(request.disclosures)


def with_disclosures(requests: Iterable[TracingRequest]) -> list[TracingRequest]:
    """The requests, each one's disclosures read for all of them in one query."""
    requests = list(requests)
    queryset = _disclosures(TracingDisclosure.objects.all())
    prefetch_related_objects(
        requests, Prefetch("disclosures", queryset=queryset, to_attr="disclosures_read")
    )
    return requests


@dataclass(frozen=True)
class Reason:
    """One field's comparison, in words."""

    field: str
    label: str
    left: str
    right: str
    level: str
    words: str
    weight: float
    supports: bool
    unknown: bool = False  # not known on one side: the level's own words add nothing

    @property
    def verdict(self) -> str:
        return f"{self.words} ({self.level})" if self.level else self.words


# Lazy: the labels are translated into the reader's language when shown, not at import.
FIELD_LABELS = {
    "family_name": gettext_lazy("Family name"),
    "given_name": gettext_lazy("Given names"),
    "full_name": gettext_lazy("Full name"),
    "name": gettext_lazy("Name"),
    "birth_date": gettext_lazy("Date of birth"),
    "birth_year": gettext_lazy("Year of birth"),
    "birth_place": gettext_lazy("Place of birth"),
    "nationality": gettext_lazy("Nationality"),
    "unit": gettext_lazy("Unit"),
    "service_number": gettext_lazy("Service number"),
}


def _unknown(level: str, weight: float) -> bool:
    """Whether the level is "not known on one side". Only a level that weighs nothing may be
    ("same year; the month is not known on one side" is strong evidence)."""
    level = (level or "").lower()
    return weight == 0 and any(
        word in level for word in ("missing", "null", "unknown", "not known")
    )


def _words(level: str, weight: float) -> str:
    """The engine's level for a field, said plainly."""
    if _unknown(level, weight):
        return _("not known on one side: says nothing")
    if weight >= 4:
        return _("agree: strong evidence it is him")
    if weight >= 1:
        return _("similar: some evidence it is him")
    if weight > -1:
        return _("hardly tells either way")
    if weight > -4:
        return _("differ: some evidence against")
    return _("differ: strong evidence against")


def explanation_in_words(explanation: list[dict]) -> list[Reason]:
    """Per-field reasons of a candidate, strongest evidence first."""
    reasons = []
    for item in explanation or []:
        weight = float(item.get("weight") or 0)
        field = str(item.get("field", ""))
        level = str(item.get("level", ""))
        reasons.append(
            Reason(
                field=field,
                label=str(FIELD_LABELS.get(field, field.replace("_", " ").capitalize())),
                left=str(item.get("left", "")),
                right=str(item.get("right", "")),
                # Stored in the engine's words; one stored in a reader's language stays as is.
                level=_(level) if level else "",
                words=_words(level, weight),
                weight=weight,
                supports=weight > 0,
                unknown=_unknown(level, weight),
            )
        )
    return sorted(reasons, key=lambda r: -abs(r.weight))


def duplicate_pair_list(*, actor, status: str = PairStatus.OPEN) -> QuerySet[DuplicatePair]:
    """Pairs both of whose records the actor may see, most likely first."""
    require(actor, Action.DUPLICATE_REVIEW)
    visible = persons_visible_to(actor)
    pairs = DuplicatePair.objects.filter(
        Exists(visible.filter(pk=OuterRef("left_id"))),
        Exists(visible.filter(pk=OuterRef("right_id"))),
    )
    if status:
        pairs = pairs.filter(status=status)
    return pairs.select_related("left", "right").prefetch_related("left__names", "right__names")


def duplicate_pair_for(actor, pk) -> DuplicatePair:
    try:
        return duplicate_pair_list(actor=actor, status="").get(pk=pk)
    except (DuplicatePair.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def duplicate_refresh_latest(*, actor) -> DuplicateRefresh | None:
    """The latest search for duplicates of the actor's own organisation's records."""
    require(actor, Action.DUPLICATE_REVIEW)
    return DuplicateRefresh.objects.filter(organisation=actor.organisation_id).first()


def duplicate_refresh_for(actor, pk) -> DuplicateRefresh:
    """A search of the actor's own organisation, or 404: another's is not even said to exist."""
    require(actor, Action.DUPLICATE_REVIEW)
    try:
        return DuplicateRefresh.objects.get(pk=pk, organisation=actor.organisation_id)
    except DuplicateRefresh.DoesNotExist:
        raise Http404 from None
