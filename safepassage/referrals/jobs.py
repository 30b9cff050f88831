"""The referral reminders as a background job (`django.tasks`; docs/adr/0002): run daily by
the worker when ops enqueue it, or in-process by `safepassage referrals remind`."""

from django.tasks import task

from safepassage.referrals.services import referral_reminders_send


@task()
def referral_reminders_job() -> int:
    """Remind the receiving states of the referrals whose answer is overdue, and notify them and
    the referring verifier (`services.referral_reminders_send`); the number reminded."""
    return len(referral_reminders_send(actor=None))
