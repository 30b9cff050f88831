"""The second soldier's story after his indecision: in a second private interview he asks for
a third country, neither Korea (as several dozen prisoners did in 1953); the verifier refers
him to India and Brazil. India declines; Brazil accepts, the legal officer finds Brazil safe and
the detaining power decides his transfer there, which Brazil's demo account may now accept.
Names and details are fictional."""

import datetime

from safepassage.access.policy import censorship_allowed
from safepassage.cases import services
from safepassage.cases.models import (
    CaseState,
    DecisionKind,
    InterpreterAffiliation,
    InterviewSetting,
    WillSource,
    Wish,
)
from safepassage.demo.cast import Cast
from safepassage.family import services as family
from safepassage.family.models import Direction, MessageState
from safepassage.family.services import capture_card_choice_record
from safepassage.referrals import services as referrals
from safepassage.referrals.models import ReferralState

BR_SAFE = (
    "BR",
    "none",
    "none",
    [],
    "Brazil took prisoners who refused both Koreas in 1954 and has no extradition or return "
    "arrangement with the DPRK; its refugee committee decides on protection.",
)
FAMILY_LINKS = "Parents and a younger sister in the DPRK; no relatives abroad."


def resettlement_seed(cast: Cast, person) -> None:
    """Take the undecided soldier from his second interview to the decision naming Brazil."""
    verifier = cast.users["verifier-interviewer"]
    # His parents could be punished for a card: the Central Agency's card only (GC III Art. 70).
    capture_card_choice_record(
        actor=verifier, person=person, card_to_family=False, address_on_card=False,
        note="Asked that nothing reach his parents.",
    )  # fmt: skip
    family_message_seed(cast, person)
    services.will_expression_record(
        actor=verifier, person=person, expressed_on=datetime.date(2025, 5, 14),
        source=WillSource.PRIVATE_VERIFICATION_INTERVIEW, setting=InterviewSetting.PRIVATE,
        language="ko", interpreter="Mission interpreter (Korean)",
        interpreter_affiliation=InterpreterAffiliation.VERIFIER, wish=Wish.THIRD_COUNTRY,
        destinations_refused=["KP", "KR"], certainty=85,
        statement="In a second interview, alone with the delegate, he asked to go to a third "
                  "country, neither Korea: he fears that his parents would be punished harder "
                  "if he went to the South. He would learn any trade.",
    )  # fmt: skip
    asked = {
        code: referrals.referral_make(
            actor=verifier,
            person=person,
            organisation=cast.orgs[code],
            family_links=FAMILY_LINKS,
            note="Carpenter's apprentice before conscription.",
        )  # fmt: skip
        for code in ("in", "br")
    }
    referrals.referral_step(
        actor=cast.users["in-decision"], referral=asked["in"], target=ReferralState.DECLINED,
        reason="No resettlement programme for former combatants at present.",
    )  # fmt: skip
    referrals.referral_step(
        actor=cast.users["br-decision"], referral=asked["br"], target=ReferralState.ACCEPTED,
        reason="Accepted for resettlement.", reference="CONARE-2025-0417 (demo)",
    )  # fmt: skip
    legal = cast.users["verifier-legal"]
    services.case_transition(
        actor=legal, person=person, target=CaseState.LEGAL_ASSESSMENT,
        reason="Brazil accepted him on referral: legal assessment of Brazil opened.",
    )  # fmt: skip
    country, persecution, onward, onward_to, basis = BR_SAFE
    services.risk_assessment_record(
        actor=legal, person=person, country=country, persecution_risk=persecution,
        onward_transfer_risk=onward, onward_destinations=onward_to, basis=basis,
    )  # fmt: skip
    services.decision_take(
        actor=cast.users["ua-decision"], person=person, kind=DecisionKind.TRANSFER,
        destination="BR", reason="His verified will asks for a third country; Brazil accepted "
                                 "him on referral and is assessed safe.",
    )  # fmt: skip


def family_message_seed(cast: Cast, person) -> None:
    """A Red Cross message from him to his uncle in Seoul, whom he allows to write to him but
    not to learn where he is held: the detaining power's censor strikes a passage (where its
    agreement allows censorship), the verifier forwards and delivers it (GC III Art. 71, 76)."""
    verifier = cast.users["verifier-interviewer"]
    uncle = "Ri Chang Ho"
    family.correspondence_choice_record(
        actor=verifier, person=person, may_write=[uncle], may_know_place=[],
        note="His uncle left the North in 1998; his parents must learn nothing.",
    )  # fmt: skip
    message = family.family_message_write(
        actor=verifier, person=person, direction=Direction.FROM_HIM,
        correspondent_name=uncle, correspondent_contact="Seoul, Mapo-gu (via the Red Cross)",
        text="삼촌, 저는 살아 있고 건강합니다. 우리 부대는 쿠르스크 근처에 있었습니다. "
             "부모님께는 아무것도 알리지 마십시오.",
    )  # fmt: skip
    if censorship_allowed(person.detaining_organisation):
        message = family.family_message_censor(
            actor=cast.users["ua-registrar"], message=message,
            strike=["우리 부대는 쿠르스크 근처에 있었습니다."],
            reason="Military information: where his unit was (Art. 76).",
        )  # fmt: skip
    message = family.family_message_step(
        actor=verifier, message=message, target=MessageState.FORWARDED
    )
    family.family_message_step(actor=verifier, message=message, target=MessageState.DELIVERED)
