"""Writes to exchanges: agreements, pools, planning, the batch workflow, handover, execution.

Each service checks the policy, locks the rows it changes (`select_for_update`), writes and
audits in one transaction. The non-refoulement guard runs over every entry of ours when it is
planned, at every step towards execution, at the handover and again at execution under the
case row locks; the database triggers (migration 0002) refuse what slips past all of them.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safepassage.access.policy import Action, require
from safepassage.access.visibility import live_persons_visible_to
from safepassage.audit.services import audit_record, created_changes
from safepassage.cases import services as case_services
from safepassage.cases.guard import (
    GuardFacts,
    database_guard,
    evaluate_movement,
    movement_source,
    will_details_for,
)
from safepassage.cases.models import (
    Case,
    CaseState,
    InterviewSetting,
    WillSource,
    Wish,
)
from safepassage.exchanges import planner, workflow
from safepassage.exchanges.eligibility import (
    entry_movement,
    guard_reasons,
    not_chosen_reason,
    pool_verdict,
    priority_of,
    route_of,
    today,
)
from safepassage.exchanges.models import (
    LIVE_ENTRY,
    Agreement,
    Batch,
    BatchState,
    Candidate,
    Category,
    Entry,
    EntryStatus,
    Exclusion,
    MatchMethod,
    RatioKind,
    Side,
)
from safepassage.exchanges.proposals import proposal_matcher, proposal_rows
from safepassage.exchanges.selectors import agreements_visible_to
from safepassage.lib.countries import country_code_of, country_codes
from safepassage.lib.errors import DomainError
from safepassage.registry.models import HealthStatus, Person
from safepassage.workflow.models import Trigger

AGREEMENT_FIELDS = (
    "title", "other_party", "other_party_country", "manifest_language", "ratio_kind",
    "ratio_ours", "ratio_theirs", "category_ratios", "max_per_side", "transport_capacity",
    "exchange_date", "transit", "priority_order", "travel_together", "included", "excluded",
)  # fmt: skip
OFFICER_WORDS = (
    "lieutenant", "captain", "major", "colonel", "general", "officer", "лейтенант", "капитан",
    "капітан", "майор", "полковник", "генерал", "소위", "중위", "상위", "대위", "소좌", "중좌",
    "상좌", "대좌", "소령", "중령", "대령", "장군",
)  # fmt: skip
TIME_LIMIT = 10.0


def _require(actor, action: Action, agreement: Agreement) -> None:
    """The policy's grant, on an agreement the actor may see (his own detaining power's)."""
    require(actor, action)
    if not agreements_visible_to(actor).filter(pk=agreement.pk).exists():
        raise PermissionDenied


# --- agreements -------------------------------------------------------------------------------


def _validate_agreement(values: dict) -> None:
    if not str(values.get("title", "")).strip():
        raise DomainError(_("Give the agreement a title."), field="title")
    if not str(values.get("other_party", "")).strip():
        raise DomainError(_("Name the other party."), field="other_party")
    if values.get("ratio_kind") not in RatioKind.values:
        raise DomainError(_("Choose N for M or all for all."), field="ratio_kind")
    for name in ("ratio_ours", "ratio_theirs"):
        if not isinstance(values.get(name), int) or not 1 <= values[name] <= 1000:
            raise DomainError(_("A ratio is a whole number from 1 to 1000."), field=name)
    ratios = values.get("category_ratios") or {}
    if not isinstance(ratios, dict):
        raise DomainError(_("Ratios per category are a mapping."), field="category_ratios")
    for category, pair in ratios.items():
        ok = (
            category in Category.values
            and isinstance(pair, list | tuple)
            and len(pair) == 2
            and all(isinstance(n, int) and 1 <= n <= 1000 for n in pair)
        )
        if not ok:
            raise DomainError(
                _("Write each category ratio as CATEGORY=N:M, with a known category (%(known)s).")
                % {"known": ", ".join(Category.values)},
                field="category_ratios",
            )
    if values["other_party_country"] in values.get("transit", []):
        raise DomainError(
            _("The other party's state cannot also be a transit state."), field="transit"
        )


def agreement_create(*, actor, exchange_date: datetime.date, **values) -> Agreement:
    """Record an exchange agreement of the actor's detaining power."""
    require(actor, Action.EXCHANGE_PLAN)
    values = {
        "manifest_language": "ru", "ratio_kind": RatioKind.RATIO, "ratio_ours": 1,
        "ratio_theirs": 1, "category_ratios": {}, "max_per_side": None,
        "transport_capacity": None, "priority_order": "captivity", "travel_together": "",
        "included": "", "excluded": "", **values,
    }  # fmt: skip
    unknown = set(values) - set(AGREEMENT_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    values["other_party_country"] = country_code_of(values.get("other_party_country"))
    if not values["other_party_country"]:
        raise DomainError(_("Choose the other party's state."), field="other_party_country")
    values["transit"] = country_codes(values.get("transit", []))
    values["category_ratios"] = {
        k: list(v) for k, v in (values.get("category_ratios") or {}).items()
    }
    _validate_agreement(values)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            organisation=actor.organisation, created_by=actor, exchange_date=exchange_date,
            **values,
        )  # fmt: skip
        audit_record(
            actor=actor, action="exchange.agreement.create", obj=agreement,
            changes=created_changes(agreement, AGREEMENT_FIELDS),
        )  # fmt: skip
    return agreement


def rules_of(agreement: Agreement) -> planner.Rules:
    ratio = None
    if agreement.ratio_kind == RatioKind.RATIO:
        ratio = (agreement.ratio_ours, agreement.ratio_theirs)
    return planner.Rules(
        ratio=ratio,
        category_ratios={k: (v[0], v[1]) for k, v in agreement.category_ratios.items()},
        max_per_side=agreement.max_per_side,
        capacity=agreement.transport_capacity,
    )


# --- pools ------------------------------------------------------------------------------------


def category_of(person: Person) -> str:
    if person.health_status in (HealthStatus.SERIOUSLY_WOUNDED_OR_SICK, HealthStatus.WOUNDED):
        return Category.WOUNDED
    rank = person.rank.casefold()
    if any(word in rank for word in OFFICER_WORDS):
        return Category.OFFICER
    return Category.CONSCRIPT


def _candidate_of(agreement: Agreement, person: Person, actor, **fields) -> Candidate:
    name = person.primary_name
    return Candidate(
        agreement=agreement, side=Side.OURS, person=person,
        external_id=person.registry_number, name=name.full_name if name else "",
        category=category_of(person), seriously_wounded=person.is_seriously_wounded_or_sick,
        match_method=MatchMethod.REGISTRY, added_by=actor, **fields,
    )  # fmt: skip


def pool_add_registry(*, actor, agreement: Agreement) -> int:
    """Add every person the actor's detaining power still holds to our side of the pool."""
    _require(actor, Action.EXCHANGE_PLAN, agreement)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        present = set(agreement.candidates.values_list("person_id", flat=True))
        persons = (
            live_persons_visible_to(actor)
            .exclude(case__state__in=[CaseState.TRANSFERRED, CaseState.CLOSED,
                                      CaseState.DECEASED, CaseState.RELEASED,
                                      CaseState.ESCAPED])
            .prefetch_related("names")
        )  # fmt: skip
        added = [_candidate_of(agreement, p, actor) for p in persons if p.pk not in present]
        Candidate.objects.bulk_create(added)
        audit_record(
            actor=actor, action="exchange.pool.add_registry", obj=agreement,
            changes={"candidates": [len(present), len(present) + len(added)]},
        )  # fmt: skip
    return len(added)


def candidate_update(*, actor, candidate: Candidate, fit_to_travel: bool, category: str):
    """Correct what the registry cannot know: fitness to travel today, the category."""
    _require(actor, Action.EXCHANGE_PLAN, candidate.agreement)
    if category not in Category.values:
        raise DomainError(_("Choose a known category."), field="category")
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        before = {"fit_to_travel": candidate.fit_to_travel, "category": candidate.category}
        candidate.fit_to_travel, candidate.category = fit_to_travel, category
        candidate.save(update_fields=["fit_to_travel", "category"])
        after = {"fit_to_travel": fit_to_travel, "category": category}
        audit_record(
            actor=actor, action="exchange.candidate.update", obj=candidate,
            person=candidate.person,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )  # fmt: skip
    return candidate


# --- planning ---------------------------------------------------------------------------------


def _solver_summary(result: planner.Plan, unresolved: list[str]) -> dict:
    return {
        "optimal": result.optimal,
        "gap": result.gap,
        "seconds": round(result.seconds, 3),
        "levels": [
            {"name": lv.name, "value": lv.value, "bound": lv.bound, "optimal": lv.optimal}
            for lv in result.levels
        ],
        "unresolved": unresolved,
    }


def _infeasible(candidates: list[planner.Candidate], rules: planner.Rules, *, timed_out: bool):
    """Why no plan keeps the agreement, in words that say what to change."""
    if timed_out:
        return _(
            "The planner found no plan within its time limit of %(s)s seconds. Plan again; if "
            "it happens again, name fewer persons for inclusion or split large groups."
        ) % {"s": int(TIME_LIMIT)}
    named = {side: sum(1 for c in candidates if c.include and c.side == side)
             for side in planner.SIDES}  # fmt: skip
    if rules.max_per_side is not None and max(named.values()) > rules.max_per_side:
        return ngettext(
            "No plan satisfies the agreement's limits: %(n)s person of one side is named for "
            "inclusion, more than its maximum of %(max)s per side. Name fewer, or raise the "
            "maximum.",
            "No plan satisfies the agreement's limits: %(n)s persons of one side are named for "
            "inclusion, more than its maximum of %(max)s per side. Name fewer, or raise the "
            "maximum.",
            max(named.values()),
        ) % {"n": max(named.values()), "max": rules.max_per_side}
    if rules.capacity is not None and sum(named.values()) > rules.capacity:
        return ngettext(
            "No plan satisfies the agreement's limits: %(n)s person is named for inclusion, "
            "more than the %(seats)s seats of the transport. Name fewer, or raise the capacity.",
            "No plan satisfies the agreement's limits: %(n)s persons are named for inclusion, "
            "more than the %(seats)s seats of the transport. Name fewer, or raise the capacity.",
            sum(named.values()),
        ) % {"n": sum(named.values()), "seats": rules.capacity}
    return _(
        "No plan satisfies the agreement's limits: the persons named for inclusion and the "
        "groups that travel together cannot be balanced by the ratios within the maximum and "
        "the capacity. Take someone off the named inclusions, split a group, or change the "
        "ratio, the maximum or the capacity."
    )


def batch_plan(*, actor, agreement: Agreement, batch: Batch | None = None) -> Batch:
    """Plan the best batch of the pool: a new draft, or again for a draft or counter-proposal.

    Exact (CP-SAT, lexicographic: seriously wounded or sick, persons, priority). Every
    candidate left out gets his reasons; the guard decides for each of ours.
    """
    _require(actor, Action.EXCHANGE_PLAN, agreement)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if batch is None:
            last = agreement.batches.order_by("-number").values_list("number", flat=True).first()
            batch = Batch.objects.create(
                agreement=agreement, number=(last or 0) + 1, created_by=actor
            )
            audit_record(actor=actor, action="exchange.batch.create", obj=batch,
                         changes={"state": [None, batch.state]})  # fmt: skip
        else:
            batch = Batch.objects.select_for_update().get(pk=batch.pk, agreement=agreement)
            if batch.state not in workflow.PLANNABLE:
                raise DomainError(
                    _("A batch that is “%(state)s” is not planned again; it was sent to the "
                      "other party. Record their counter-proposal first.")
                    % {"state": batch.get_state_display()}
                )  # fmt: skip
        old = sorted(batch.entries.filter(status=EntryStatus.PLANNED)
                     .values_list("candidate__external_id", flat=True))  # fmt: skip
        batch.entries.filter(status=EntryStatus.PLANNED).delete()
        batch.exclusions.all().delete()
        verdict = pool_verdict(agreement, batch_id=batch.pk, reader=actor)
        day = today()
        by_pk = {c.pk: c for c in verdict.eligible}
        plan_candidates = [
            planner.Candidate(
                side=c.side,
                id=str(c.pk),
                category=c.category,
                priority=priority_of(c, agreement.priority_order, day),
                seriously_wounded=c.seriously_wounded,
                group=verdict.groups.get(c.pk, ""),
                include=c.pk in verdict.included,
                direct_repatriation=c.pk in verdict.direct,
            )  # fmt: skip
            for c in verdict.eligible
        ]
        rules = rules_of(agreement)
        try:
            result = planner.plan(plan_candidates, rules, time_limit=TIME_LIMIT)
        except planner.PlanInfeasible as exc:
            why = _infeasible(plan_candidates, rules, timed_out=exc.timed_out)
            raise DomainError(why) from None
        chosen = {int(c.id) for c in result.chosen}
        entries = []
        for pk in sorted(chosen):
            candidate = by_pk[pk]
            destination, transit = route_of(agreement, candidate.side)
            if pk in verdict.movements:  # ours: the guard's route, on to his origin if need be
                movement = verdict.movements[pk]
                destination, transit = movement.destination, list(movement.transit)
            entries.append(Entry(
                batch=batch, candidate=candidate, side=candidate.side, person=candidate.person,
                destination=destination, transit=transit,
            ))  # fmt: skip
        exclusions = [
            Exclusion(batch=batch, candidate_id=pk, reason=r.code, detail=r.detail)
            for pk, rs in verdict.reasons.items()
            for r in rs
        ]
        on_batch = [by_pk[pk] for pk in chosen]
        for c in verdict.eligible:
            if c.pk not in chosen:
                why = not_chosen_reason(c, rules=rules, chosen=on_batch, eligible=verdict.eligible,
                                        group=verdict.groups.get(c.pk, ""))  # fmt: skip
                exclusions.append(
                    Exclusion(batch=batch, candidate=c, reason=why.code, detail=why.detail)
                )
        for entry in entries:
            if entry.side == Side.OURS:
                case_services.clearances_write(entry.person)
        with database_guard(reader=actor):
            Entry.objects.bulk_create(entries)
        Exclusion.objects.bulk_create(exclusions)
        batch.solver = _solver_summary(result, verdict.unresolved)
        batch.planned_at = timezone.now()
        batch.save(update_fields=["solver", "planned_at"])
        new = sorted(by_pk[pk].external_id for pk in chosen)
        audit_record(
            actor=actor, action="exchange.batch.plan", obj=batch,
            changes={"entries": [old, new], "optimal": [None, result.optimal]},
        )  # fmt: skip
        for entry in entries:
            if entry.side == Side.OURS:
                audit_record(actor=actor, action="exchange.entry.plan", obj=entry,
                             person=entry.person,
                             changes={"status": [None, entry.status],
                                      "destination": [None, entry.destination.code]})  # fmt: skip
    return batch


def _save_guarded(entry: Entry, fields: list[str], actor) -> None:
    """Save; the database triggers are the last line: their refusal becomes the guard's."""
    if entry.side == Side.OURS:
        case_services.clearances_write(entry.person)
    with database_guard(reader=actor, person=entry.person):
        entry.save(update_fields=fields)


@movement_source
def _entries_call_off(*, person, facts: GuardFacts, actor, reason: str) -> None:
    """Take off its batch every live entry of his that his facts no longer allow (a new will,
    an assessment, a merge), with the guard's reasons: no one stays planned across a blocked
    state."""
    entries = Entry.objects.select_for_update().filter(
        person=person, side=Side.OURS, status__in=LIVE_ENTRY
    ).select_related("batch__agreement")  # fmt: skip
    details = will_details_for(actor, person)
    for entry in entries:
        violations = evaluate_movement(facts, entry_movement(entry))
        if violations:
            why = "; ".join(dict.fromkeys(v.text(will_details=details) for v in violations))
            _remove(actor, entry, f"{reason} {why}")


# --- the workflow -----------------------------------------------------------------------------


def _lock_batch(batch: Batch) -> Batch:
    return (
        Batch.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=batch.pk)
    )


def _guard_all(batch: Batch, actor) -> None:
    """Run the guard over every live entry of ours, holding his case row; refuse with all."""
    problems = []
    entries = (
        batch.entries.filter(side=Side.OURS, status__in=LIVE_ENTRY)
        .select_related("person__case__governing_will")
        .order_by("person_id")
    )
    for entry in entries:
        Case.objects.select_for_update().get(person_id=entry.person_id)
        for reason in guard_reasons(entry.person, entry_movement(entry), reader=actor):
            problems.append(f"{entry.person.registry_number}: {reason.detail}")
    if problems:
        raise DomainError(
            _("Non-refoulement guard: remove these entries first. %(list)s")
            % {"list": " ".join(problems)}
        )


def batch_step(*, actor, batch: Batch, target: str, reason: str) -> Batch:
    """Take a workflow step. Towards proposal, agreement and execution the guard re-runs."""
    if target == BatchState.EXECUTED:
        return batch_execute(actor=actor, batch=batch, reason=reason)
    _require(actor, Action.EXCHANGE_PLAN, batch.agreement)
    with transaction.atomic():
        batch = _lock_batch(batch)
        if target in workflow.GUARDED_TARGETS:
            _guard_all(batch, actor)
        row = workflow.transition_apply(batch=batch, target=target, actor=actor, reason=reason)
        audit_record(actor=actor, action="exchange.batch.transition", obj=batch,
                     changes={"state": [row.from_state, row.to_state],
                              "reason": [None, row.reason]})  # fmt: skip
        live = batch.entries.filter(status__in=LIVE_ENTRY)
        if target == BatchState.AGREED:
            for entry in live.select_related("person"):
                entry.status = EntryStatus.AGREED
                _save_guarded(entry, ["status"], actor)
        elif target == BatchState.CANCELLED:
            for entry in live.select_related("person"):
                _remove(actor, entry, _("The batch was cancelled: %(r)s") % {"r": reason})
    return batch


def _remove(actor, entry: Entry, reason: str) -> None:
    before = entry.status
    entry.status = EntryStatus.REMOVED
    entry.removed_reason = reason.strip()
    entry.save(update_fields=["status", "removed_reason"])
    audit_record(
        actor=actor,
        action="exchange.entry.remove",
        obj=entry,
        person=entry.person,
        changes={"status": [before, entry.status], "reason": [None, entry.removed_reason]},
    )


def _lock_entry(entry: Entry) -> tuple[Batch, Entry]:
    batch = _lock_batch(entry.batch)
    entry = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("person", "candidate")
        .get(pk=entry.pk)
    )
    return batch, entry


def entry_remove(*, actor, entry: Entry, reason: str) -> Entry:
    """Take one entry off a batch that is not yet executed. The person stays where he is."""
    _require(actor, Action.EXCHANGE_PLAN, entry.batch.agreement)
    if not reason.strip():
        raise DomainError(_("Give a reason for taking him off the batch."), field="reason")
    with transaction.atomic():
        batch, entry = _lock_entry(entry)
        if batch.state in (BatchState.EXECUTED, BatchState.CANCELLED):
            raise DomainError(_("This batch is closed; its entries no longer change."))
        if entry.status not in LIVE_ENTRY:
            raise DomainError(_("This entry is already off the batch."))
        _remove(actor, entry, reason)
    return entry


def entry_handover_confirm(*, actor, entry: Entry) -> Entry:
    """At the handover point: he is here, he is who the manifest says, and he goes."""
    _require(actor, Action.EXCHANGE_PLAN, entry.batch.agreement)
    with transaction.atomic():
        batch, entry = _lock_entry(entry)
        if batch.state != BatchState.AGREED or entry.status != EntryStatus.AGREED:
            raise DomainError(_("Only an entry of an agreed batch is confirmed at the handover."))
        if entry.handover_confirmed_at is not None:
            raise DomainError(_("This entry is already confirmed."))
        if entry.side == Side.OURS:
            Case.objects.select_for_update().get(person_id=entry.person_id)
            reasons = guard_reasons(entry.person, entry_movement(entry), reader=actor)
            if reasons:
                raise DomainError(
                    _("Non-refoulement guard: he may not go. %(why)s Take him off the batch.")
                    % {"why": " ".join(r.detail for r in reasons)}
                )
        entry.handover_confirmed_at = timezone.now()
        entry.handover_confirmed_by = actor
        _save_guarded(entry, ["handover_confirmed_at", "handover_confirmed_by"], actor)
        audit_record(
            actor=actor,
            action="exchange.entry.handover",
            obj=entry,
            person=entry.person,
            changes={"handover_confirmed": [False, True]},
        )
    return entry


def entry_refusal_record(
    *,
    actor,
    entry: Entry,
    statement: str,
    certainty: int = 100,
    source: str = WillSource.OFFICIAL_INTERVIEW,
    setting: str = InterviewSetting.WITNESSED,
    present: str = "",
    interpreter: str = "",
    language: str = "",
):
    """He refuses at the last moment: off the batch, he stays, and his words are kept.

    The statement is recorded as a will expression refusing the batch's destination (through
    `cases.services.will_expression_record`: verified only if a neutral verifier heard him in
    private). Until then the planner keeps him off every batch to that destination.
    """
    _require(actor, Action.EXCHANGE_REFUSAL, entry.batch.agreement)
    if not statement.strip():
        raise DomainError(_("Write down what he said."), field="statement")
    with transaction.atomic():
        batch, entry = _lock_entry(entry)
        if entry.side != Side.OURS:
            raise DomainError(_("Only a person we hand over can refuse here."))
        if batch.state in (BatchState.EXECUTED, BatchState.CANCELLED):
            raise DomainError(_("This batch is closed; its entries no longer change."))
        if entry.status not in LIVE_ENTRY:
            raise DomainError(_("This entry is already off the batch."))
        _remove(actor, entry, _("He refused at the handover."))
        will = case_services.will_expression_record(
            actor=actor, person=entry.person, expressed_on=timezone.localdate(), source=source,
            setting=setting, wish=Wish.UNDECIDED, certainty=certainty,
            destinations_refused=[entry.destination.code], statement=statement, present=present,
            interpreter=interpreter, language=language,
        )  # fmt: skip
    return entry, will


def batch_execute(*, actor, batch: Batch, reason: str) -> Batch:
    """The exchange happened. The guard runs again for each of ours under his case row lock;
    each gets an executed exchange `Transfer` and his case moves to "transferred"."""
    _require(actor, Action.EXCHANGE_PLAN, batch.agreement)
    with transaction.atomic():
        batch = _lock_batch(batch)
        if batch.state != BatchState.AGREED:
            raise DomainError(_("Only an agreed batch is executed."))
        _guard_all(batch, actor)
        row = workflow.transition_apply(
            batch=batch, target=BatchState.EXECUTED, actor=actor, reason=reason,
            trigger=Trigger.SERVICE,
        )  # fmt: skip
        agreement = batch.agreement
        for entry in batch.entries.filter(status=EntryStatus.AGREED).select_related("person"):
            if entry.side == Side.OURS:
                entry.transfer = case_services.exchange_executed_record(
                    actor=actor, person=entry.person, movement=entry_movement(entry),
                    scheduled_for=agreement.exchange_date,
                    reason=_("Exchanged to %(code)s in %(batch)s.")
                    % {"code": agreement.other_party_country.code, "batch": batch},
                )  # fmt: skip
            entry.status = EntryStatus.EXECUTED
            # His case is "transferred" by now: his clearances, still what the entry was
            # checked against, are dropped once the entry is executed (below).
            with database_guard(reader=actor, person=entry.person):
                entry.save(update_fields=["status", "transfer"])
            if entry.side == Side.OURS:
                case_services.clearances_write(entry.person)
            audit_record(
                actor=actor,
                action="exchange.entry.execute",
                obj=entry,
                person=entry.person,
                changes={"status": [EntryStatus.AGREED, EntryStatus.EXECUTED]},
            )
        audit_record(actor=actor, action="exchange.batch.transition", obj=batch,
                     changes={"state": [row.from_state, row.to_state],
                              "reason": [None, row.reason]})  # fmt: skip
    return batch


# --- the other side's proposal ----------------------------------------------------------------


@dataclass
class ImportResult:
    added: int = 0
    requested: int = 0
    unmatched: list[str] = field(default_factory=list)
    method: str = ""


def proposal_import(*, actor, agreement: Agreement, path, name: str) -> ImportResult:
    """Import the other side's proposal: the persons they hand over (side theirs) and those
    they ask us for (side ours, matched to persons we hold). All rows or none."""
    _require(actor, Action.EXCHANGE_PLAN, agreement)
    rows = proposal_rows(path, name)
    match, method = proposal_matcher(actor)
    result = ImportResult(method=method)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        ours = {c.person_id: c for c in agreement.candidates.filter(side=Side.OURS)}
        theirs = set(agreement.candidates.filter(side=Side.THEIRS)
                     .values_list("external_id", flat=True))  # fmt: skip
        for row in rows:
            person, how, score = match(row)
            if row["side"] == Side.OURS:
                if person is None:
                    result.unmatched.append(
                        _("row %(row)s (%(id)s %(name)s): asked for, but matches no one we "
                          "hold") % {"row": row["number"], "id": row["id"], "name": row["name"]}
                    )  # fmt: skip
                    continue
                candidate = ours.get(person.pk)
                if candidate is None:
                    candidate = _candidate_of(agreement, person, actor)
                    candidate.requested_by_other_party = True
                    candidate.match_method, candidate.match_score = how, score
                    candidate.save()
                    ours[person.pk] = candidate
                    result.added += 1
                elif not candidate.requested_by_other_party:
                    candidate.requested_by_other_party = True
                    candidate.save(update_fields=["requested_by_other_party"])
                result.requested += 1
                continue
            if row["id"] in theirs:
                raise DomainError(
                    _("%(file)s row %(row)s, field id: “%(id)s” is already in the pool.")
                    % {"file": name, "row": row["number"], "id": row["id"]}
                )
            Candidate.objects.create(
                agreement=agreement, side=Side.THEIRS, external_id=row["id"], name=row["name"],
                category=row["category"], seriously_wounded=row["seriously_wounded"],
                fit_to_travel=row["fit_to_travel"], priority=row["priority"],
                match_method=how, match_score=score, person=person, added_by=actor,
            )  # fmt: skip
            theirs.add(row["id"])
            result.added += 1
        audit_record(
            actor=actor, action="exchange.pool.import", obj=agreement,
            changes={"file": [None, name], "rows": [None, len(rows)],
                     "added": [None, result.added], "requested": [None, result.requested]},
        )  # fmt: skip
    return result
