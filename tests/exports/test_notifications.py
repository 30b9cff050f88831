"""The notification list to the Central Agency (GC III Art. 122-123): the events the registry
and the case history hold, never a will, a destination, a statement, an assessment, a decision
or anything that tells the other party he refused to go home."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from safepassage.accounts.models import Role
from safepassage.audit.models import AuditEvent
from safepassage.audit.services import audit_record
from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState, Wish
from safepassage.exports.models import Export
from safepassage.exports.pseudonyms import pseudonym_of
from safepassage.exports.services import NotificationRequest, notifications_export
from safepassage.lib.errors import DomainError
from safepassage.registry.services import NameInput, person_register, person_update
from tests.exports.conftest import CAMP_MARKER, CAPTURE_PLACE_MARKER, names_of, pdf_text
from tests.factories import assess, handover, make_user, record_will, register, step, tomorrow
from tests.web.conftest import NEXT_OF_KIN_MARKER, STATEMENT_MARKER

DECISION_MARKER = "DECISION-REASON-MARKER-7730"
STEP_MARKER = "STEP-REASON-MARKER-1187"
BASIS_MARKER = "Country reports and the interview record."
PSEUDONYM = re.compile(r"P(-[0-9A-Z]{4}){4}")


def listing(actor, **options) -> bytes:
    out = io.BytesIO()
    notifications_export(actor=actor, request=NotificationRequest(**options), out=out)
    return out.getvalue()


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_cells(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def text_of(data: bytes, fmt: str) -> tuple[str, list[list[str]]]:
    """All the text, without whitespace (a PDF table wraps words anywhere), and the cells."""
    if fmt == "pdf":
        return squash(pdf_text(data)), []
    cells = csv_cells(data) if fmt == "csv" else xlsx_cells(data)
    return squash("\n".join(",".join(row) for row in cells)), cells


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def verifier_registrar(orgs):
    return make_user(orgs.verifier, Role.REGISTRAR, username="regina")


@pytest.fixture
def refuser(people, kim):
    """Kim refuses KP and asks for Brazil; decided, accepted and transferred there."""
    case_services.legal_organisation_assign(
        actor=people.registrar, person=kim, organisation=people.legal_officer.organisation
    )
    step(people.registrar, kim, CaseState.NOTIFIED, reason=STEP_MARKER)
    step(people.registrar, kim, CaseState.AWAITING_INTERVIEW)
    record_will(people.interviewer, kim, wish=Wish.NAMED_STATES, preferred=("BR",),
                refused=("KP",), statement=STATEMENT_MARKER)  # fmt: skip
    step(people.legal_officer, kim, CaseState.LEGAL_ASSESSMENT)
    assess(people.legal_officer, kim, "BR")
    assess(people.legal_officer, kim, "KP", persecution="high")
    case_services.decision_take(
        actor=people.decision_maker, person=kim, kind="transfer", destination="BR",
        reason=DECISION_MARKER,
    )  # fmt: skip
    case_services.acceptance_record(
        actor=people.other_receiving_officer, person=kim, reference="BR-ACCEPT-1"
    )
    assess(people.legal_officer, kim, "PL")
    transfer = case_services.transfer_schedule(
        actor=people.planner, person=kim, destination="BR", transit=["PL"],
        scheduled_for=tomorrow(),
    )  # fmt: skip
    case_services.transfer_execute(actor=people.planner, transfer=transfer, **handover(transfer))
    return kim


@pytest.fixture
def moved(people, ivan):
    """Ivan, moved to another camp, then to hospital, where he died."""
    ivan = person_update(actor=people.registrar, person=ivan, expected_version=ivan.version,
                         internment_place="Camp East-7")  # fmt: skip
    ivan = person_update(actor=people.registrar, person=ivan, expected_version=ivan.version,
                         internment_place="Hospital 5",
                         internment_place_kind="hospital")  # fmt: skip
    step(people.registrar, ivan, CaseState.DECEASED, reason=STEP_MARKER)
    return ivan


def events_by_person(cells: list[list[str]], column: int = 3) -> dict[str, list[str]]:
    by = {}
    for row in cells[1:]:
        by.setdefault(row[column], []).append(row[1])
    return by


def test_it_lists_every_kind_of_event_the_registry_holds(people, refuser, moved):
    escaped = register(people.registrar, family="Пак", given="Сергій", nationalities=["RU"])
    step(people.registrar, escaped, CaseState.ESCAPED)
    cells = csv_cells(listing(people.registrar, identified=True))
    events = events_by_person(cells)
    assert events[moved.registry_number] == [
        "Capture", "Identity (registration)", "Transfer to another place of internment",
        "Admission to hospital", "Death",
    ]  # fmt: skip
    assert events[refuser.registry_number] == ["Identity (registration)", "Released from captivity"]
    assert events[escaped.registry_number] == ["Identity (registration)", "Escape"]


def test_the_identified_list_carries_identity_and_places(people, moved):
    cells = csv_cells(listing(people.registrar, identified=True))
    header, rows = cells[0], cells[1:]
    assert header[:4] == ["No.", "Event", "Date", "Prisoner of war number"]
    capture = next(r for r in rows if r[1] == "Capture")
    assert capture[4:7] == ["Ковальов", "Іван", "Петрович"]
    assert capture[2] == "2025-01-09" and capture[8] == "1994-07-15"
    assert CAPTURE_PLACE_MARKER in capture
    hospital = next(r for r in rows if r[1] == "Admission to hospital")
    assert "Hospital 5" in hospital


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
@pytest.mark.parametrize("identified", [False, True])
def test_a_notification_list_never_reveals_a_will_a_destination_or_a_refusal(
    people, refuser, moved, verifier_registrar, fmt, identified
):
    """Kim refused KP and went to Brazil: the list says he was released, nothing more. Not to
    the detaining power's registrar, not to the Agency's, in no format."""
    for actor in (people.registrar, verifier_registrar):
        text, cells = text_of(listing(actor, format=fmt, identified=identified), fmt)
        markers = [STATEMENT_MARKER, DECISION_MARKER, STEP_MARKER, BASIS_MARKER, "BR-ACCEPT-1",
                   "Brazil", "Бразил", "브라질", "Poland", "Refuses", "refus", "Wish", "wish",
                   "Repatriat", "repatriat", "Decision", "Accepted", "Transferred", "Seoul",
                   "named state", "Destination", "destination", "Certainty", "Risk", "risk",
                   "Other Receiving Office", "Protection Law Centre"]  # fmt: skip
        leaked = [m for m in markers if squash(m) in text]
        assert not leaked, (actor, leaked)
        tokens = {
            token
            for row in cells
            for cell in row
            if not PSEUDONYM.fullmatch(cell)
            for token in re.split(r"[\s,;/()]+", cell)
        }
        assert not tokens & {"BR", "PL"}, tokens & {"BR", "PL"}
        assert squash("Released from captivity") in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_the_pseudonymised_list_names_no_one(people, refuser, moved, fmt):
    text, _cells = text_of(listing(people.registrar, format=fmt), fmt)
    secrets = [*names_of(refuser), *names_of(moved), refuser.registry_number,
               moved.registry_number, NEXT_OF_KIN_MARKER, CAPTURE_PLACE_MARKER, CAMP_MARKER,
               "Camp East-7", "Hospital 5", "1994-07-15", "2025-01-09"]  # fmt: skip
    leaked = [s for s in secrets if squash(s) in text]
    assert not leaked, leaked
    assert pseudonym_of(moved.registry_number) in text
    assert "1994" in text and "2025-01" in text


def test_the_same_person_keeps_his_pseudonym_across_lists(people, moved):
    first = csv_cells(listing(people.registrar))
    second = csv_cells(listing(people.registrar, kinds=("death",)))
    assert second[1][1] == first[1][1] == pseudonym_of(moved.registry_number)


def test_it_filters_by_date_and_kind(people, moved):
    rows = csv_cells(listing(people.registrar, identified=True, kinds=("capture", "death")))[1:]
    assert [r[1] for r in rows] == ["Capture", "Death"]
    since = datetime.date(2025, 6, 1)
    rows = csv_cells(listing(people.registrar, identified=True, since=since))[1:]
    assert "Capture" not in [r[1] for r in rows]
    assert all(datetime.date.fromisoformat(r[2]) >= since for r in rows)
    until = datetime.date(2025, 6, 1)
    rows = csv_cells(listing(people.registrar, identified=True, until=until))[1:]
    assert [r[1] for r in rows] == ["Capture"]


def test_it_lists_only_the_persons_the_reader_may_see(people, kim, ivan, orgs):
    theirs = person_register(
        actor=make_user(orgs.other_detaining, Role.REGISTRAR),
        names=[NameInput(family_name="Outsider", given_name="Person")],
    )
    text = listing(people.registrar, identified=True).decode("utf-8-sig")
    assert kim.registry_number in text and theirs.registry_number not in text
    assert "Outsider" not in text


def test_a_forgotten_place_stays_forgotten_after_retention(people, moved):
    """After anonymisation the audit log still holds his old places; the list does not."""
    audit_record(actor=None, action="retention.anonymise", obj=moved, person=moved, changes={})
    rows = csv_cells(listing(people.registrar, identified=True))[1:]
    assert not any("Camp East-7" in row or "Hospital 5" in row for row in rows)


def test_formulas_in_cells_are_neutralised(people):
    person_register(
        actor=people.registrar,
        names=[NameInput(family_name='=HYPERLINK("http://x","y")', given_name="+1+1")],
        birth_place="@SUM(A1)",
        rank="-2+3",
    )
    for cells in (
        csv_cells(listing(people.registrar, identified=True)),
        xlsx_cells(listing(people.registrar, identified=True, format="xlsx")),
    ):
        row = cells[1]
        assert row[4] == '\'=HYPERLINK("http://x","y")'
        assert row[5] == "'+1+1" and row[9] == "'@SUM(A1)" and row[11] == "'-2+3"


def test_the_identified_pdf_list_keeps_hangul_and_cyrillic(people, kim, ivan):
    data = listing(people.registrar, identified=True, format="pdf", second_language="ko")
    text = squash(pdf_text(data))  # narrow columns wrap words anywhere
    assert "김" in text and "철수" in text and "Ковальов" in text
    assert "사건" in text  # the Korean heading beside the English one


def test_a_pdf_list_is_bounded(people, kim, ivan, settings):
    settings.EXPORT_PDF_MAX_ROWS = 2
    with pytest.raises(DomainError, match="more than 2 rows"):
        listing(people.registrar, format="pdf")
    assert not Export.objects.exists()


def test_each_list_is_one_audit_event_with_counts_and_no_values(people, kim, ivan):
    listing(people.registrar, identified=True, kinds=("identity",))
    event = AuditEvent.objects.get(action="export.notifications")
    assert event.changes["persons"] == [None, 2] and event.changes["rows"] == [None, 2]
    assert event.changes["identified"] == [None, True]
    assert event.changes["events"] == [None, ["identity"]]
    assert not any(s in str(event.changes) for s in [*names_of(kim), *names_of(ivan)])


def test_the_queries_do_not_grow_with_the_number_of_persons(people):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            listing(people.registrar, identified=True)
        return len(captured)

    for _ in range(3):
        register(people.registrar, internment_place="Camp 3")
    few = queries()
    for _ in range(27):
        register(people.registrar, internment_place="Camp 3")
    assert queries() == few <= 15


@pytest.mark.parametrize(
    "options",
    [{"format": "docx"}, {"second_language": "fr"}, {"kinds": ("wish",)}, {"kinds": ()},
     {"since": datetime.date(2025, 2, 1), "until": datetime.date(2025, 1, 1)}],
)  # fmt: skip
def test_bad_options_are_refused_with_a_reason(people, options):
    with pytest.raises(DomainError):
        listing(people.registrar, **options)
