"""The first soldier's medical track in the demo (GC III Art. 109-113): a Mixed Medical
Commission examines him in the hospital and finds him eligible for direct repatriation; asked in
private, he refuses to go home — he wants the Republic of Korea — so his track turns to
accommodation in a third state, and he agrees that its authorities read his medical record."""

import datetime

from safepassage.cases.models import InterpreterAffiliation, InterviewSetting
from safepassage.demo.cast import Cast
from safepassage.medical import services
from safepassage.medical.models import ConsentAnswer, PresentedBy

APPOINTED = datetime.date(2025, 4, 1)
EXAMINED = datetime.date(2025, 4, 10)
ANSWERED = datetime.date(2025, 4, 15)
FINDINGS = (
    "Comminuted fracture of the mandible with loss of bone; wounds to both hands with loss of "
    "grip. Speech limited to a few minutes; eats soft food only. Reconstruction needs several "
    "operations over more than a year: not likely to recover within one year (Annex I)."
)


def medical_seed(cast: Cast, person) -> None:
    """Appoint the commission, present him, record its finding and his answer."""
    neutral_doctor, camp_doctor = cast.users["verifier-doctor"], cast.users["ua-doctor"]
    commission = services.commission_create(
        actor=neutral_doctor, name="Mixed Medical Commission, Kyiv (demo)", starts_on=APPOINTED,
        places=[person.place] if person.place_id else [],
        members=[
            services.MemberInput("Dr Anna Keller (demo)", "CH", True, neutral_doctor),
            services.MemberInput("Dr Erik Lund (demo)", "SE", True),
            services.MemberInput("Dr Olha Marchenko (demo)", "UA", False, camp_doctor),
        ],
    )  # fmt: skip
    services.presentation_record(
        actor=camp_doctor, person=person, presented_by=PresentedBy.CAMP_DOCTOR,
        presenter_name="Dr Olha Marchenko (demo)", presented_on=APPOINTED,
    )  # fmt: skip
    examination = services.examination_record(
        actor=neutral_doctor, person=person, commission=commission, examined_on=EXAMINED,
        category="direct_repatriation", ground="not_recovering_within_year", findings=FINDINGS,
        examined_by=list(commission.members.all()),
    )  # fmt: skip
    services.consent_record(
        actor=cast.users["verifier-interviewer"], examination=examination,
        answer=ConsentAnswer.REFUSES, expressed_on=ANSWERED, certainty=95,
        setting=InterviewSetting.PRIVATE, destinations_preferred=["KR"],
        destinations_refused=["KP", "RU"], language="ko",
        interpreter="Mission interpreter (Korean)",
        interpreter_affiliation=InterpreterAffiliation.VERIFIER,
        statement="Told of the commission's finding, he wrote that he does not want to be "
                  "repatriated to the DPRK, now or later: he asks to go to the Republic of Korea, "
                  "and agrees that its authorities read his medical record.",
        share_with_receiving_state=True,
    )  # fmt: skip
