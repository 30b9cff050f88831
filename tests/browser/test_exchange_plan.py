"""An exchange planned in the browser: the agreement recorded, the persons we hold added to the
pool, a batch planned; the man whose verified will refuses the other party's state stays, and
the page says why without saying where he wants to go."""

from django.urls import reverse
from playwright.sync_api import expect

from safepassage.exchanges.models import Agreement, Batch
from tests.exchanges.builders import ORIGIN, refusing, returning, theirs


def test_a_planner_records_an_agreement_and_plans_a_batch(people, browsing):
    going, staying = returning(people), refusing(people)
    page = browsing.open(people.planner, path=reverse("exchanges:agreement_list"))
    page.get_by_role("link", name="New agreement").click()
    page.get_by_label("Title").fill("Spring exchange")
    page.get_by_label("Other party:", exact=True).fill("Other Bureau")
    page.get_by_label("Other party's state (where ours go)").fill(ORIGIN)
    page.get_by_label("Date of the exchange").fill("2030-05-01")
    page.get_by_label("Ratio:", exact=True).select_option("ratio")
    page.get_by_label("Transit states of the handover route, in order").fill("BY")
    browsing.shot(page, "agreement-form")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Agreement recorded.")).to_be_visible()
    deal = Agreement.objects.get(title="Spring exchange")
    page.get_by_role("link", name="Add the persons we hold").click()
    page.get_by_role("button", name="Add to the pool").click()
    expect(page.get_by_text("2 persons added to the pool.")).to_be_visible()
    theirs(deal, people.planner, "T1", name="Шевченко Тарас")
    theirs(deal, people.planner, "T2", name="Петренко Іван")
    page.reload()
    browsing.shot(page, "pool")

    page.get_by_role("link", name="Plan a new batch").click()
    page.get_by_role("button", name="Plan").click()
    expect(page.get_by_text("Batch planned.")).to_be_visible()
    batch = Batch.objects.get(agreement=deal)
    assert page.url.endswith(reverse("exchanges:batch_detail", args=[batch.pk]))
    expect(page.get_by_text("Best possible plan found")).to_be_visible()
    entries = page.get_by_role("table").nth(0)
    expect(entries.get_by_role("link", name=going.registry_number)).to_be_visible()
    left_out = page.locator("section").filter(has_text="Left out, and why")
    rows = left_out.get_by_role("row").filter(has_text=staying.registry_number)
    # One row per reason; his will's refusal reads as a blocked state, naming none.
    expect(rows.filter(has_text="A state on the route is blocked for him")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("KR")  # where he wants to go is not theirs
    browsing.shot(page, "batch")
