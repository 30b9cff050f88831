"""Reads of the medical track: where a man stands, what a reader may read of it, and the
persons each work queue holds. Writes are `medical.services`."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, can, can_on_medical, has_any_role_for
from safepassage.accounts.models import OrganisationKind
from safepassage.medical.models import (
    NEEDS_CONSENT,
    Commission,
    CommissionMember,
    Consent,
    ConsentAnswer,
    Examination,
    Presentation,
)
from safepassage.registry.models import Art110Category, Person

# Where a man stands on the track (`Track.stage`).
NOT_PRESENTED = "not_presented"
TO_EXAMINE = "to_examine"
AWAITING_CONSENT = "awaiting_consent"
CONSENTS, REFUSES, UNDECIDED = ConsentAnswer.values
NOT_ELIGIBLE = "not_eligible"
# The way forward the track offers (`Track.offered`).
DIRECT = "direct_repatriation"
NEUTRAL = "neutral_accommodation"


def consent_in_effect(examination: Examination) -> Consent | None:
    """His latest answer to this finding that counts: recorded with a verified will that has not
    been withdrawn (an unverified answer is evidence, never consent)."""
    return (
        examination.consents.filter(
            will_expression__verified=True, will_expression__withdrawn_at__isnull=True
        )
        .select_related("will_expression")
        .order_by("-will_expression__expressed_on", "-recorded_at", "-id")
        .first()
    )


def latest_examination(person: Person) -> Examination | None:
    return (
        Examination.objects.filter(person=person)
        .select_related("commission")
        .order_by("-examined_on", "-recorded_at", "-id")
        .first()
    )


@dataclass
class Track:
    person: Person
    stage: str
    examination: Examination | None = None
    consent: Consent | None = None
    offered: str | None = None
    presentations: list[Presentation] = field(default_factory=list)
    examinations: list[Examination] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)

    @property
    def shared(self) -> bool:
        """He agreed that a receiving state reads his medical record (his latest verified
        answer says so)."""
        return self.consent is not None and self.consent.share_with_receiving_state


def track_of(person: Person) -> Track:
    """Where he stands: presented, examined, his answer, and the way forward it opens. A
    refusal of direct repatriation turns the track to accommodation in a neutral country
    (Art. 110-111), which a decision to a state the parties agree and its acceptance carry."""
    presentations = list(person.medical_presentations.order_by("presented_on", "id"))
    examinations = list(
        person.medical_examinations.select_related("commission").prefetch_related("examined_by")
    )
    consents = list(
        Consent.objects.filter(examination__person=person).select_related("will_expression")
    )
    examination = latest_examination(person)
    track = Track(person, NOT_PRESENTED, examination, None, None, presentations, examinations,
                  consents)  # fmt: skip
    open_presentation = any(
        not Examination.objects.filter(presentation=p).exists() for p in presentations
    )
    if examination is None:
        track.stage = TO_EXAMINE if open_presentation else NOT_PRESENTED
        return track
    if examination.category not in NEEDS_CONSENT:
        track.stage = TO_EXAMINE if open_presentation else NOT_ELIGIBLE
        return track
    track.consent = consent_in_effect(examination)
    if track.consent is None:
        track.stage = AWAITING_CONSENT
        return track
    track.stage = track.consent.answer
    if track.stage == CONSENTS:
        track.offered = (
            DIRECT if examination.category == Art110Category.DIRECT_REPATRIATION else NEUTRAL
        )
    elif track.stage == REFUSES and examination.category == Art110Category.DIRECT_REPATRIATION:
        track.offered = NEUTRAL
    return track


def direct_repatriation_refusal(person: Person) -> str | None:
    """Why he may not be decided for direct repatriation (None: a commission found him eligible
    and he consented, in a verified interview, to this finding). The guard is asked after."""
    track = track_of(person)
    if track.examination is None:
        return _("No Mixed Medical Commission has examined him: present him to one first.")
    if track.examination.category != Art110Category.DIRECT_REPATRIATION:
        return _("The commission's latest finding is not direct repatriation.")
    if track.stage == AWAITING_CONSENT:
        return _(
            "His consent to direct repatriation is not on record: a neutral verifier asks him "
            "in a private interview first (Art. 109(3))."
        )
    if track.stage != CONSENTS:
        return _(
            "He does not consent to direct repatriation (Art. 109(3)): no one is repatriated "
            "against his will."
        )
    return None


def direct_repatriation_persons(person_ids: Iterable[int]) -> set[int]:
    """Of these persons, those a commission found eligible for direct repatriation (their
    latest finding) and who consented to it: the exchange takes them outside the ratio."""
    ids = [pk for pk in person_ids if pk]
    found = consented_to_direct_repatriation(Person.objects.filter(pk__in=ids))
    return set(found.values_list("pk", flat=True))


# --- what a reader may read -------------------------------------------------------------------


def _member(user, examinations: Iterable[Examination]) -> bool:
    commissions = {e.commission_id for e in examinations}
    return CommissionMember.objects.filter(commission_id__in=commissions, user=user).exists()


def medical_person_for(
    user, registry_number: str | None = None, *, pk=None
) -> tuple[Person, Track]:
    """The person and his track, if `user` may read it: 404 otherwise (a receiving state he
    has not agreed to share it with learns nothing, not even that a track exists)."""
    person = person_for(user, registry_number, pk=pk)
    track = track_of(person)
    if not can_on_medical(user, Action.MEDICAL_VIEW, person, shared=track.shared):
        raise Http404
    return person, track


def may_read_findings(user, person: Person, track: Track) -> bool:
    return can_on_medical(
        user, Action.MEDICAL_FINDINGS, person, shared=track.shared,
        member=_member(user, track.examinations),
    )  # fmt: skip


def findings_for(user, person: Person, track: Track) -> dict[int, str | None]:
    """Each examination's findings as `user` may read them (None: not his to read)."""
    readable = may_read_findings(user, person, track)
    return {e.pk: (e.findings if readable else None) for e in track.examinations}


def category_for(user, person: Person) -> str | None:
    """His category as `user` may read it in the registry (None for a receiving state, which
    reads it on his medical track once he agreed to share, and for roles outside the track)."""
    # The person was read through the reader's visible persons (the registry's pages and API
    # serialize no one else): his roles decide, without a query per person.
    if user is None or not has_any_role_for(user, Action.MEDICAL_VIEW):
        return None
    if user.organisation.kind == OrganisationKind.RECEIVING_STATE:
        return None
    return person.art110_category


def examinable_commissions(user) -> QuerySet[Commission]:
    """The commissions `user` sits on (as a member's account): the only ones he records for."""
    return Commission.objects.filter(members__user=user).distinct()


def commission_list(*, actor) -> QuerySet[Commission]:
    if not can(actor, Action.COMMISSION_VIEW):
        return Commission.objects.none()
    found = Commission.objects.prefetch_related("members", "places")
    if actor.organisation.kind == OrganisationKind.NEUTRAL_VERIFIER:
        return found
    # A detaining power sees the commissions its doctors sit on or that visit its places.
    return found.filter(
        Exists(CommissionMember.objects.filter(commission=OuterRef("pk"),
                                               user__organisation=actor.organisation))
        | Exists(Commission.places.through.objects.filter(
            commission_id=OuterRef("pk"), place__detaining_organisation=actor.organisation))
    )  # fmt: skip


def commission_for(user, pk: int) -> Commission:
    try:
        return commission_list(actor=user).get(pk=pk)
    except (Commission.DoesNotExist, ValueError):
        raise Http404 from None


def examination_for(user, pk: int, action: Action = Action.MEDICAL_VIEW) -> Examination:
    """The examination, if `user` may read its person's track (404) and do `action` (403)."""
    from django.core.exceptions import PermissionDenied

    try:
        examination = Examination.objects.select_related("person").get(pk=pk)
    except (Examination.DoesNotExist, ValueError):
        raise Http404 from None
    person, track = medical_person_for(user, pk=examination.person_id)
    if action != Action.MEDICAL_VIEW and not can(user, action, person):
        raise PermissionDenied
    return examination


# --- work queues (work.selectors counts and lists them) ----------------------------------------


def to_examine(persons: QuerySet[Person]) -> QuerySet[Person]:
    """Presented to a commission and not yet examined: waiting since he was presented."""
    waiting = Presentation.objects.filter(person=OuterRef("pk"), examination__isnull=True)
    return persons.filter(Exists(waiting)).annotate(
        waiting_since=Subquery(waiting.order_by("presented_on").values("presented_on")[:1])
    )


def _latest_examination_of(field_name: str):
    return Subquery(
        Examination.objects.filter(person=OuterRef("pk"))
        .order_by("-examined_on", "-recorded_at", "-id")
        .values(field_name)[:1]
    )


def _with_latest(persons: QuerySet[Person]) -> QuerySet[Person]:
    return persons.annotate(
        latest_examination=_latest_examination_of("pk"),
        waiting_since=_latest_examination_of("examined_on"),
    )


def _consented():
    """His verified answers to his latest finding (in a query annotated by `_with_latest`)."""
    return Consent.objects.filter(
        examination_id=OuterRef("latest_examination"),
        will_expression__verified=True,
        will_expression__withdrawn_at__isnull=True,
    )


def awaiting_consent(persons: QuerySet[Person]) -> QuerySet[Person]:
    """Found eligible (direct repatriation or neutral accommodation), his verified answer not
    yet on record: waiting since the examination."""
    return _with_latest(persons.filter(art110_category__in=NEEDS_CONSENT)).filter(
        ~Exists(_consented())
    )


def consented_to_direct_repatriation(persons: QuerySet[Person]) -> QuerySet[Person]:
    """Found eligible for direct repatriation and consenting (his latest verified answer to his
    latest finding): waiting since the examination."""
    latest_answer = Subquery(
        _consented()
        .order_by("-will_expression__expressed_on", "-recorded_at", "-id")
        .values("answer")[:1]
    )
    return (
        _with_latest(persons.filter(art110_category=Art110Category.DIRECT_REPATRIATION))
        .annotate(latest_answer=latest_answer)
        .filter(latest_answer=ConsentAnswer.CONSENTS)
    )
