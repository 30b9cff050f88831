"""A man transferred to a receiving state, his reception and follow-up contacts."""

from django.utils import timezone

from safepassage.followup import services
from tests.cases.builders import scheduled
from tests.factories import execute

NOTE = "FOLLOWUP-NOTE-MARKER-moved-to-a-border-camp-6612"


def transferred_man(people, destination="KR"):
    person, transfer = scheduled(people, destination)
    execute(people.planner, transfer)
    person.refresh_from_db()
    return person


def scheduled_contacts(people, person):
    return services.followups_schedule(actor=people.interviewer, person=person)


def report_onward_removal(people, contact, to="CN"):
    return services.followup_record(
        actor=people.interviewer, contact=contact, reached=True,
        contacted_on=timezone.localdate(), outcome="onward_removal", sent_on_to=to, note=NOTE,
    )  # fmt: skip


def api_followup(transfer):
    """Kim's scheduled transfer executed by petro, his arrival recorded by minjun and his
    follow-up contacts scheduled by vera: (a reception step, a contact)."""
    from safepassage.accounts.models import User
    from safepassage.followup.models import FollowUpContact, ReceptionStep

    known = FollowUpContact.objects.filter(transfer=transfer).first()
    if known is None:
        by_name = {u.username: u for u in User.objects.filter(
            username__in=["petro", "minjun", "vera"]).select_related("organisation")}  # fmt: skip
        execute(by_name["petro"], transfer)
        services.reception_record(
            actor=by_name["minjun"], person=transfer.person, arrived_on=timezone.localdate()
        )
        services.followups_schedule(actor=by_name["vera"], person=transfer.person)
        known = FollowUpContact.objects.filter(transfer=transfer).first()
    return ReceptionStep.objects.filter(reception__transfer=transfer).first(), known
