"""The second soldier's story after his indecision: in a second private interview he asks for
a third country, neither Korea (as several dozen prisoners did in 1953); the verifier refers
him to India and Brazil. India declines; Brazil accepts, the legal officer finds Brazil safe and
the detaining power decides his transfer there, which Brazil's demo account may now accept.
Names and details are fictional."""

import datetime

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
