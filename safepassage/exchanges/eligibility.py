"""Who of an agreement's pool may go on a batch, and why the others may not.

Every exclusion carries its reason. The non-refoulement guard (`cases.guard.guard_check`)
decides for each person we hand over; nothing here re-implements it.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.cases.guard import guard_check
from safepassage.cases.models import CaseState, Transfer, TransferStatus, WillExpression, Wish
from safepassage.exchanges.models import (
    LIVE_ENTRY,
    Agreement,
    Candidate,
    Entry,
    ExclusionReason,
    PriorityOrder,
    Side,
)

NOT_HELD = frozenset(
    [CaseState.TRANSFERRED, CaseState.CLOSED, CaseState.DECEASED, CaseState.RELEASED,
     CaseState.ESCAPED]
)  # fmt: skip
# The guard's rules, as the planner's reasons: destination, or transit state.
_GUARD_REASONS = {
    ("no_verified_will", False): ExclusionReason.NO_VERIFIED_WILL,
    ("undecided", False): ExclusionReason.NO_VERIFIED_WILL,
    ("refused_by_database", False): ExclusionReason.REFUSED_DESTINATION,
    ("refused", False): ExclusionReason.REFUSED_DESTINATION,
    ("refused", True): ExclusionReason.TRANSIT_RISK,
    ("high_risk", False): ExclusionReason.HIGH_RISK,
    ("high_risk", True): ExclusionReason.TRANSIT_RISK,
    ("onward_risk", False): ExclusionReason.HIGH_RISK,
    ("onward_risk", True): ExclusionReason.TRANSIT_RISK,
}


@dataclass(frozen=True)
class Reason:
    code: str
    detail: str


def route_of(agreement: Agreement, side: str) -> tuple[str, list[str]]:
    """Destination and transit of one side: ours go to the other party, theirs come to us."""
    transit = [c.code for c in agreement.transit]
    if side == Side.OURS:
        return agreement.other_party_country.code, transit
    return agreement.organisation.country.code, list(reversed(transit))


def guard_reasons(person, destination: str, transit: list[str]) -> list[Reason]:
    """The guard's verdict on one route, as exclusion reasons (empty: allowed)."""
    reasons = [
        Reason(_GUARD_REASONS[(v.rule, v.as_transit)], str(v))
        for v in guard_check(person=person, destination=destination, transit=transit)
    ]
    if not reasons:  # a refused destination already says more than "not his wish"
        reasons += _not_his_wish(person, destination)
    reasons += _later_refusals(person, [destination, *transit])
    return reasons


def _not_his_wish(person, destination: str) -> list[Reason]:
    """An exchange hands him to the other party: a repatriation in all but name (GC III Art. 118).
    Only a man whose verified will asks to go home, or names that state, goes; a state he did not
    refuse is not yet one he asked for, and whoever wants to go elsewhere leaves through a
    decision and a transfer, with its risk assessment. The detail never names his wish: the
    planner sees reasons, not destinations preferred."""
    will = person.case.governing_will
    if will is None or will.wish in (Wish.RETURN_TO_ORIGIN, Wish.UNDECIDED):
        return []  # going home; or no verified will or undecided, which the guard refuses
    if destination in {c.code for c in will.destinations_preferred}:
        return []
    return [
        Reason(
            ExclusionReason.NOT_HIS_WISH,
            _(
                "His verified will does not ask to go to %(code)s: an exchange would take him "
                "where he did not ask to go. His case goes through a decision and a transfer."
            )
            % {"code": destination},
        )
    ]


def _later_refusals(person, route: list[str]) -> list[Reason]:
    """A statement after the governing will that refuses the route: not verified, but no one
    is put on a bus over it; a verifier must interview him first."""
    governing = person.case.governing_will
    later = WillExpression.objects.filter(person=person, withdrawn_at__isnull=True)
    if governing is not None:
        later = later.filter(recorded_at__gte=governing.recorded_at).exclude(pk=governing.pk)
    reasons = []
    for will in later:
        refused = {c.code for c in will.destinations_refused} & set(route)
        if refused:
            reasons.append(
                Reason(
                    ExclusionReason.LATER_REFUSAL,
                    _(
                        "A statement after his verified will (record #%(id)s) refuses %(codes)s; "
                        "a neutral verifier must interview him in private first."
                    )
                    % {"id": will.pk, "codes": ", ".join(sorted(refused))},
                )  # fmt: skip
            )
    return reasons


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", text).strip()


def names_of(candidate: Candidate) -> set[str]:
    keys = {_key(candidate.external_id), _key(candidate.name)}
    if candidate.person is not None:
        keys.add(_key(candidate.person.registry_number))
        keys.update(_key(n.full_name) for n in candidate.person.names.all())
    keys.discard("")
    return keys


def resolve(lines: str, candidates: Iterable[Candidate]) -> tuple[dict[str, set[int]], list[str]]:
    """Match lines (registry numbers, ids or names) to candidates: {line: ids}, unresolved."""
    index: dict[str, set[int]] = {}
    for candidate in candidates:
        for key in names_of(candidate):
            index.setdefault(key, set()).add(candidate.pk)
    found: dict[str, set[int]] = {}
    unresolved = []
    for line in (line.strip() for line in lines.splitlines()):
        if not line:
            continue
        ids = index.get(_key(line))
        if ids:
            found[line] = ids
        else:
            unresolved.append(line)
    return found, unresolved


def priority_of(candidate: Candidate, order: str, today: datetime.date) -> int:
    """The third level of the objective; ours from the registry, theirs as their list says."""
    person = candidate.person
    if candidate.side != Side.OURS or person is None:
        return candidate.priority
    if order == PriorityOrder.CAPTIVITY and person.capture_date:
        return max(0, (today - person.capture_date).days)
    if order == PriorityOrder.AGE and person.birth_date:
        return max(0, (today - person.birth_date).days // 365)
    return 0


@dataclass
class PoolVerdict:
    eligible: list[Candidate]
    reasons: dict[int, list[Reason]]  # candidate id → why he is excluded
    groups: dict[int, str]  # candidate id → group label
    included: set[int]
    unresolved: list[str]


def pool_verdict(agreement: Agreement, *, batch_id: int | None = None) -> PoolVerdict:
    """Split the pool into the eligible and the excluded, with every reason."""
    candidates = list(
        agreement.candidates.select_related("person__case__governing_will").prefetch_related(
            "person__names"
        )
    )
    persons = [c.person_id for c in candidates if c.person_id]
    elsewhere = Entry.objects.filter(status__in=LIVE_ENTRY).exclude(batch_id=batch_id)
    busy_persons = set(elsewhere.filter(person_id__in=persons).values_list("person_id", flat=True))
    busy_candidates = set(
        elsewhere.filter(candidate__agreement=agreement).values_list("candidate_id", flat=True)
    )
    scheduled = set(
        Transfer.objects.filter(person_id__in=persons, status=TransferStatus.SCHEDULED)
        .values_list("person_id", flat=True)
    )  # fmt: skip
    named_out, unresolved_out = resolve(agreement.excluded, candidates)
    named_in, unresolved_in = resolve(agreement.included, candidates)
    excluded_ids = set().union(*named_out.values()) if named_out else set()
    included_ids = set().union(*named_in.values()) if named_in else set()
    reasons: dict[int, list[Reason]] = {}

    def exclude(candidate: Candidate, code: str, detail: str) -> None:
        reasons.setdefault(candidate.pk, []).append(Reason(code, detail))

    for c in candidates:
        if c.pk in excluded_ids:
            exclude(c, ExclusionReason.EXCLUDED_BY_AGREEMENT, _("Named for exclusion."))
        if c.pk in busy_candidates or (c.person_id and c.person_id in busy_persons):
            exclude(c, ExclusionReason.IN_ANOTHER_BATCH, _("He is on another live batch."))
        if not c.fit_to_travel:
            exclude(c, ExclusionReason.MEDICALLY_UNFIT, _("Medically unfit to travel."))
        if c.side != Side.OURS:
            continue
        person = c.person
        if person.merged_into_id is not None or person.case.state in NOT_HELD:
            exclude(c, ExclusionReason.NOT_HELD, _("He is no longer held (case: %(state)s).")
                    % {"state": person.case.get_state_display()})  # fmt: skip
            continue
        if person.pk in scheduled:
            exclude(c, ExclusionReason.IN_ANOTHER_BATCH, _("A transfer is scheduled for him."))
        destination, transit = route_of(agreement, c.side)
        for reason in guard_reasons(person, destination, transit):
            exclude(c, reason.code, reason.detail)
    groups: dict[int, str] = {}
    group_lines, unresolved_groups = [], []
    for number, line in enumerate(agreement.travel_together.splitlines(), start=1):
        members: set[int] = set()
        for part in line.split(","):
            found, missing = resolve(part, candidates)
            unresolved_groups += missing
            for ids in found.values():
                members |= ids
        if len(members) > 1:
            group_lines.append((f"G{number}", members))
    for label, members in group_lines:
        for pk in members:
            groups[pk] = label
        if any(pk in reasons for pk in members):
            bad = next(c for c in candidates if c.pk in members and c.pk in reasons)
            for c in candidates:
                if c.pk in members and c.pk not in reasons:
                    exclude(
                        c,
                        ExclusionReason.GROUP_MEMBER_EXCLUDED,
                        _("He travels with %(id)s, who is excluded.") % {"id": bad.external_id},
                    )
    eligible = [c for c in candidates if c.pk not in reasons]
    return PoolVerdict(
        eligible=eligible,
        reasons=reasons,
        groups=groups,
        included={pk for pk in included_ids if pk not in reasons},
        unresolved=unresolved_in + unresolved_out + unresolved_groups,
    )


def today() -> datetime.date:
    return timezone.localdate()
