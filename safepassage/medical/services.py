"""Writes of the medical track: commissions, presentations, examinations and findings, his
consent. Each in one transaction with its audit events.

The findings set his Art. 110 category (`registry.Person.art110_category`, his latest finding)
here and nowhere else; a database trigger refuses any other write (migration 0002). His consent
is a will expression recorded through `cases.services.will_expression_record`, so it is
verified by the one rule every will is, and the guard reads it as it reads every will.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, can_on_medical, require
from safepassage.accounts.models import Role, User
from safepassage.audit.services import audit_record, created_changes
from safepassage.cases.models import InterviewSetting, WillSource, Wish
from safepassage.cases.services import will_expression_record
from safepassage.lib.countries import country_code_of, country_codes
from safepassage.lib.errors import DomainError
from safepassage.medical.models import (
    DIRECT_GROUNDS,
    NEUTRAL_GROUNDS,
    Commission,
    CommissionMember,
    Consent,
    ConsentAnswer,
    Examination,
    Presentation,
    PresentedBy,
)
from safepassage.registry.models import Art110Category, Person, Place

EXAMINATION_FIELDS = ("commission", "examined_on", "category", "ground", "review_on", "findings")


@dataclass
class MemberInput:
    name: str
    country: str
    neutral: bool = False
    user: User | None = None


def _check_member(member: MemberInput) -> tuple[str, str]:
    name = member.name.strip()
    if not name:
        raise DomainError(_("Name each member of the commission."), field="members")
    country = country_code_of(member.country)
    if len(country) != 2:
        raise DomainError(
            _("Give each member's country as a two-letter code (e.g. CH, UA)."), field="members"
        )
    if member.user is not None and (
        not member.user.is_active or not member.user.has_role(Role.MEDICAL_OFFICER)
    ):
        raise DomainError(
            _("%(user)s is not an active medical officer: a member's account is a doctor's.")
            % {"user": member.user.username},
            field="members",
        )
    return name, country


def commission_create(
    *,
    actor,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    places: Iterable[Place] = (),
    members: Sequence[MemberInput],
) -> Commission:
    """Appoint a Mixed Medical Commission (Annex II): at least two doctors of a neutral country
    and one of the detaining power."""
    require(actor, Action.COMMISSION_MANAGE)
    if not name.strip():
        raise DomainError(_("Name the commission."), field="name")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The last day is before the first day."), field="ends_on")
    checked = [_check_member(m) for m in members]
    neutral = sum(1 for m in members if m.neutral)
    if neutral < 2 or len(members) - neutral < 1:
        raise DomainError(
            _(
                "A Mixed Medical Commission has two doctors of a neutral country and one of the "
                "detaining power (GC III Annex II): name at least those."
            ),
            field="members",
        )
    users = [m.user.pk for m in members if m.user is not None]
    if len(users) != len(set(users)):
        raise DomainError(_("An account sits on a commission once."), field="members")
    with transaction.atomic():
        commission = Commission.objects.create(
            name=name.strip(), organisation=actor.organisation, starts_on=starts_on,
            ends_on=ends_on, created_by=actor,
        )  # fmt: skip
        commission.places.set(list(places))
        for member, (member_name, country) in zip(members, checked, strict=True):
            CommissionMember.objects.create(
                commission=commission, name=member_name, country=country,
                neutral=member.neutral, user=member.user,
            )  # fmt: skip
        audit_record(
            actor=actor, action="medical.commission.create", obj=commission,
            changes={
                **created_changes(commission, ("name", "starts_on", "ends_on")),
                "members": [None, [f"{n} ({c})" for n, c in checked]],
                "places": [None, sorted(p.name for p in commission.places.all())],
            },
        )  # fmt: skip
    return commission


def presentation_record(
    *,
    actor,
    person: Person,
    presented_by: str,
    presented_on: datetime.date,
    presenter_name: str = "",
) -> Presentation:
    """He is presented to a commission (Art. 113), by his own doctor, the prisoners'
    representative, himself, or the camp doctor."""
    require(actor, Action.MEDICAL_PRESENT, person)
    if presented_by not in PresentedBy.values:
        raise DomainError(_("Choose who presents him from the list."), field="presented_by")
    if presented_on > timezone.localdate():
        raise DomainError(_("The date is in the future."), field="presented_on")
    if person.merged_into_id is not None:
        raise DomainError(_("This record was merged into another: record it there."))
    with transaction.atomic():
        presentation = Presentation.objects.create(
            person=person, presented_by=presented_by, presenter_name=presenter_name.strip(),
            presented_on=presented_on, recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor, action="medical.present", obj=presentation, person=person,
            changes=created_changes(presentation, ("presented_by", "presented_on")),
        )  # fmt: skip
    return presentation


def _check_finding(category: str, ground: str) -> None:
    if category not in (c for c in Art110Category.values if c):
        raise DomainError(_("Choose the commission's finding from the list."), field="category")
    fits = {
        Art110Category.DIRECT_REPATRIATION: DIRECT_GROUNDS,
        Art110Category.NEUTRAL_ACCOMMODATION: NEUTRAL_GROUNDS,
        Art110Category.NEITHER: ("",),
    }[category]
    if ground not in fits:
        raise DomainError(
            _("The ground does not fit the finding: choose one of Annex I's for it, or none "
              "for “neither”.")
            if category != Art110Category.NEITHER
            else _("A finding of “neither” has no ground."),
            field="ground",
        )  # fmt: skip


def examination_record(
    *,
    actor,
    person: Person,
    commission: Commission,
    examined_on: datetime.date,
    category: str,
    findings: str,
    examined_by: Iterable[CommissionMember],
    ground: str = "",
    review_on: datetime.date | None = None,
) -> Examination:
    """A commission's examination and finding. His Art. 110 category becomes his latest
    finding; a finding that needs his consent puts him in the queue "awaiting consent"."""
    member = commission.members.filter(user=actor).exists()
    if not can_on_medical(actor, Action.MEDICAL_EXAMINE, person, member=member):
        raise PermissionDenied
    _check_finding(category, ground)
    if not findings.strip():
        raise DomainError(_("Write what the commission found."), field="findings")
    if examined_on > timezone.localdate():
        raise DomainError(_("The date is in the future."), field="examined_on")
    if examined_on < commission.starts_on or (
        commission.ends_on is not None and examined_on > commission.ends_on
    ):
        raise DomainError(
            _("The commission sat from %(start)s to %(end)s: the examination is within it.")
            % {"start": commission.starts_on, "end": commission.ends_on or "…"},
            field="examined_on",
        )
    if review_on is not None and review_on <= examined_on:
        raise DomainError(_("The review comes after the examination."), field="review_on")
    examiners = list(examined_by)
    if not examiners or any(m.commission_id != commission.pk for m in examiners):
        raise DomainError(
            _("Choose the members of this commission who examined him."), field="examined_by"
        )
    if person.merged_into_id is not None:
        raise DomainError(_("This record was merged into another: record it there."))
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        presentation = (
            Presentation.objects.filter(person=person, examination__isnull=True)
            .order_by("presented_on", "id")
            .first()
        )
        examination = Examination.objects.create(
            person=person, commission=commission, presentation=presentation,
            examined_on=examined_on, findings=findings.strip(), category=category, ground=ground,
            review_on=review_on, recorded_by=actor,
        )  # fmt: skip
        examination.examined_by.set(examiners)
        audit_record(
            actor=actor, action="medical.examination.record", obj=examination, person=person,
            changes={
                **created_changes(examination, EXAMINATION_FIELDS, Examination.SENSITIVE_FIELDS),
                "examined_by": [None, [m.name for m in examiners]],
            },
        )  # fmt: skip
        _category_follow(locked, actor)
    return examination


def _category_follow(person: Person, actor) -> None:
    """His category becomes his latest finding (by the day of the examination)."""
    latest = (
        Examination.objects.filter(person=person)
        .order_by("-examined_on", "-recorded_at", "-id")
        .values_list("category", flat=True)
        .first()
    )
    if latest is not None and latest != person.art110_category:
        Person.objects.filter(pk=person.pk).update(art110_category=latest)
        audit_record(
            actor=actor, action="person.art110_category", obj=person, person=person,
            changes={"art110_category": [person.art110_category, latest]},
        )  # fmt: skip


def _wish_of(examination: Examination, answer: str, preferred: list[str]) -> str:
    """The will his answer is: consent to go home asks to return; consent to a neutral country
    names it; a refusal of direct repatriation asks to go elsewhere (and so refuses his origin,
    which the guard then forbids); undecided is undecided."""
    if answer == ConsentAnswer.UNDECIDED:
        return Wish.UNDECIDED
    direct = examination.category == Art110Category.DIRECT_REPATRIATION
    if answer == ConsentAnswer.CONSENTS and direct:
        return Wish.RETURN_TO_ORIGIN
    if answer == ConsentAnswer.CONSENTS and not preferred:
        raise DomainError(
            _("Name the neutral state(s) he agrees to be accommodated in."),
            field="destinations_preferred",
        )
    return Wish.NAMED_STATES if preferred else Wish.THIRD_COUNTRY


def consent_record(
    *,
    actor,
    examination: Examination,
    answer: str,
    expressed_on: datetime.date,
    certainty: int,
    setting: str = InterviewSetting.PRIVATE,
    destinations_preferred: Iterable[str] = (),
    destinations_refused: Iterable[str] = (),
    statement: str = "",
    present: str = "",
    present_party: bool = False,
    interpreter: str = "",
    interpreter_affiliation: str = "",
    language: str = "",
    share_with_receiving_state: bool = False,
) -> Consent:
    """His answer to a finding of direct repatriation or neutral accommodation (Art. 109(3)),
    given in an interview: recorded as his will (`will_expression_record`, which verifies it
    only for a neutral verifier's private interview), with the answer beside it."""
    person = examination.person
    require(actor, Action.MEDICAL_CONSENT, person)
    if not examination.needs_consent:
        raise DomainError(
            _("This finding moves no one: there is no consent to ask."), field="answer"
        )
    if answer not in ConsentAnswer.values:
        raise DomainError(_("Choose his answer from the list."), field="answer")
    preferred = country_codes(destinations_preferred)
    origin = set(country_codes(person.nationalities))
    if (
        answer == ConsentAnswer.REFUSES
        and origin & set(preferred)
        and (examination.category == Art110Category.DIRECT_REPATRIATION)
    ):
        raise DomainError(
            _("He refuses to go home: his own state cannot be among the states he asks for."),
            field="destinations_preferred",
        )  # fmt: skip
    wish = _wish_of(examination, answer, preferred)
    with transaction.atomic():
        will = will_expression_record(
            actor=actor, person=person, expressed_on=expressed_on,
            source=WillSource.PRIVATE_VERIFICATION_INTERVIEW
            if setting == InterviewSetting.PRIVATE else WillSource.OFFICIAL_INTERVIEW,
            setting=setting, wish=wish,
            certainty=certainty, destinations_preferred=preferred,
            destinations_refused=destinations_refused, statement=statement, present=present,
            interpreter=interpreter, interpreter_affiliation=interpreter_affiliation,
            present_party=present_party, language=language,
        )  # fmt: skip
        consent = Consent.objects.create(
            examination=examination, will_expression=will, answer=answer,
            share_with_receiving_state=share_with_receiving_state, recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor, action="medical.consent.record", obj=consent, person=person,
            changes={
                **created_changes(consent, ("answer", "share_with_receiving_state")),
                "verified": [None, will.verified],
            },
        )  # fmt: skip
    return consent
