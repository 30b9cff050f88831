"""The story the demo tells: two KPA soldiers captured together in the Kursk region.

The first, badly wounded in the jaw, told the press he was "about 80 per cent sure" he wanted to
go to the Republic of Korea and confirmed it in a private verification interview. A Mixed Medical
Commission finds him eligible for direct repatriation; he refuses it in private, so his track
turns to a third state (demo/medical.py). His case is
left in legal assessment, so a demo user can decide, accept, schedule, and watch the guard
refuse a route through Russia. The second had not decided; later he asks for a third country
(demo.resettlement). Names and details are fictional.
"""

import datetime

from safepassage.cases import services
from safepassage.cases.models import (
    CaseState,
    InterpreterAffiliation,
    InterviewSetting,
    WillSource,
    Wish,
)
from safepassage.demo.cast import Cast
from safepassage.demo.medical import medical_seed
from safepassage.demo.names import KOREAN_FAMILY, korean_given
from safepassage.demo.people import korean_names
from safepassage.demo.resettlement import resettlement_seed
from safepassage.registry.models import (
    DatePrecision,
    HealthStatus,
    PlaceKind,
    Romanization,
    Script,
    Sex,
)
from safepassage.registry.services import NameInput, person_register

CAPTURED = datetime.date(2025, 1, 9)
CAPTURE = {
    "capture_date": CAPTURED,
    "capture_place": "near Malaya Loknya, Kursk region",
    "capturing_unit": "Special operations unit (demo)",
    "nationalities": ["KP"],
    "sex": Sex.MALE,
    "rank": "Private (전사)",
    "unit": "Korean People's Army, 11th Corps (deployed under Russian command)",
    "languages": "ko",
    "birth_date_precision": DatePrecision.YEAR,
    "next_of_kin": "Parents and a younger sister in the DPRK (withheld: at risk of reprisal).",
}

KP_RISK = (
    "KP",
    "high",
    "none",
    [],
    "The DPRK treats capture as betrayal: prison camp or execution on return; "
    "reprisals against the family. UN Commission of Inquiry (2014) and later reports.",
)
RU_ONWARD_RISK = (
    "RU",
    "low",
    "high",
    ["KP"],
    "Russia would hand him back to the DPRK, its treaty ally (2024 treaty on "
    "comprehensive strategic partnership): indirect refoulement.",
)
KR_SAFE = (
    "KR",
    "none",
    "none",
    [],
    "The ROK counts him a citizen (Constitution Art. 3); protection decision and "
    "settlement programme under the North Korean Refugees Protection Act.",
)
ASSUMED_SOURCE = "Russian military ID issued in the Republic of Tuva under another name"


def _family(hangul: str):
    return next(f for f in KOREAN_FAMILY if f.hangul == hangul)


def _wounded_soldier(registrar):
    names = korean_names(_family("강"), korean_given("은혁"), popular=True) + [
        NameInput("Ооржак", "Айдыс", "Борисович", Script.CYRILLIC, Romanization.AS_WRITTEN,
                  ASSUMED_SOURCE, is_assumed_identity=True),
        NameInput("Oorzhak", "Aidys", "Borisovich", Script.LATIN, Romanization.BGN_PCGN,
                  ASSUMED_SOURCE, is_assumed_identity=True),
    ]  # fmt: skip
    return person_register(
        actor=registrar, names=names, registered_on=CAPTURED,
        birth_date=datetime.date(1999, 1, 1), birth_place="Hamhung",
        health_status=HealthStatus.SERIOUSLY_WOUNDED_OR_SICK,
        wounds="Gunshot wound to the jaw (fractured mandible), wounds to both hands. "
               "Cannot speak for long; writes his answers.",
        internment_place="Military hospital, Kyiv (demo)",
        internment_place_kind=PlaceKind.HOSPITAL, **CAPTURE,
    )  # fmt: skip


def _undecided_soldier(registrar):
    return person_register(
        actor=registrar, names=korean_names(_family("백"), korean_given("진성"), popular=False),
        registered_on=CAPTURED, birth_date=datetime.date(2004, 1, 1), birth_place="Chongjin",
        health_status=HealthStatus.WOUNDED, wounds="Shrapnel wound to the left leg.",
        internment_place="Prisoner-of-war camp No. 1, Lviv region (demo)",
        internment_place_kind=PlaceKind.CAMP, **CAPTURE,
    )  # fmt: skip


def _open_case(registrar, person) -> None:
    for target, reason in (
        (CaseState.NOTIFIED, "Capture card and identity notified to the Central Agency."),
        (CaseState.AWAITING_INTERVIEW, "Private verification interview requested."),
    ):
        services.case_transition(actor=registrar, person=person, target=target, reason=reason)


def _wounded_soldier_case(cast, person) -> None:
    services.will_expression_record(
        actor=cast.users["ua-interviewer"], person=person, expressed_on=datetime.date(2025, 2, 19),
        source=WillSource.PRESS_INTERVIEW, setting=InterviewSetting.PUBLIC,
        present="Journalists; guards of the detaining power", language="ko",
        interpreter="Interpreter brought by the press",
        interpreter_affiliation=InterpreterAffiliation.OTHER, wish=Wish.NAMED_STATES,
        destinations_preferred=["KR"], certainty=80,
        statement="“About 80 per cent sure” he wants to go to South Korea rather than home: he "
                  "wants a family, a home and basic rights.",
    )  # fmt: skip
    services.will_expression_record(
        actor=cast.users["verifier-interviewer"], person=person,
        expressed_on=datetime.date(2025, 3, 27), source=WillSource.PRIVATE_VERIFICATION_INTERVIEW,
        setting=InterviewSetting.PRIVATE, language="ko",
        interpreter="Mission interpreter (Korean)",
        interpreter_affiliation=InterpreterAffiliation.VERIFIER, wish=Wish.NAMED_STATES,
        destinations_preferred=["KR"], destinations_refused=["KP", "RU"], certainty=95,
        statement="Alone with the delegate he confirmed, in writing and in few words, that he "
                  "wants to go to the Republic of Korea. He refuses return to the DPRK and any "
                  "transfer to or through Russia.",
    )  # fmt: skip
    # A Mixed Medical Commission finds him eligible for direct repatriation; he refuses it
    # (demo/medical.py): his track turns to a third state, the one he asked for.
    medical_seed(cast, person)
    services.legal_organisation_assign(
        actor=cast.users["ua-registrar"], person=person, organisation=cast.orgs["ngo"]
    )
    lawyer = cast.users["ngo-legal"]
    services.case_transition(
        actor=lawyer,
        person=person,
        target=CaseState.LEGAL_ASSESSMENT,
        reason="Representation accepted; legal assessment opened.",
    )
    for country, persecution, onward, onward_to, basis in (KR_SAFE, KP_RISK, RU_ONWARD_RISK):
        services.risk_assessment_record(
            actor=lawyer, person=person, country=country, persecution_risk=persecution,
            onward_transfer_risk=onward, onward_destinations=onward_to, basis=basis,
        )  # fmt: skip


def _undecided_soldier_case(cast, person) -> None:
    services.will_expression_record(
        actor=cast.users["verifier-interviewer"], person=person,
        expressed_on=datetime.date(2025, 3, 27), source=WillSource.PRIVATE_VERIFICATION_INTERVIEW,
        setting=InterviewSetting.PRIVATE, language="ko",
        interpreter="Mission interpreter (Korean)",
        interpreter_affiliation=InterpreterAffiliation.VERIFIER, wish=Wish.UNDECIDED, certainty=50,
        statement="Has not decided. Worried about his parents; asked what each option would "
                  "mean for them and for him.",
    )  # fmt: skip


def story_seed(cast: Cast) -> list[str]:
    """Register both soldiers and take their cases as far as the story goes; their numbers."""
    registrar = cast.users["ua-registrar"]
    wounded, undecided = _wounded_soldier(registrar), _undecided_soldier(registrar)
    for person in (wounded, undecided):
        _open_case(registrar, person)
    _wounded_soldier_case(cast, wounded)
    _undecided_soldier_case(cast, undecided)
    resettlement_seed(cast, undecided)
    return [wounded.registry_number, undecided.registry_number]
