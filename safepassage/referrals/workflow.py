"""The referral workflow as data (`safepassage.workflow`): referred → accepted, declined or
more information requested (→ referred again once answered); withdrawn by the referrer while
it waits. A decline or a withdrawal closes it. `referrals.services.referral_step` takes them."""

from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action
from safepassage.referrals.models import ReferralState as S
from safepassage.referrals.models import ReferralTransition
from safepassage.workflow.machine import Transition, Workflow, edge

TRANSITIONS: tuple[Transition, ...] = (
    edge([S.REFERRED], S.ACCEPTED, gettext_lazy("Accept him"), Action.REFERRAL_ANSWER),
    edge([S.REFERRED], S.DECLINED, gettext_lazy("Decline, with the reason"),
         Action.REFERRAL_ANSWER),
    edge([S.REFERRED], S.INFORMATION_REQUESTED, gettext_lazy("Ask for more information"),
         Action.REFERRAL_ANSWER),
    edge([S.INFORMATION_REQUESTED], S.REFERRED, gettext_lazy("Give the information asked for"),
         Action.REFERRAL_MAKE),
    edge([S.REFERRED, S.INFORMATION_REQUESTED], S.WITHDRAWN,
         gettext_lazy("Withdraw the referral"), Action.REFERRAL_MAKE),
)  # fmt: skip

REFERRALS = Workflow(
    transitions=TRANSITIONS,
    row_model=ReferralTransition,
    cannot_move=gettext_lazy("A referral in state “%(source)s” cannot move to “%(target)s”."),
    subject=lambda referral: referral.person,
    reason_required=False,
    reason_field="reason",
)
