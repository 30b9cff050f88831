"""A commission, a wounded man presented and examined, and his answer, each built through the
services."""

import datetime

from django.utils import timezone

from safepassage.cases.models import InterviewSetting
from safepassage.medical import services
from safepassage.registry.models import Art110Category

FINDINGS_MARKER = "FINDINGS-MARKER-mandible-7731"


def today() -> datetime.date:
    return timezone.localdate()


def commission(people, medics):
    """Nadia and a colleague of a neutral country, and dora, the detaining power's doctor."""
    return services.commission_create(
        actor=medics.neutral_doctor, name="Mixed Medical Commission 1",
        starts_on=today() - datetime.timedelta(days=30),
        members=[
            services.MemberInput("Dr Nadia N.", "CH", True, medics.neutral_doctor),
            services.MemberInput("Dr Lars L.", "SE", True),
            services.MemberInput("Dr Dora D.", "UA", False, medics.detaining_doctor),
        ],
    )  # fmt: skip


def examined(medics, board, person, category=Art110Category.DIRECT_REPATRIATION, ground=None):
    services.presentation_record(
        actor=medics.detaining_doctor, person=person, presented_by="camp_doctor",
        presented_on=today(),
    )  # fmt: skip
    if ground is None:
        ground = {"direct_repatriation": "not_recovering_within_year",
                  "neutral_accommodation": "recovery_helped", "neither": ""}[category]  # fmt: skip
    return services.examination_record(
        actor=medics.neutral_doctor, person=person, commission=board, examined_on=today(),
        category=category, ground=ground, findings=FINDINGS_MARKER,
        examined_by=list(board.members.all()),
    )  # fmt: skip


def answered(people, examination, answer, *, preferred=(), share=False, private=True):
    return services.consent_record(
        actor=people.interviewer, examination=examination, answer=answer,
        expressed_on=today(), certainty=90, destinations_preferred=list(preferred),
        setting=InterviewSetting.PRIVATE if private else InterviewSetting.WITNESSED,
        present="" if private else "a guard", share_with_receiving_state=share,
    )  # fmt: skip


def api_medical(kim):
    """For the API's matrix: dora and nadia, their commission, and Kim examined by it (found
    eligible for direct repatriation; his answer not yet given)."""
    from types import SimpleNamespace

    from safepassage.accounts.models import Organisation, OrganisationKind, Role
    from tests.factories import make_user

    verifier = Organisation.objects.get(kind=OrganisationKind.NEUTRAL_VERIFIER,
                                        name="Neutral Verification Mission")  # fmt: skip
    medics = SimpleNamespace(
        detaining_doctor=make_user(kim.detaining_organisation, Role.MEDICAL_OFFICER,
                                   username="dora"),
        neutral_doctor=make_user(verifier, Role.MEDICAL_OFFICER, username="nadia"),
    )  # fmt: skip
    board = commission(None, medics)
    return examined(medics, board, kim)
