"""Who sees which figure, and over which persons: need-to-know holds in aggregates too."""

import pytest
from django.urls import reverse
from django_countries import countries

from safepassage.accounts.models import OrganisationKind, Role
from safepassage.reports import selectors
from tests.factories import make_org, make_user
from tests.reports.builders import MARCH as MARCH_QUERY
from tests.reports.builders import WEEK_A, WEEK_C, tracing_work
from tests.reports.conftest import MARCH

# Who holds REPORTS_VIEW among the named people (written out, not read from the policy).
REPORTERS = {"decision_maker", "planner", "interviewer", "verifier_legal", "receiving_officer",
             "other_receiving_officer", "outsider"}  # fmt: skip

URLS = [
    "/reports/",
    "/reports/funnel/chart.svg",
    "/reports/funnel/export.csv",
    "/reports/time_in_state/export.png",
]


def test_reports_are_open_to_decision_makers_planners_and_the_verifiers_staff(people):
    from safepassage.access.policy import Action, can

    holders = {name for name, user in vars(people).items() if can(user, Action.REPORTS_VIEW)}
    assert holders == REPORTERS


def _registered(figure) -> int:
    return dict((row[0], row[1]) for row in figure.rows)["Registered"]


@pytest.mark.parametrize("who", ["registrar", "auditor", "admin", "detaining_interviewer",
                                 "legal_officer"])  # fmt: skip
def test_a_user_without_a_reporting_role_is_refused(people, client_for, who):
    client = client_for(getattr(people, who))
    for url in URLS:
        assert client.get(url, MARCH_QUERY).status_code == 403, url


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_outsider_sees_only_his_own_organisations_persons_in_every_figure(
    people, casework, exchange, tracing, client_for
):
    outsider = people.outsider
    figures = {f.key: f for f in selectors.dashboard(actor=outsider, filters=MARCH)}
    assert set(figures) == {"funnel", "wills", "time_in_state", "exchanges", "medical"}
    assert _registered(figures["funnel"]) == 1  # Pak, whom he holds
    assert figures["wills"].rows == ((WEEK_A, countries.name("KP"), 1, 0, 0),)
    assert {row[1] for row in figures["time_in_state"].rows} == {1}
    assert figures["exchanges"].rows == ()
    assert figures["medical"].rows == ()
    # Over HTTP too, and asking for the other organisation's persons changes nothing.
    client = client_for(outsider)
    csv = client.get("/reports/funnel/export.csv", MARCH_QUERY).content.decode("utf-8-sig")
    assert "Registered,<3,0" in csv
    asked = client.get(
        "/reports/", {**MARCH_QUERY, "organisation": people.registrar.organisation.pk}
    )
    assert "Choose one of the organisations listed" in asked.content.decode()
    chart = client.get(
        "/reports/funnel/export.csv",
        {**MARCH_QUERY, "organisation": people.registrar.organisation.pk},
    )
    assert chart.status_code == 400


def test_a_receiving_state_counts_only_those_who_ask_to_go_there(people, casework):
    # kp1, kp2 and kp3 (held here) and Pak (held by the outsider) ask for Korea; kp0's latest
    # verified will is undecided and the Russian's too.
    funnel = selectors.case_funnel(actor=people.receiving_officer, filters=MARCH)
    assert _registered(funnel) == 4
    assert not funnel.exact_on_page
    assert _registered(selectors.case_funnel(actor=people.other_receiving_officer,
                                             filters=MARCH)) == 0  # fmt: skip


def test_will_outcomes_need_the_right_to_see_where_he_asks_to_go(people, casework, client_for):
    # The receiving state's decision maker and the planner report, but may not see wishes.
    for user in (people.receiving_officer, people.planner):
        assert "wills" not in selectors.figure_keys_for(user)
        client = client_for(user)
        assert client.get("/reports/wills/chart.svg", MARCH_QUERY).status_code == 403
        assert client.get("/reports/wills/export.csv", MARCH_QUERY).status_code == 403
        page = client.get("/reports/", MARCH_QUERY).content.decode()
        assert 'id="figure-wills"' not in page
    assert "wills" in selectors.figure_keys_for(people.decision_maker)


def test_exchanges_are_reported_only_to_those_who_see_exchanges(people, exchange, client_for):
    assert "exchanges" not in selectors.figure_keys_for(people.receiving_officer)
    client = client_for(people.receiving_officer)
    assert client.get("/reports/exchanges/export.csv", MARCH_QUERY).status_code == 403
    verifier = selectors.exchanges_done(actor=people.interviewer, filters=MARCH)
    assert verifier.rows == ((WEEK_C, 1, 2, 2),)
    assert not verifier.exact_on_page


def test_tracing_is_reported_only_to_the_agencys_own_staff(people, orgs, tracing, client_for):
    assert "tracing" not in selectors.figure_keys_for(people.decision_maker)
    assert (
        client_for(people.decision_maker)
        .get("/reports/tracing/export.csv", MARCH_QUERY)
        .status_code
        == 403
    )
    other_agency = make_org("Other Mission", OrganisationKind.NEUTRAL_VERIFIER, "SE")
    stranger = make_user(other_agency, Role.INTERVIEWER)
    assert selectors.tracing_answered(actor=stranger, filters=MARCH).rows == ()
    assert len(selectors.tracing_answered(actor=people.interviewer, filters=MARCH).rows) == 3


def test_the_organisation_filter_offers_only_organisations_one_sees(people, orgs, casework,
                                                                     client_for):  # fmt: skip
    page = client_for(people.decision_maker).get("/reports/").content.decode()
    assert orgs.detaining.name in page
    assert orgs.other_detaining.name not in page
    page = client_for(people.interviewer).get("/reports/").content.decode()
    assert orgs.other_detaining.name in page


def test_a_tracing_figure_is_not_narrowed_by_a_detaining_power(people, orgs, client_for):
    tracing_work(people)
    figure = selectors.tracing_answered(
        actor=people.interviewer,
        filters=selectors.ReportFilters(MARCH.date_from, MARCH.date_to, orgs.other_detaining),
    )
    assert figure.rows[0][1] == 3
