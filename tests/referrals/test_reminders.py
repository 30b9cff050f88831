"""Referral reminders notify: the receiving state's decision staff and the verifier who referred
him get an in-app notification of the overdue answer, which opens the referral (never his page:
a state sees him pseudonymised); run daily by `safepassage referrals remind` or its job."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from safepassage.accounts.models import Role
from safepassage.notifications.models import Notification
from safepassage.notifications.selectors import REFERRAL_OVERDUE
from safepassage.referrals import services
from safepassage.referrals.jobs import referral_reminders_job
from safepassage.referrals.models import Referral
from tests.factories import make_user
from tests.referrals.builders import in_days, refer, third_country


def test_an_overdue_answer_notifies_the_state_and_the_referrer_once(people, orgs, kim):
    third_country(people, kim)
    due = refer(people, kim, orgs.other_receiving, due_on=in_days(1))
    refer(people, kim, orgs.receiving, due_on=in_days(10))
    make_user(orgs.other_receiving, Role.AUDITOR, username="bruno_auditor")
    services.referral_reminders_send(today=in_days(1))
    notified = Notification.objects.filter(queue=REFERRAL_OVERDUE)
    assert {n.user.username for n in notified} == {"bruno", "vera"}
    assert {n.referral_id for n in notified} == {due.pk}
    services.referral_reminders_send(today=in_days(2))
    assert notified.count() == 2


def test_the_states_notification_opens_the_referral_and_never_shows_his_number(
    people, orgs, kim, login
):
    third_country(people, kim)
    due = refer(people, kim, orgs.other_receiving, due_on=in_days(1))
    services.referral_reminders_send(today=in_days(1))
    client = login(people.other_receiving_officer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert kim.registry_number not in page and "answer overdue" in page
    notification = Notification.objects.get(user=people.other_receiving_officer)
    opened = client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened.url == reverse("referrals:referral_detail", args=[due.pk])


def test_the_command_and_the_job_send_them(people, orgs, kim):
    third_country(people, kim)
    due = refer(people, kim, orgs.other_receiving, due_on=in_days(1))
    Referral.objects.filter(pk=due.pk).update(due_on=in_days(0))  # it fell due today
    out = StringIO()
    call_command("referrals", "remind", stdout=out)
    assert "1 referral reminded." in out.getvalue()
    assert Notification.objects.filter(queue=REFERRAL_OVERDUE).count() == 2
    assert referral_reminders_job.call() == 0
