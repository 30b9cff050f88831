"""A man whose verified will asks for a third country, and his referrals."""

import datetime

from django.utils import timezone

from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState, Wish
from safepassage.referrals import services
from tests.factories import record_will, step

STATEMENT = "STATEMENT-MARKER-any-country-but-home-5521"
FAMILY_LINKS = "FAMILY-MARKER-an-uncle-abroad-8830"


def third_country(people, person):
    """His case taken to the legal assessment with a verified will for any third country."""
    case_services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
    record_will(
        people.interviewer, person, wish=Wish.THIRD_COUNTRY, preferred=(), refused=("KP",),
        statement=STATEMENT,
    )  # fmt: skip
    step(people.legal_officer, person, CaseState.LEGAL_ASSESSMENT)
    person.refresh_from_db()
    return person


def refer(people, person, organisation, **fields):
    return services.referral_make(
        actor=people.interviewer, person=person, organisation=organisation,
        family_links=fields.pop("family_links", FAMILY_LINKS), **fields,
    )  # fmt: skip


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def api_referral(kim):
    """The one referral of Kim (whose will names KR) by the verifier's interviewer (vera) to
    minjun's receiving state."""
    from safepassage.accounts.models import User
    from safepassage.referrals.models import Referral

    known = Referral.objects.filter(person=kim).first()
    if known is not None:
        return known
    minjun = User.objects.select_related("organisation").get(username="minjun")
    return services.referral_make(
        actor=User.objects.get(username="vera"), person=kim, organisation=minjun.organisation
    )
