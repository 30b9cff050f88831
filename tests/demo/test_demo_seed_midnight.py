"""The demo seed takes minutes: one that runs past midnight must still finish."""

import datetime
import random

from django.utils import timezone

from safepassage.cases.models import CaseState
from safepassage.demo.cast import cast_create
from safepassage.demo.people import KIND_KR, korean_soldier
from safepassage.demo.seed import CaseDriver


def test_a_case_driven_on_a_seed_begun_yesterday_is_still_scheduled_and_transferred(db):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    cast = cast_create()
    for target in (CaseState.TRANSFER_SCHEDULED, CaseState.TRANSFERRED, CaseState.CLOSED):
        profile = korean_soldier(random.Random(5), yesterday)
        profile.kind = KIND_KR
        person = CaseDriver(cast, random.Random(5), yesterday, profile).run(target)
        person.case.refresh_from_db()
        assert person.case.state == target
        assert person.transfers.get().scheduled_for >= timezone.localdate()
