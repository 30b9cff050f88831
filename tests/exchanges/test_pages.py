"""The exchange pages reach the same planner and services; manifests carry entries only."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from safepassage.exchanges import services
from safepassage.exchanges.models import Agreement, Batch, BatchState
from tests.exchanges.builders import ORIGIN, agreement, refusing, returning, theirs
from tests.factories import force_login_fresh


def client_of(user) -> Client:
    client = Client()
    force_login_fresh(client, user)
    return client


@pytest.fixture
def planned(people):
    going, staying = returning(people), refusing(people)
    deal = agreement(people, manifest_language="uk")
    services.pool_add_registry(actor=people.planner, agreement=deal)
    theirs(deal, people.planner, "T1", name="Шевченко Тарас Григорович")
    theirs(deal, people.planner, "T2", name='=HYPERLINK("http://evil")', priority=5)
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    return batch, going, staying


def test_a_planner_records_an_agreement_and_plans_through_the_pages(people):
    returning(people)
    client = client_of(people.planner)
    response = client.post(reverse("exchanges:agreement_new"), {
        "title": "Spring exchange", "other_party": "Other Bureau", "other_party_country": "RU",
        "manifest_language": "ru", "exchange_date": "2030-05-01", "ratio_kind": "ratio",
        "ratio_ours": 1, "ratio_theirs": 1, "category_ratios": "officer=1:1",
        "transit": "BY", "priority_order": "captivity",
    })  # fmt: skip
    deal = Agreement.objects.get(title="Spring exchange")
    assert response.status_code == 302 and deal.category_ratios == {"officer": [1, 1]}
    assert [c.code for c in deal.transit] == ["BY"]
    client.post(reverse("exchanges:pool_add_registry", args=[deal.pk]))
    theirs(deal, people.planner, "T1")
    response = client.post(reverse("exchanges:batch_plan", args=[deal.pk]))
    batch = Batch.objects.get(agreement=deal)
    assert response.url == reverse("exchanges:batch_detail", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "Best possible plan found" in page and "T1" in page


def test_the_batch_page_says_why_each_is_left_out_but_never_where_he_wants_to_go(people, planned):
    batch, _going, staying = planned
    page = client_of(people.planner).get(reverse("exchanges:batch_detail", args=[batch.pk]))
    text = page.content.decode()
    assert staying.registry_number in text and "A state on the route is blocked for him" in text
    # The state he asked for is nobody's business here (as a code: not inside a random token).
    assert re.search(r"\bKR\b", text) is None


def test_the_form_shows_the_refusal_of_a_step(people, planned):
    batch, _going, _staying = planned
    client = client_of(people.planner)
    url = reverse("exchanges:batch_step", args=[batch.pk, BatchState.EXECUTED])
    response = client.post(url, {"reason": "Done."})
    assert response.status_code == 200 and "Only an agreed batch is executed" in (
        response.content.decode()
    )


def test_the_pdf_manifest_has_bilingual_headers_and_only_the_entries(people, planned):
    batch, going, staying = planned
    response = client_of(people.planner).get(reverse("exchanges:manifest_pdf", args=[batch.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Name / Прізвище, ім'я" in text or "Прізвище" in text
    assert "Exchange manifest / Список обміну" in text
    assert going.registry_number in text
    assert staying.registry_number not in text
    assert "refused" not in text.lower()


def test_the_csv_manifest_neutralises_formulas_and_lists_the_entries(people, planned):
    batch, going, staying = planned
    services.batch_plan(actor=people.planner, agreement=batch.agreement, batch=batch)
    response = client_of(people.planner).get(reverse("exchanges:manifest_csv", args=[batch.pk]))
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("No. / №,Handed over by / Передає")
    assert going.registry_number in text and staying.registry_number not in text
    assert "'=HYPERLINK" in text and ",=" not in text


def test_an_interviewer_records_a_refusal_at_the_handover(people, planned):
    batch, going, _staying = planned
    services.batch_step(actor=people.planner, batch=batch, target="proposed", reason="Sent.")
    services.batch_step(actor=people.planner, batch=batch, target="agreed", reason="Signed.")
    entry = batch.entries.get(person=going)
    response = client_of(people.interviewer).post(
        reverse("exchanges:entry_refusal", args=[entry.pk]),
        {"statement": "I stay.", "certainty": 90, "source": "official_interview",
         "setting": "witnessed", "present": "Guards"},
    )  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "removed"
    assert going.will_expressions.latest("id").destinations_refused[0].code == ORIGIN
