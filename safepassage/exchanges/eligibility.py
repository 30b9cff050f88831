"""Who of an agreement's pool may go on a batch, and why the others may not.

Every exclusion carries its reason. The non-refoulement guard (`cases.guard.evaluate_movement`)
decides for each person we hand over — held, willing, every state of the route cleared; nothing
here re-implements it.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safepassage.cases.guard import (
    WILL_RULES,
    GuardFacts,
    Movement,
    Violation,
    evaluate_movement,
    exchange_movement,
    guard_facts,
    will_details_for,
)
from safepassage.cases.models import Transfer, TransferStatus
from safepassage.exchanges.models import (
    LIVE_ENTRY,
    Agreement,
    Candidate,
    Entry,
    ExclusionReason,
    PriorityOrder,
    Side,
)
from safepassage.medical.selectors import direct_repatriation_persons

# The guard's rules as the planner's reasons: (rule, as a transit state).
_TRANSIT_OR_DESTINATION = {
    "refused": (ExclusionReason.TRANSIT_RISK, ExclusionReason.REFUSED_DESTINATION),
    "high_risk": (ExclusionReason.TRANSIT_RISK, ExclusionReason.HIGH_RISK),
    "onward_risk": (ExclusionReason.TRANSIT_RISK, ExclusionReason.HIGH_RISK),
}
_REASONS = {
    "merged": ExclusionReason.NOT_HELD,
    "not_held": ExclusionReason.NOT_HELD,
    "not_notified": ExclusionReason.CASE_NOT_READY,
    "no_verified_will": ExclusionReason.NO_VERIFIED_WILL,
    "undecided": ExclusionReason.NO_VERIFIED_WILL,
    "later_statement": ExclusionReason.LATER_REFUSAL,
    "origin_unknown": ExclusionReason.ORIGIN_UNKNOWN,
    "not_origin": ExclusionReason.NOT_HIS_WISH,
    "not_his_wish": ExclusionReason.NOT_HIS_WISH,
    "not_assessed": ExclusionReason.NOT_CLEARED,
    "risk_unknown": ExclusionReason.NOT_CLEARED,
    "onward_blocked": ExclusionReason.NOT_CLEARED,
    "onward_blocked_by_will": ExclusionReason.NOT_CLEARED,
    "refused_by_database": ExclusionReason.NOT_CLEARED,
}


@dataclass(frozen=True)
class Reason:
    code: str
    detail: str


def route_of(agreement: Agreement, side: str) -> tuple[str, list[str]]:
    """Destination and transit as the agreement draws them: ours go to the other party, theirs
    come to us. For ours the guard's route may go further (`movement_of`)."""
    transit = [c.code for c in agreement.transit]
    if side == Side.OURS:
        return agreement.other_party_country.code, transit
    return agreement.organisation.country.code, list(reversed(transit))


def movement_of(agreement: Agreement, facts: GuardFacts) -> Movement:
    """The movement an entry of ours is: handed to the other party, and on to his origin when
    that state is not his own (`cases.guard.exchange_movement`)."""
    other_party, transit = route_of(agreement, Side.OURS)
    return exchange_movement(facts, other_party, transit)


def entry_movement(entry: Entry) -> Movement:
    return Movement(
        "exchange", entry.destination.code, tuple(entry.transit_codes),
        handed_to=entry.batch.agreement.other_party_country.code,
    )  # fmt: skip


def _reason(violation: Violation, will_details: bool) -> Reason:
    detail = violation.text(will_details=will_details)
    if not will_details and violation.rule in WILL_RULES:
        return Reason(ExclusionReason.ROUTE_BLOCKED, detail)
    pair = _TRANSIT_OR_DESTINATION.get(violation.rule)
    code = pair[0 if violation.as_transit else 1] if pair else _REASONS[violation.rule]
    return Reason(code, detail)


def guard_reasons(
    person, movement: Movement, *, reader=None, facts: GuardFacts | None = None
) -> list[Reason]:
    """The guard's verdict on one movement as exclusion reasons (empty: allowed), in the words
    `reader` may read."""
    facts = guard_facts(person) if facts is None else facts
    details = will_details_for(reader, person)
    reasons: list[Reason] = []
    for violation in evaluate_movement(facts, movement):
        reason = _reason(violation, details)
        if reason not in reasons:
            reasons.append(reason)
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
    movements: dict[int, Movement] = field(default_factory=dict)
    # Eligible candidates of ours on the direct-repatriation track (a commission's finding and
    # his verified consent): planned outside the ratio.
    direct: set[int] = field(default_factory=set)


def pool_verdict(agreement: Agreement, *, batch_id: int | None = None, reader=None) -> PoolVerdict:
    """Split the pool into the eligible and the excluded, with every reason; `movements` holds
    the guard's movement of each eligible person of ours."""
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
    movements: dict[int, Movement] = {}

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
        if person.pk in scheduled:
            exclude(c, ExclusionReason.IN_ANOTHER_BATCH, _("A transfer is scheduled for him."))
        facts = guard_facts(person)
        movements[c.pk] = movement_of(agreement, facts)
        for reason in guard_reasons(person, movements[c.pk], reader=reader, facts=facts):
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
    on_track = direct_repatriation_persons(c.person_id for c in eligible if c.side == Side.OURS)
    return PoolVerdict(
        eligible=eligible,
        reasons=reasons,
        groups=groups,
        included={pk for pk in included_ids if pk not in reasons},
        unresolved=unresolved_in + unresolved_out + unresolved_groups,
        movements=movements,
        direct={c.pk for c in eligible if c.side == Side.OURS and c.person_id in on_track},
    )


def today() -> datetime.date:
    return timezone.localdate()


def _other(side: str) -> str:
    return Side.THEIRS if side == Side.OURS else Side.OURS


def not_chosen_reason(
    candidate: Candidate,
    *,
    rules,
    chosen: Iterable[Candidate],
    eligible: Iterable[Candidate],
    group: str = "",
) -> Reason:
    """Why the planner left out an eligible candidate: the limit of the agreement that binds
    for him in the plan it found (`rules` are the planner's `Rules`), and what would change it."""
    chosen, eligible = list(chosen), list(eligible)
    side, other = candidate.side, _other(candidate.side)
    on = {s: sum(1 for c in chosen if c.side == s) for s in (Side.OURS, Side.THEIRS)}
    may_go = {s: sum(1 for c in eligible if c.side == s) for s in (Side.OURS, Side.THEIRS)}
    if rules.ratio is not None and may_go[other] == 0:
        if side == Side.OURS:
            detail = _(
                "No one of theirs may go, and the ratio needs someone from both sides. Import "
                "the other side's list (or correct it), then plan again."
            )
        else:
            detail = _(
                "No one of ours may go, and the ratio needs someone from both sides. Add the "
                "persons we hold to the pool, or wait until one of them may go, then plan again."
            )
        return Reason(ExclusionReason.OTHER_SIDE_EMPTY, detail)
    if rules.max_per_side is not None and on[side] >= rules.max_per_side:
        return Reason(
            ExclusionReason.MAXIMUM_REACHED,
            ngettext(
                "The agreement allows at most %(n)s per side, and %(n)s is on the batch.",
                "The agreement allows at most %(n)s per side, and %(n)s are on the batch.",
                rules.max_per_side,
            )
            % {"n": rules.max_per_side},
        )
    if rules.capacity is not None and on[Side.OURS] + on[Side.THEIRS] >= rules.capacity:
        return Reason(
            ExclusionReason.CAPACITY_FULL,
            ngettext(
                "The %(n)s seat of the transport is taken.",
                "All %(n)s seats of the transport are taken.",
                rules.capacity,
            )
            % {"n": rules.capacity},
        )
    ratio = rules.category_ratios.get(candidate.category)
    if ratio is not None:
        others = [c for c in eligible if c.side == other and c.category == candidate.category]
        if all(c in chosen for c in others):
            return Reason(
                ExclusionReason.CATEGORY_RATIO_REACHED,
                _(
                    "The ratio %(ours)s:%(theirs)s for this category is reached: the other side "
                    "has no one else of it who may go."
                )
                % {"ours": ratio[0], "theirs": ratio[1]},
            )
    if rules.ratio is not None:
        values = {"ours": rules.ratio[0], "theirs": rules.ratio[1], "n": on[Side.OURS],
                  "m": on[Side.THEIRS]}  # fmt: skip
        if on[other] == may_go[other]:
            detail = _(
                "The ratio %(ours)s:%(theirs)s is reached: everyone of the other side who may "
                "go is on the batch (%(n)s of ours, %(m)s of theirs)."
            )
        else:
            detail = _(
                "The ratio %(ours)s:%(theirs)s is reached: %(n)s of ours and %(m)s of theirs "
                "are on the batch, and one more would unbalance it."
            )
        return Reason(ExclusionReason.RATIO_REACHED, detail % values)
    if ratio is not None:
        return Reason(
            ExclusionReason.CATEGORY_RATIO_REACHED,
            _("The ratio %(ours)s:%(theirs)s for this category leaves no room for him.")
            % {"ours": ratio[0], "theirs": ratio[1]},
        )
    if group:
        return Reason(
            ExclusionReason.GROUP_DOES_NOT_FIT,
            _("He travels with group %(group)s, and the whole group does not fit.")
            % {"group": group},
        )
    return Reason(
        ExclusionReason.NOT_CHOSEN,
        _("The agreement's limits left no room; others ranked higher."),
    )
