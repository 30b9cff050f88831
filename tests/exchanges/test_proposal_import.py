"""The other side's proposal: imported all or nothing, matched to persons we hold."""

import datetime

import pytest
from openpyxl import Workbook

from safepassage.exchanges import services
from safepassage.exchanges.models import Candidate, MatchMethod, Side
from safepassage.lib.errors import DomainError
from safepassage.registry.services import NameInput, person_register
from tests.exchanges.builders import agreement
from tests.lib.test_spreadsheet import _xlsx_with_sheet_padding


@pytest.fixture
def deal(people):
    return agreement(people)


@pytest.fixture
def kovalenko(people):
    return person_register(
        actor=people.registrar,
        names=[NameInput(family_name="Коваленко", given_name="Сергій")],
        nationalities=["RU"], service_number="AB-123 456", birth_date=datetime.date(1990, 5, 17),
    )  # fmt: skip


def test_it_imports_theirs_and_matches_those_they_ask_for(people, deal, kovalenko, tmp_path):
    path = tmp_path / "proposal.csv"
    path.write_text(
        "side,id,name,category,seriously_wounded,service_number,registry_number\n"
        "theirs,P-1,Шевченко Тарас,officer,1,,\n"
        "theirs,P-2,Бондар Олег,conscript,0,,\n"
        f"ours,R-1,Kovalenko,conscript,0,,{kovalenko.registry_number}\n"
        "ours,R-2,Kovalenko S.,conscript,0,AB123456,\n"
        "ours,R-3,Nobody Known,conscript,0,,\n",
        encoding="utf-8",
    )
    result = services.proposal_import(actor=people.planner, agreement=deal, path=path,
                                      name="proposal.csv")  # fmt: skip
    assert result.added == 3 and result.requested == 2
    assert len(result.unmatched) == 1 and "R-3" in result.unmatched[0]
    ours = Candidate.objects.get(agreement=deal, side=Side.OURS)
    assert ours.person == kovalenko and ours.requested_by_other_party
    assert ours.match_method == MatchMethod.REGISTRY_NUMBER
    wounded = Candidate.objects.get(agreement=deal, external_id="P-1")
    assert wounded.seriously_wounded and wounded.category == "officer"


def test_it_reads_xlsx_too(people, deal, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name", "category", "fit_to_travel"])
    sheet.append(["X-1", "김철수", "conscript", 0])
    book.save(tmp_path / "p.xlsx")
    services.proposal_import(actor=people.planner, agreement=deal, path=tmp_path / "p.xlsx",
                             name="p.xlsx")  # fmt: skip
    assert Candidate.objects.get(external_id="X-1").fit_to_travel is False


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("id,category\nP-1,general\n", "p.csv row 2, field category"),
        ("id,category,priority\nP-1,officer,-3\n", "p.csv row 2, field priority"),
        ("id,category,side\nP-1,officer,both\n", "p.csv row 2, field side"),
        ("id,category\nP-1,officer\nP-1,officer\n", "p.csv row 3, field id"),
        ("name,category\nA,officer\n", "lacks id"),
    ],
)
def test_it_refuses_the_whole_file_naming_row_and_field(people, deal, tmp_path, rows, message):
    path = tmp_path / "p.csv"
    path.write_text(rows, encoding="utf-8")
    with pytest.raises(DomainError, match=message):
        services.proposal_import(actor=people.planner, agreement=deal, path=path, name="p.csv")
    assert not Candidate.objects.filter(agreement=deal).exists()


def test_it_refuses_a_zip_bomb_naming_the_file(people, deal):
    data = _xlsx_with_sheet_padding(30 * 1024 * 1024)
    with pytest.raises(DomainError, match=r"^bomb.xlsx: this XLSX file.*zip bomb"):
        services.proposal_import(actor=people.planner, agreement=deal, path=data,
                                 name="bomb.xlsx")  # fmt: skip
    assert not Candidate.objects.filter(agreement=deal).exists()
