"""Writes of visits: planning, the team, the list of persons to see, the steps, interviews and
the confidential report. Each runs in one transaction, asks the policy for this visit
(`can_on_visit`) and appends audit events."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, can_on_visit, can_see_place, require
from safepassage.accounts.models import OrganisationKind
from safepassage.audit.services import audit_record, changes_between, created_changes
from safepassage.cases.models import (
    INTERVIEW_CIRCUMSTANCES,
    CaseState,
    InterpreterAffiliation,
    InterviewSetting,
    WillExpression,
    WillSource,
)
from safepassage.cases.services import interview_circumstances_validate, will_expression_record
from safepassage.lib.errors import DomainError
from safepassage.registry.models import Person, Place
from safepassage.visits.models import (
    Interview,
    InterviewOutcome,
    PersonToSee,
    SeeReason,
    TeamMember,
    TeamRole,
    Visit,
    VisitState,
)
from safepassage.visits.workflow import VISITS
from safepassage.workflow.models import Trigger

VISIT_FIELDS = ("place", "starts_on", "ends_on")
INTERVIEW_FIELDS = ("person", "outcome", "held_on", *INTERVIEW_CIRCUMSTANCES)
# A verified will older than this is due for a follow-up interview: he may have changed his mind.
FOLLOW_UP_AFTER_DAYS = 90
# Where a man's case has left the place: nobody to see.
_GONE = (
    CaseState.TRANSFERRED, CaseState.CLOSED, CaseState.DECEASED, CaseState.RELEASED,
    CaseState.ESCAPED,
)  # fmt: skip
# Interviews are recorded while the visit is under way, and afterwards until the report goes.
_INTERVIEWS_OPEN = (VisitState.UNDER_WAY, VisitState.COMPLETED)


@dataclass
class TeamInput:
    role: str
    user: object | None = None  # a user of the visiting organisation
    name: str = ""
    affiliation: str = ""


@dataclass
class WillInput:
    """What he said, for `will_expression_record`: the interview gives the rest."""

    wish: str
    certainty: int
    destinations_preferred: Sequence[str] = field(default_factory=list)
    destinations_refused: Sequence[str] = field(default_factory=list)
    statement: str = ""


def _require_on(actor, action: Action, visit: Visit) -> None:
    if not can_on_visit(actor, action, visit):
        raise PermissionDenied


def _lock(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("place").get(pk=visit.pk)


def _check_dates(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on < starts_on:
        raise DomainError(_("The last day is before the first day."), field="ends_on")


def _team_member_build(actor, visit: Visit, member: TeamInput) -> TeamMember:
    if member.role not in TeamRole.values:
        raise DomainError(_("Choose the role in the team from the list."), field="role")
    name = member.name.strip()
    if member.user is None and not name:
        raise DomainError(_("Choose a colleague or write the member's name."), field="name")
    if member.user is not None and member.user.organisation_id != actor.organisation_id:
        raise DomainError(_("A colleague of the team belongs to your organisation."), field="user")
    affiliation = member.affiliation or ""
    if affiliation not in InterpreterAffiliation.values:
        raise DomainError(_("Choose whose the interpreter is from the list."), field="affiliation")
    if affiliation and member.role != TeamRole.INTERPRETER:
        raise DomainError(_("Only an interpreter's organisation is recorded."), field="affiliation")
    return TeamMember(
        visit=visit, user=member.user, name=name[:200], role=member.role, affiliation=affiliation
    )


def _team_add(actor, visit: Visit, member: TeamInput) -> TeamMember:
    created = _team_member_build(actor, visit, member)
    created.save()
    audit_record(
        actor=actor,
        action="visit.team_add",
        obj=visit,
        changes={
            "role": [None, created.role],
            "user": [None, created.user_id],
            "affiliation": [None, created.affiliation],
        },
    )
    return created


def visit_plan(
    *,
    actor,
    place: Place,
    starts_on: datetime.date,
    ends_on: datetime.date,
    team: Iterable[TeamInput] = (),
) -> Visit:
    """Plan a visit of the actor's organisation (the neutral verifier) to `place`."""
    require(actor, Action.VISIT_PLAN)
    if actor.organisation.kind != OrganisationKind.NEUTRAL_VERIFIER or not can_see_place(
        actor, place
    ):
        raise PermissionDenied
    _check_dates(starts_on, ends_on)
    with transaction.atomic():
        visit = Visit.objects.create(
            place=place,
            organisation=actor.organisation,
            starts_on=starts_on,
            ends_on=ends_on,
            planned_by=actor,
        )
        audit_record(
            actor=actor,
            action="visit.plan",
            obj=visit,
            changes=created_changes(visit, VISIT_FIELDS),
        )
        for member in team:
            _team_add(actor, visit, member)
    return visit


def visit_team_add(*, actor, visit: Visit, member: TeamInput) -> TeamMember:
    """Add one member to the team, before the report is shared."""
    _require_on(actor, Action.VISIT_PLAN, visit)
    with transaction.atomic():
        locked = _lock(visit)
        if locked.state == VisitState.REPORT_SHARED:
            raise DomainError(_("The visit is over and its report shared."))
        return _team_add(actor, locked, member)


def visit_team_remove(*, actor, member: TeamMember) -> None:
    """Take one member off the team of a visit not yet under way."""
    _require_on(actor, Action.VISIT_PLAN, member.visit)
    with transaction.atomic():
        locked = _lock(member.visit)
        if locked.state not in (VisitState.PLANNED, VisitState.ANNOUNCED):
            raise DomainError(_("The team of a visit under way or over stays as it was."))
        audit_record(
            actor=actor,
            action="visit.team_remove",
            obj=locked,
            changes={"role": [member.role, None], "user": [member.user_id, None]},
        )
        member.delete()


def visit_step(*, actor, visit: Visit, target: str, reason: str = "") -> Visit:
    """Take the visit's next step (announce, start, complete, share the report)."""
    _require_on(actor, Action.VISIT_PLAN, visit)
    with transaction.atomic():
        locked = _lock(visit)
        row = VISITS.apply(
            locked, target=target, actor=actor, reason=reason, trigger=Trigger.PERSON
        )
        audit_record(
            actor=actor,
            action="visit.transition",
            obj=locked,
            changes={"state": [row.from_state, row.to_state], "reason": [None, row.reason]},
        )
    return locked


def visit_report_write(*, actor, visit: Visit, report: str) -> Visit:
    """Write (or rewrite) the confidential report; once shared it stays as it was shared."""
    _require_on(actor, Action.VISIT_PLAN, visit)
    with transaction.atomic():
        locked = _lock(visit)
        if locked.state == VisitState.REPORT_SHARED:
            raise DomainError(_("The report was shared: it stays as the detaining power read it."))
        if locked.state not in (VisitState.UNDER_WAY, VisitState.COMPLETED):
            raise DomainError(_("The report is written during or after the visit."))
        before = locked.report
        locked.report = report.strip()
        if locked.report != before:
            locked.version += 1
            locked.save(update_fields=["report", "version"])
            audit_record(
                actor=actor,
                action="visit.report_write",
                obj=locked,
                changes=changes_between(
                    {"report": before}, {"report": locked.report}, Visit.SENSITIVE_FIELDS
                ),
            )
    return locked


# --- the list of persons to see -------------------------------------------------------------


def persons_at(place: Place) -> QuerySet[Person]:
    """The men held at `place` whose case has not ended: those a visit may ask to see."""
    return Person.objects.filter(place=place, merged_into__isnull=True).exclude(
        case__state__in=_GONE
    )


def _later_statement() -> Exists:
    return Exists(
        WillExpression.objects.filter(
            person=OuterRef("pk"),
            verified=False,
            withdrawn_at__isnull=True,
            expressed_on__gt=OuterRef("case__governing_will__expressed_on"),
        )
    )


def reasons_to_see(place: Place, *, today: datetime.date | None = None) -> dict[int, str]:
    """Why each man at `place` is to be seen, the most pressing reason first: a later statement
    contradicting his will, no private interview yet, a verified will due for a follow-up,
    else only that he is held there. Three queries whatever the number of men."""
    today = today or timezone.localdate()
    persons = persons_at(place)
    reasons = dict.fromkeys(persons.values_list("pk", flat=True), SeeReason.AT_THE_PLACE)
    due = today - datetime.timedelta(days=FOLLOW_UP_AFTER_DAYS)
    followed = persons.filter(case__governing_will__expressed_on__lte=due)
    for pk in followed.values_list("pk", flat=True):
        reasons[pk] = SeeReason.FOLLOW_UP_DUE
    awaiting = persons.filter(
        case__state__in=(CaseState.REGISTERED, CaseState.NOTIFIED, CaseState.AWAITING_INTERVIEW),
        case__governing_will__isnull=True,
    )
    for pk in awaiting.values_list("pk", flat=True):
        reasons[pk] = SeeReason.AWAITING_INTERVIEW
    flagged = persons.filter(case__governing_will__isnull=False).filter(_later_statement())
    for pk in flagged.values_list("pk", flat=True):
        reasons[pk] = SeeReason.LATER_STATEMENT
    return reasons


def visit_list_build(
    *, actor, visit: Visit, reasons: Iterable[str] | None = None
) -> list[PersonToSee]:
    """Build the list of persons to see on `visit`: everyone held at its place (`reasons`
    None), or those to see for one of `reasons` (awaiting interview, follow-up due, a later
    statement). Each keeps why he is listed; the list replaces the one built before."""
    _require_on(actor, Action.VISIT_PLAN, visit)
    wanted = set(reasons) if reasons is not None else None
    if wanted is not None and (
        not wanted or wanted - {SeeReason.AWAITING_INTERVIEW, SeeReason.FOLLOW_UP_DUE,
                                SeeReason.LATER_STATEMENT}
    ):  # fmt: skip
        raise DomainError(
            _("Choose whom to see: everyone, or one of the reasons."), field="reasons"
        )
    with transaction.atomic():
        locked = _lock(visit)
        if locked.state not in (VisitState.PLANNED, VisitState.ANNOUNCED, VisitState.UNDER_WAY):
            raise DomainError(_("The list of a visit that is over stays as it was."))
        found = reasons_to_see(locked.place)
        chosen = {pk: reason for pk, reason in found.items() if wanted is None or reason in wanted}
        before = locked.to_see.count()
        locked.to_see.all().delete()
        rows = PersonToSee.objects.bulk_create(
            PersonToSee(visit=locked, person_id=pk, reason=reason)
            for pk, reason in sorted(chosen.items())
        )
        audit_record(
            actor=actor,
            action="visit.list_build",
            obj=locked,
            changes={
                "persons": [before, len(rows)],
                "reasons": [None, sorted(wanted) if wanted is not None else "all"],
            },
        )
    return rows


# --- interviews -------------------------------------------------------------------------------


def _interview_check(*, visit: Visit, person: Person, outcome: str, held_on, setting: str):
    if outcome not in InterviewOutcome.values:
        raise DomainError(_("Choose the outcome from the list."), field="outcome")
    if person.place_id != visit.place_id and not visit.to_see.filter(person=person).exists():
        raise DomainError(
            _("He is neither held at this place nor on the visit's list."), field="person"
        )
    if held_on > timezone.localdate():
        raise DomainError(_("The date is in the future."), field="held_on")
    if not visit.starts_on <= held_on <= visit.ends_on:
        raise DomainError(
            _("The date is outside the visit (%(start)s – %(end)s).")
            % {"start": visit.starts_on, "end": visit.ends_on},
            field="held_on",
        )
    if setting and setting not in InterviewSetting.values:
        raise DomainError(_("Choose the setting from the list."), field="setting")
    if outcome == InterviewOutcome.INTERVIEWED and not setting:
        raise DomainError(_("Say where the interview was held."), field="setting")


def _will_of(actor, interview: Interview, will: WillInput) -> WillExpression:
    """The will expression he gave in `interview`, through the cases service (the case moves as
    for any will), dated the day of the interview and linked to it."""
    private = interview.setting == InterviewSetting.PRIVATE
    recorded = will_expression_record(
        actor=actor,
        person=interview.person,
        expressed_on=interview.held_on,
        source=WillSource.PRIVATE_VERIFICATION_INTERVIEW
        if private
        else WillSource.OFFICIAL_INTERVIEW,
        setting=interview.setting,
        wish=will.wish,
        certainty=will.certainty,
        destinations_preferred=will.destinations_preferred,
        destinations_refused=will.destinations_refused,
        statement=will.statement,
        present=interview.present,
        present_party=interview.present_party,
        interpreter=interview.interpreter,
        interpreter_affiliation=interview.interpreter_affiliation,
        language=interview.language,
    )
    interview.will_expression = recorded
    interview.save(update_fields=["will_expression"])
    audit_record(
        actor=actor,
        action="interview.will_record",
        obj=interview,
        person=interview.person,
        changes={"will_expression": [None, recorded.pk], "verified": [None, recorded.verified]},
    )
    return recorded


def interview_record(
    *,
    actor,
    visit: Visit,
    person: Person,
    outcome: str,
    held_on: datetime.date,
    setting: str = "",
    present: str = "",
    present_party: bool = False,
    interpreter: str = "",
    interpreter_affiliation: str = "",
    language: str = "",
    will: WillInput | None = None,
) -> Interview:
    """Record what came of seeing `person` on `visit`. When he was interviewed and `will` is
    given, his will is recorded from it (`will_expression_record`): verified only when the
    interview was private and nobody of a party was in the room, the interpreter included."""
    _require_on(actor, Action.VISIT_INTERVIEW, visit)
    if will is not None and outcome != InterviewOutcome.INTERVIEWED:
        raise DomainError(_("Only a man who was interviewed gave his will."), field="outcome")
    interview_circumstances_validate(
        present=present, present_party=present_party, interpreter=interpreter,
        interpreter_affiliation=interpreter_affiliation,
    )  # fmt: skip
    with transaction.atomic():
        locked = _lock(visit)
        if locked.state not in _INTERVIEWS_OPEN:
            raise DomainError(_("Interviews are recorded once the visit is under way."))
        _interview_check(
            visit=locked, person=person, outcome=outcome, held_on=held_on, setting=setting
        )
        if Interview.objects.filter(visit=locked, person=person).exists():
            raise DomainError(_("He was already seen on this visit."), field="person")
        interview = Interview.objects.create(
            visit=locked, person=person, outcome=outcome, held_on=held_on, setting=setting,
            present=present.strip(), present_party=present_party,
            interpreter=interpreter.strip(), interpreter_affiliation=interpreter_affiliation,
            language=language.strip(), recorded_by=actor, organisation=actor.organisation,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="interview.record",
            obj=interview,
            person=person,
            changes=created_changes(interview, INTERVIEW_FIELDS, Interview.SENSITIVE_FIELDS),
        )
        if will is not None:
            _will_of(actor, interview, will)
    return interview


def interview_will_record(*, actor, interview: Interview, will: WillInput) -> WillExpression:
    """Finalise an interview: record the will he gave in it."""
    _require_on(actor, Action.VISIT_INTERVIEW, interview.visit)
    with transaction.atomic():
        locked = (
            Interview.objects.select_for_update()
            .select_related("person", "visit")
            .get(pk=interview.pk)
        )
        if locked.outcome != InterviewOutcome.INTERVIEWED:
            raise DomainError(_("Only a man who was interviewed gave his will."))
        if locked.will_expression_id is not None:
            raise DomainError(_("The will of this interview is already recorded."))
        return _will_of(actor, locked, will)
