"""Writes of tracing: requests, candidates and their review, informing the requester, registry
duplicates and merges. Each runs in one transaction, checks the policy and appends audit events.

The matching itself is the linkage engine's (`safepassage.tracing.linkage`); here it is only
asked, over the persons the actor may see and never beyond.
"""

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, require
from safepassage.access.visibility import persons_visible_to, survivor_for
from safepassage.audit.services import MASK, audit_record, created_changes
from safepassage.cases import services as case_services
from safepassage.cases.guard import guard_facts
from safepassage.cases.models import Case, CaseState, Transfer, TransferStatus, Wish
from safepassage.lib.countries import country_code_of
from safepassage.lib.errors import DomainError
from safepassage.registry.models import Person
from safepassage.registry.services import person_merge, person_merge_check
from safepassage.tracing import search_index, workflow
from safepassage.tracing.models import (
    CANDIDATE_THRESHOLD,
    CandidateStatus,
    Consent,
    DisclosureItem,
    DuplicatePair,
    PairStatus,
    RequesterKind,
    TracingCandidate,
    TracingDisclosure,
    TracingRequest,
    TracingStatus,
)

REQUEST_FIELDS = (
    "requester_kind", "requester_name", "requester_relationship", "requester_contact",
    "language", "family_name", "given_name", "full_name", "birth_date", "birth_place",
    "nationality", "unit", "service_number", "last_seen_place", "last_seen_date",
    "circumstances",
)  # fmt: skip
# A search keeps the best CANDIDATES_ALWAYS persons the engine finds, however unlikely — a man
# whose year of birth his mother misremembers must not vanish — and more of those above the
# line (CANDIDATE_THRESHOLD), up to CANDIDATE_LIMIT in all.
CANDIDATE_LIMIT = 20
CANDIDATES_ALWAYS = 10
DUPLICATE_THRESHOLD = 0.5
PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


# --- the engine -------------------------------------------------------------------------------


def _engine():
    """The linkage engine (H-link's package), imported late so this module loads without it."""
    from safepassage.tracing import linkage

    return linkage


def _link_records(persons: Iterable[Person]) -> list:
    return list(_engine().person_link_records(persons))


def _person_pk(record_id: str) -> int:
    """The person of a link record: `person_link_records` ids start with the person's pk."""
    return int(str(record_id).split(":", 1)[0])


def _engine_words():
    """Around a ranking: the engine's level labels in its own words (English). They are stored,
    and translated into each reader's language when read (`selectors.explanation_in_words`)."""
    return translation.override("en")


def _explanation(candidate) -> list[dict[str, Any]]:
    return [
        {
            "field": e.field,
            "left": e.left,
            "right": e.right,
            "level": e.level,
            "weight": round(float(e.weight), 3),
        }
        for e in candidate.explanation
    ]


def _query_record(request: TracingRequest):
    return _engine().LinkRecord(
        id=f"request:{request.pk}",
        family_name=request.family_name,
        given_name=request.given_name,
        full_name=request.full_name,
        birth_date=request.birth_date,
        birth_place=request.birth_place,
        nationality=request.nationality.code if request.nationality else "",
        unit=request.unit,
        service_number=request.service_number,
    )


def _best_per_person(candidates) -> dict[int, Any]:
    """One candidate per person: the best of his names."""
    best: dict[int, Any] = {}
    for candidate in candidates:
        pk = _person_pk(candidate.id)
        if pk not in best or candidate.probability > best[pk].probability:
            best[pk] = candidate
    return best


# --- tracing requests -------------------------------------------------------------------------


def _validate_partial_date(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if value and not PARTIAL_DATE.match(value):
        raise DomainError(
            _("%(label)s “%(value)s” is not a date: write YYYY, YYYY-MM or YYYY-MM-DD.")
            % {"label": label, "value": value[:20]},
            field=field,
        )
    if value:
        try:
            year, month, day = (int(p) for p in (value.split("-") + ["1", "1"])[:3])
            datetime.date(year, month, day)
        except ValueError:
            raise DomainError(
                _("%(label)s “%(value)s” is not a date of the calendar.")
                % {"label": label, "value": value},
                field=field,
            ) from None
        if value[:4] > str(timezone.localdate().year):
            raise DomainError(
                _("%(label)s %(value)s is in the future.") % {"label": label, "value": value},
                field=field,
            )
    return value


def _clean_request_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(REQUEST_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if cleaned.get("requester_kind") not in RequesterKind.values:
        raise DomainError(
            _("Say who asks: a family member or an organisation."), field="requester_kind"
        )
    if not cleaned.get("requester_name"):
        raise DomainError(
            _("Enter the requester's name: the answer must reach someone."),
            field="requester_name",
        )
    if not any(cleaned.get(f) for f in ("family_name", "given_name", "full_name")):
        raise DomainError(
            _("Enter the name of the person sought, in any script: a family name, given names "
              "or the full name as the requester wrote it."),
            field="family_name",
        )  # fmt: skip
    cleaned["birth_date"] = _validate_partial_date(
        cleaned.get("birth_date", ""), "birth_date", _("Date of birth")
    )
    cleaned["last_seen_date"] = _validate_partial_date(
        cleaned.get("last_seen_date", ""), "last_seen_date", _("Last seen on")
    )
    cleaned["nationality"] = country_code_of(cleaned.get("nationality"))
    return cleaned


def tracing_request_record(*, actor, **fields: Any) -> TracingRequest:
    """Record a tracing request for the actor's Central Tracing Agency; status open."""
    require(actor, Action.TRACING_HANDLE)
    cleaned = _clean_request_fields(fields)
    with transaction.atomic():
        request = TracingRequest.objects.create(
            organisation=actor.organisation, created_by=actor, **cleaned
        )
        audit_record(
            actor=actor,
            action="tracing.request_record",
            obj=request,
            changes=created_changes(request, REQUEST_FIELDS, TracingRequest.SENSITIVE_FIELDS),
        )
    return request


def _lock_request(actor, request: TracingRequest) -> TracingRequest:
    locked = TracingRequest.objects.select_for_update().get(pk=request.pk)
    if locked.organisation_id != actor.organisation_id:
        raise DomainError(_("This tracing request belongs to another organisation."))
    return locked


def tracing_request_search(
    *, actor, request: TracingRequest, limit: int = CANDIDATE_LIMIT
) -> list[TracingCandidate]:
    """Ask the engine for the persons who may be the man sought, among those the actor may see.

    The best `CANDIDATES_ALWAYS` are kept whatever their probability, and those at or above
    `CANDIDATE_THRESHOLD` up to `limit`: the list draws the threshold as a line, it never hides
    a candidate behind it. New candidates are proposed; those already proposed get their new
    score; reviewed ones keep their verdict. The candidates come from the registry's name
    index in the database (`search_index`), shared by every process; only persons the actor
    may see are ever returned, so proposed.
    """
    require(actor, Action.TRACING_HANDLE)
    with transaction.atomic():
        locked = _lock_request(actor, request)
        if locked.status != TracingStatus.OPEN:
            raise DomainError(_("Only an open request is searched; this one is not open."))
        with _engine_words():
            ranked = search_index.rank_visible(
                actor=actor,
                query=_query_record(locked),
                limit=limit,
                threshold=0.0,
                visible=persons_visible_to(actor),
            )
        best = _best_per_person(ranked)
        ordered = [
            (pk, found)
            for position, (pk, found) in enumerate(
                sorted(best.items(), key=lambda item: -item[1].probability)[:limit]
            )
            if position < CANDIDATES_ALWAYS or found.probability >= CANDIDATE_THRESHOLD
        ]
        visible = set(persons_visible_to(actor).filter(pk__in=best).values_list("pk", flat=True))
        existing = {c.person_id: c for c in locked.candidates.all()}
        added = 0
        for rank, (pk, found) in enumerate(ordered):
            if pk not in visible:  # the engine is asked over visible persons only; belt and braces
                continue
            probability = min(1.0, max(0.0, float(found.probability)))
            current = existing.get(pk)
            if current is None:
                TracingCandidate.objects.create(
                    request=locked, person_id=pk, probability=probability,
                    explanation=_explanation(found), rank=rank,
                )  # fmt: skip
                added += 1
            elif current.status == CandidateStatus.PROPOSED:
                current.probability = probability
                current.explanation = _explanation(found)
                current.rank = rank
                current.save(update_fields=["probability", "explanation", "rank"])
        locked.searched_at = timezone.now()
        locked.save(update_fields=["searched_at", "updated_at"])
        audit_record(
            actor=actor,
            action="tracing.request_search",
            obj=locked,
            changes={"candidates": [len(existing), len(existing) + added]},
        )
    return list(locked.candidates.all())


def _request_save(
    request: TracingRequest,
    *,
    actor,
    action: str,
    changes: dict[str, list],
    person: Person | None = None,
) -> None:
    """Save a request's new state, its version counting the change, and audit it."""
    request.version += 1
    request.save()
    audit_record(actor=actor, action=action, obj=request, person=person, changes=changes)


def _lock_candidate(actor, candidate: TracingCandidate) -> tuple[TracingRequest, TracingCandidate]:
    request = _lock_request(actor, candidate.request)
    locked = TracingCandidate.objects.select_for_update().get(pk=candidate.pk)
    if not persons_visible_to(actor).filter(pk=locked.person_id).exists():
        raise DomainError(_("You may not see this person; ask a colleague who may."))
    return request, locked


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for your verdict: it is kept."), field="reason")
    return reason


def _verdict_record(
    verdict: TracingCandidate | DuplicatePair,
    *,
    actor,
    reason: str,
    action: str,
    person: Person,
    changes: dict[str, list],
    stamp: str = "reviewed",
) -> None:
    """Keep a reviewer's verdict on its row (why, by whom — `<stamp>_by` — and when) and in the
    audit, where its reason joins the `changes`."""
    verdict.reason = reason
    setattr(verdict, f"{stamp}_by", actor)
    setattr(verdict, f"{stamp}_at", timezone.now())
    verdict.save()
    audit_record(
        actor=actor, action=action, obj=verdict, person=person,
        changes={**changes, "reason": [None, reason]},
    )  # fmt: skip


def tracing_candidate_confirm(*, actor, candidate: TracingCandidate, reason: str) -> TracingRequest:
    """The reviewer confirms that this registered person is the man sought: the link is
    recorded, the request is linked. The requester is not told anything by this step."""
    require(actor, Action.TRACING_HANDLE)
    reason = _require_reason(reason)
    with transaction.atomic():
        request, locked = _lock_candidate(actor, candidate)
        if locked.status != CandidateStatus.PROPOSED:
            raise DomainError(_("This candidate has already been reviewed."))
        # A record merged since it was proposed links to its survivor.
        person = survivor_for(Person.objects.get(pk=locked.person_id))
        before = workflow.transition_apply(
            request=request, target=TracingStatus.LINKED, actor=actor,
            changes={"linked_person": person},
        ).from_state  # fmt: skip
        locked.status = CandidateStatus.CONFIRMED
        _verdict_record(
            locked, actor=actor, reason=reason, action="tracing.candidate_confirm", person=person,
            changes={"status": [CandidateStatus.PROPOSED, CandidateStatus.CONFIRMED]},
        )  # fmt: skip
        _request_save(
            request, actor=actor, action="tracing.request_link", person=person,
            changes={"status": [before, request.status], "linked_person": [None, person.pk]},
        )  # fmt: skip
    return request


def tracing_candidate_reject(
    *, actor, candidate: TracingCandidate, reason: str
) -> TracingCandidate:
    """Not him, and why. A confirmed link may be undone this way until the requester is told;
    the request is then open again."""
    require(actor, Action.TRACING_HANDLE)
    reason = _require_reason(reason)
    with transaction.atomic():
        request, locked = _lock_candidate(actor, candidate)
        before = locked.status
        if before == CandidateStatus.REJECTED:
            raise DomainError(_("This candidate has already been rejected."))
        if before == CandidateStatus.CONFIRMED:
            if request.status != TracingStatus.LINKED:
                raise DomainError(
                    _("The requester has already been told about this person: the link stays. "
                      "Record a correction by informing him again.")
                )  # fmt: skip
            workflow.transition_apply(
                request=request, target=TracingStatus.OPEN, actor=actor,
                changes={"linked_person": None},
            )  # fmt: skip
            _request_save(
                request, actor=actor, action="tracing.request_unlink", person=locked.person,
                changes={"status": [TracingStatus.LINKED, TracingStatus.OPEN]},
            )  # fmt: skip
        locked.status = CandidateStatus.REJECTED
        _verdict_record(
            locked, actor=actor, reason=reason, action="tracing.candidate_reject",
            person=locked.person, changes={"status": [before, CandidateStatus.REJECTED]},
        )  # fmt: skip
    return locked


# --- informing the requester ------------------------------------------------------------------


def disclosable(*, protected: bool, deceased: bool, consent: str) -> frozenset[str]:
    """What the requester may be told about the man found (docs/tracing.md), pure.

    He decides first: if he refused, nothing. A death is told (GC III Art. 120), with the
    state that held him. A man under protection (he does not want to go back, or is at risk)
    — or whose will is not yet verified — may be said to be alive and registered, nothing more:
    not where he is, not who holds him, never where he wants to go. Otherwise, with his
    consent, where he is and how he is; without it asked, only that he lives and who holds him.
    """
    if consent == Consent.REFUSED:
        return frozenset()
    if deceased:
        return frozenset({DisclosureItem.DECEASED, DisclosureItem.DETAINING_POWER})
    if protected:
        return frozenset({DisclosureItem.ALIVE_REGISTERED})
    if consent == Consent.GIVEN:
        return frozenset(
            {
                DisclosureItem.ALIVE_REGISTERED,
                DisclosureItem.DETAINING_POWER,
                DisclosureItem.INTERNMENT_PLACE,
                DisclosureItem.HEALTH,
            }
        )
    return frozenset({DisclosureItem.ALIVE_REGISTERED, DisclosureItem.DETAINING_POWER})


def person_is_protected(person: Person) -> bool:
    """Whether telling where he is could put him or his family at risk: no verified decided
    will to go home, any refusal, or any high risk assessed (his merged records included)."""
    facts = guard_facts(person)
    if facts.governing is None or facts.undecided_will_id is not None:
        return True
    if facts.refused() or facts.blocks():
        return True
    return facts.governing.wish != Wish.RETURN_TO_ORIGIN


def person_is_deceased(person: Person) -> bool:
    return Case.objects.filter(person=person, state=CaseState.DECEASED).exists()


def disclosable_for(*, person: Person, consent: str) -> frozenset[str]:
    return disclosable(
        protected=person_is_protected(person),
        deceased=person_is_deceased(person),
        consent=consent,
    )


def tracing_requester_inform(
    *,
    actor,
    request: TracingRequest,
    items: Sequence[str],
    consent: str,
    channel: str = "",
    message: str = "",
) -> TracingDisclosure:
    """Record that the requester was told `items` about the linked person, and how.

    Refused when an item is more than his protection allows (`disclosable`). Never automatic:
    only a person with the role takes this step, once he has chosen what to say.
    """
    require(actor, Action.TRACING_INFORM)
    if consent not in Consent.values:
        raise DomainError(_("Say whether he agreed that the requester be told."), field="consent")
    chosen = list(dict.fromkeys(items))
    unknown = [item for item in chosen if item not in DisclosureItem.values]
    if unknown:
        raise DomainError(
            _("Unknown item: %(items)s.") % {"items": ", ".join(unknown)}, field="items"
        )
    with transaction.atomic():
        locked = _lock_request(actor, request)
        if locked.linked_person_id is None:
            raise DomainError(_("Confirm a candidate first: no person is linked to the request."))
        person = survivor_for(Person.objects.get(pk=locked.linked_person_id))
        if not persons_visible_to(actor).filter(pk=person.pk).exists():
            raise DomainError(_("You may not see this person; ask a colleague who may."))
        allowed = disclosable_for(person=person, consent=consent)
        forbidden = [item for item in chosen if item not in allowed]
        if forbidden:
            raise DomainError(
                _("His protection does not allow telling the requester: %(items)s. "
                  "Tell only what is allowed.")
                % {"items": "; ".join(str(DisclosureItem(i).label) for i in forbidden)},
                field="items",
            )  # fmt: skip
        before = workflow.transition_apply(
            request=locked, target=TracingStatus.INFORMED, actor=actor
        ).from_state
        disclosure = TracingDisclosure.objects.create(
            request=locked, person=person, items=chosen, consent=consent,
            channel=channel.strip(), message=message.strip(), informed_by=actor,
        )  # fmt: skip
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor,
            action="tracing.requester_inform",
            obj=disclosure,
            person=person,
            changes={
                "items": [None, chosen],
                "consent": [None, consent],
                "channel": [None, disclosure.channel],
                "message": [None, MASK] if disclosure.message else [None, ""],
                "status": [before, locked.status],
            },
        )
    return disclosure


def tracing_request_close(*, actor, request: TracingRequest, reason: str) -> TracingRequest:
    """Close the request (found and told, withdrawn by the requester, or not found)."""
    require(actor, Action.TRACING_HANDLE)
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = _lock_request(actor, request)
        before = workflow.transition_apply(
            request=locked, target=TracingStatus.CLOSED, actor=actor
        ).from_state
        _request_save(
            locked, actor=actor, action="tracing.request_close",
            changes={"status": [before, locked.status], "reason": [None, reason]},
        )  # fmt: skip
    return locked


# --- duplicates in the registry ---------------------------------------------------------------


REFRESH_CHUNK = 200  # records ranked per transaction, and between two progress writes


def _stale_mark(live: QuerySet[Person]) -> None:
    """Open pairs of these records whose record was merged since are stale."""
    with transaction.atomic():
        DuplicatePair.objects.filter(status=PairStatus.OPEN, left__in=live.values("pk")).filter(
            Q(left__merged_into__isnull=False) | Q(right__merged_into__isnull=False)
        ).update(status=PairStatus.STALE)


def duplicate_queue_refresh(
    *,
    organisation=None,
    threshold: float = DUPLICATE_THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Find likely duplicate pairs among the live records of `organisation` (a detaining power;
    None: of each detaining power in turn, for the demo and the console) and queue new ones.

    Per detaining power, since a merge never joins records of two. Pairs already decided keep
    their verdict; open pairs whose records were merged since become stale. The pairs are
    written REFRESH_CHUNK records at a time, each chunk its own transaction, and `progress`
    (records compared, records in all) is called after each: a refresh that stops half-way
    keeps what it found, and the next one adds the rest. Returns the number of new pairs.
    """
    linkage = _engine()
    persons = Person.objects.filter(merged_into__isnull=True)
    if organisation is not None:
        persons = persons.filter(detaining_organisation=organisation)
    _stale_mark(Person.objects.filter(pk__in=persons.values("pk")))
    organisations = sorted(set(persons.values_list("detaining_organisation", flat=True)))
    total, done, added = persons.count(), 0, 0
    if progress is not None:
        progress(done, total)
    for held_by in organisations:
        own = persons.filter(detaining_organisation=held_by)
        records = _link_records(own.prefetch_related("names").order_by("pk"))
        if len(records) < 2:
            done += len(records)
            continue
        known = {
            (left, right): status
            for left, right, status in DuplicatePair.objects.filter(
                left__detaining_organisation=held_by
            ).values_list("left", "right", "status")
        }
        index = linkage.RegistryIndex.build(records)
        for start in range(0, len(records), REFRESH_CHUNK):
            chunk = records[start : start + REFRESH_CHUNK]
            with transaction.atomic():
                added += _pairs_queue(index, chunk, known, threshold)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    # A merge decided while the search ran leaves its pairs stale, not open.
    _stale_mark(Person.objects.filter(pk__in=persons.values("pk")))
    if progress is not None:
        progress(total, total)
    return added


def _pairs_queue(index, records, known: dict, threshold: float) -> int:
    added = 0
    for record in records:
        this = _person_pk(record.id)
        with _engine_words():
            found = index.rank(record, limit=10, threshold=threshold)
        for pk, candidate in _best_per_person(found).items():
            if pk == this:
                continue
            pair = (min(pk, this), max(pk, this))
            probability = min(1.0, max(0.0, float(candidate.probability)))
            status = known.get(pair)
            if status is None:
                DuplicatePair.objects.create(
                    left_id=pair[0], right_id=pair[1], probability=probability,
                    explanation=_explanation(candidate),
                )  # fmt: skip
                known[pair] = PairStatus.OPEN
                added += 1
            elif status == PairStatus.OPEN:
                DuplicatePair.objects.filter(
                    left_id=pair[0], right_id=pair[1], probability__lt=probability
                ).update(probability=probability, explanation=_explanation(candidate))
    return added


def _lock_pair(actor, pair: DuplicatePair) -> tuple[DuplicatePair, Person, Person]:
    locked = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    persons = {
        p.pk: p
        for p in Person.objects.select_for_update().filter(pk__in=[locked.left_id, locked.right_id])
    }
    visible = set(
        persons_visible_to(actor).filter(pk__in=list(persons)).values_list("pk", flat=True)
    )
    if visible != set(persons):
        raise DomainError(_("You may not see both records of this pair."))
    return locked, persons[locked.left_id], persons[locked.right_id]


def duplicate_pair_decide(
    *, actor, pair: DuplicatePair, same: bool, reason: str, survivor: Person | None = None
) -> DuplicatePair:
    """The reviewer's verdict: different persons (kept, never proposed again), or the same man
    — then the two records are merged into `survivor` (default: the older record)."""
    require(actor, Action.DUPLICATE_REVIEW)
    reason = _require_reason(reason)
    with transaction.atomic():
        locked, left, right = _lock_pair(actor, pair)
        if locked.status != PairStatus.OPEN:
            raise DomainError(_("This pair has already been decided."))
        if same:
            keep = survivor or left
            if keep.pk not in (left.pk, right.pk):
                raise DomainError(_("Choose one of the two records to keep."), field="survivor")
            absorbed = right if keep.pk == left.pk else left
            _merge(actor=actor, survivor=keep, absorbed=absorbed, reason=reason)
            locked.status = PairStatus.SAME
            locked.survivor = keep
        else:
            locked.status = PairStatus.DIFFERENT
        _verdict_record(
            locked, actor=actor, reason=reason, action="registry.duplicate_decide",
            # The reason is sealed under his audit key: the survivor's, or the first record's.
            person=locked.survivor or left,
            changes={
                "status": [PairStatus.OPEN, locked.status],
                "survivor": [None, locked.survivor_id],
            },
            stamp="decided",
        )  # fmt: skip
        if same:
            # Other open pairs of the absorbed record no longer apply; a refresh finds the
            # survivor's.
            DuplicatePair.objects.filter(status=PairStatus.OPEN).filter(
                Q(left=absorbed) | Q(right=absorbed)
            ).update(status=PairStatus.STALE)
    return locked


def _merge(*, actor, survivor: Person, absorbed: Person, reason: str) -> None:
    """Merge `absorbed` into `survivor`, keeping everything; both are locked by the caller.

    The registry writes the merge (`person_merge`); his wills, assessments and steps stay where
    they are, and the guard joins their blocks to his (`cases.guard.merged_facts`), so the merge
    can only make it stricter. No movement may be under way for either record meanwhile.
    """
    person_merge_check(survivor=survivor, absorbed=absorbed)
    for record in (survivor, absorbed):
        if Transfer.objects.filter(person=record, status=TransferStatus.SCHEDULED).exists():
            raise DomainError(
                _("%(number)s has a scheduled transfer: cancel it before merging, so the guard "
                  "can check the joined record.") % {"number": record.registry_number}
            )  # fmt: skip
        if record.exchange_entries.filter(status__in=("planned", "agreed")).exists():
            raise DomainError(
                _("%(number)s is on a live exchange batch: take him off it before merging, so "
                  "the guard can check the joined record.") % {"number": record.registry_number}
            )  # fmt: skip
    person_merge(actor=actor, survivor=survivor, absorbed=absorbed, reason=reason)
    case_services.merge_recorded(survivor=survivor, absorbed=absorbed, actor=actor, reason=reason)
    audit_record(
        actor=actor,
        action="person.merge_absorb",
        obj=survivor,
        person=survivor,
        changes={"absorbed": [None, absorbed.registry_number], "reason": [None, reason]},
    )
