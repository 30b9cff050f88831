"""A visit goes planned → announced → under way → completed → report shared, each step a row
and an audit event; only the visiting verifier takes them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from safepassage.audit.models import AuditEvent
from safepassage.lib.errors import DomainError
from safepassage.visits import services
from safepassage.visits.models import TeamRole, Visit, VisitState, VisitTransition
from tests.factories import make_user
from tests.visits.builders import man_at_the_camp, planned, today, under_way

S = VisitState


def test_a_planned_visit_is_audited_with_its_team(people):
    place = man_at_the_camp(people).place
    visit = planned(people, place)
    assert visit.state == S.PLANNED and visit.organisation == people.interviewer.organisation
    assert [m.role for m in visit.team.all()] == [TeamRole.INTERPRETER, TeamRole.INTERVIEWER]
    assert AuditEvent.objects.filter(action="visit.plan", object_id=str(visit.pk)).exists()
    assert AuditEvent.objects.filter(action="visit.team_add").count() == 2


def test_it_takes_every_step_in_order_and_records_each(people):
    visit = under_way(people, man_at_the_camp(people).place)
    visit = services.visit_step(actor=people.interviewer, visit=visit, target=S.COMPLETED)
    services.visit_report_write(actor=people.interviewer, visit=visit, report="Conditions fair.")
    visit = services.visit_step(actor=people.interviewer, visit=visit, target=S.REPORT_SHARED)
    rows = list(VisitTransition.objects.filter(visit=visit).values_list("from_state", "to_state"))
    assert rows == [
        (S.PLANNED, S.ANNOUNCED), (S.ANNOUNCED, S.UNDER_WAY), (S.UNDER_WAY, S.COMPLETED),
        (S.COMPLETED, S.REPORT_SHARED),
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="visit.transition").count() == 4


def test_it_refuses_to_skip_a_step(people):
    visit = planned(people, man_at_the_camp(people).place)
    with pytest.raises(DomainError, match="cannot move"):
        services.visit_step(actor=people.interviewer, visit=visit, target=S.COMPLETED)


def test_it_refuses_to_announce_a_visit_without_an_interviewer(people):
    place = man_at_the_camp(people).place
    visit = services.visit_plan(
        actor=people.interviewer, place=place, starts_on=today(), ends_on=today()
    )
    with pytest.raises(DomainError, match="interviewer"):
        services.visit_step(actor=people.interviewer, visit=visit, target=S.ANNOUNCED)


def test_it_refuses_to_start_before_the_first_day(people):
    later = today() + datetime.timedelta(days=5)
    visit = planned(people, man_at_the_camp(people).place, starts_on=later)
    visit = services.visit_step(actor=people.interviewer, visit=visit, target=S.ANNOUNCED)
    with pytest.raises(DomainError, match="cannot be under way"):
        services.visit_step(actor=people.interviewer, visit=visit, target=S.UNDER_WAY)


def test_it_refuses_to_share_an_empty_report(people):
    visit = under_way(people, man_at_the_camp(people).place)
    visit = services.visit_step(actor=people.interviewer, visit=visit, target=S.COMPLETED)
    with pytest.raises(DomainError, match="report"):
        services.visit_step(actor=people.interviewer, visit=visit, target=S.REPORT_SHARED)


def test_a_shared_report_is_never_rewritten(people):
    visit = under_way(people, man_at_the_camp(people).place)
    visit = services.visit_step(actor=people.interviewer, visit=visit, target=S.COMPLETED)
    services.visit_report_write(actor=people.interviewer, visit=visit, report="Fair.")
    services.visit_step(actor=people.interviewer, visit=visit, target=S.REPORT_SHARED)
    with pytest.raises(DomainError):
        services.visit_report_write(actor=people.interviewer, visit=visit, report="Other.")


def test_the_report_is_stored_encrypted_and_masked_in_the_log(people):
    visit = under_way(people, man_at_the_camp(people).place)
    services.visit_report_write(actor=people.interviewer, visit=visit, report="Cells damp.")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT report FROM visits_visit WHERE id = %s", [visit.pk])
        (stored,) = cursor.fetchone()
    assert "Cells damp" not in stored
    event = AuditEvent.objects.get(action="visit.report_write")
    assert "Cells damp" not in str(event.changes)


def test_it_refuses_a_last_day_before_the_first(people):
    place = man_at_the_camp(people).place
    with pytest.raises(DomainError):
        services.visit_plan(
            actor=people.interviewer, place=place, starts_on=today(),
            ends_on=today() - datetime.timedelta(days=1),
        )  # fmt: skip
    assert not Visit.objects.exists()


@pytest.mark.parametrize("who", ["registrar", "decision_maker", "legal_officer", "outsider"])
def test_only_the_verifier_plans_a_visit(people, who):
    place = man_at_the_camp(people).place
    with pytest.raises(PermissionDenied):
        services.visit_plan(
            actor=getattr(people, who), place=place, starts_on=today(), ends_on=today()
        )


def test_another_verifiers_visit_is_not_his_to_step(people, orgs):
    visit = planned(people, man_at_the_camp(people).place)
    from safepassage.accounts.models import OrganisationKind, Role
    from tests.factories import make_org

    other = make_org("Other Mission", OrganisationKind.NEUTRAL_VERIFIER, "SE")
    stranger = make_user(other, Role.INTERVIEWER)
    with pytest.raises(PermissionDenied):
        services.visit_step(actor=stranger, visit=visit, target=S.ANNOUNCED)
    with pytest.raises(PermissionDenied):
        services.visit_step(actor=people.registrar, visit=visit, target=S.ANNOUNCED)
