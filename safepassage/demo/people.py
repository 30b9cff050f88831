"""Fictional demo persons: names in their scripts, identity core, capture and health.

Each generator draws from a seeded `random.Random`, so the same seed gives the same people.
"""

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from safepassage.demo.names import (
    FOREIGN,
    KOREAN_FAMILY,
    KOREAN_GIVEN,
    RUSSIAN_FAMILY,
    SLAVIC_GIVEN,
    UKRAINIAN_FAMILY,
    KoreanForm,
    SlavicGiven,
)
from safepassage.registry.models import (
    DatePrecision,
    HealthStatus,
    PlaceKind,
    Romanization,
    Script,
    Sex,
)
from safepassage.registry.services import NameInput

# What the person wants, as the verified interview will record it.
KIND_KR = "kr"  # go to the Republic of Korea; refuses the DPRK and Russia
KIND_RETURN = "return"  # return to the country of origin
KIND_THIRD = "third"  # any third country; refuses the country of origin
KIND_UNDECIDED = "undecided"


@dataclass
class Profile:
    """Everything needed to register one demo person and to drive his case."""

    group: str  # kp, ru, ua, foreign
    detaining: str  # key of the detaining organisation: "ua" or "ru"
    origin: str
    kind: str
    names: list[NameInput]
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def capture_date(self) -> datetime.date:
        return self.fields["capture_date"]


def _day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _captured_since(
    rng: random.Random, start: datetime.date, today: datetime.date
) -> datetime.date:
    """A capture day from `start` until a month ago."""
    return _day_between(rng, start, today - datetime.timedelta(days=30))


def _birth(rng: random.Random, first_year: int, last_year: int, precision: str) -> dict:
    born = _day_between(rng, datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31))
    if precision == DatePrecision.YEAR:
        born = born.replace(month=1, day=1)
    elif precision == DatePrecision.MONTH:
        born = born.replace(day=1)
    return {"birth_date": born, "birth_date_precision": precision}


def _health(rng: random.Random, kind: str = "camp") -> dict:
    roll = rng.random()
    camp = rng.choice(CAMPS[kind])
    if roll < 0.1:
        # The draw that once chose a registrar's Art. 110 category (now only a commission's
        # finding sets it) is kept, so that every later draw, and the demo, stays the same.
        rng.choice(range(3))
        return {
            "health_status": HealthStatus.SERIOUSLY_WOUNDED_OR_SICK,
            "wounds": rng.choice(SERIOUS_WOUNDS),
            "internment_place": rng.choice(HOSPITALS[kind]),
            "internment_place_kind": PlaceKind.HOSPITAL,
        }
    if roll < 0.35:
        return {
            "health_status": HealthStatus.WOUNDED,
            "wounds": rng.choice(WOUNDS),
            "internment_place": camp,
        }
    if roll < 0.4:
        return {"health_status": HealthStatus.SICK, "wounds": rng.choice(SICKNESS),
                "internment_place": camp}  # fmt: skip
    return {"health_status": HealthStatus.HEALTHY, "internment_place": camp}


CAMPS = {
    "camp": ["Prisoner-of-war camp No. 1, Lviv region (demo)",
             "Prisoner-of-war camp No. 2, Kharkiv region (demo)",
             "Prisoner-of-war camp No. 3, Zhytomyr region (demo)"],
    "ru": ["Detention facility No. 2, Rostov region (demo)",
           "Detention facility No. 5, Bryansk region (demo)",
           "Correctional colony No. 10, Mordovia (demo)"],
}  # fmt: skip
HOSPITALS = {
    "camp": ["Military hospital, Kyiv (demo)", "Regional clinical hospital, Dnipro (demo)"],
    "ru": ["Prison hospital, Rostov-on-Don (demo)"],
}
WOUNDS = [
    "Shrapnel wounds to the left leg.", "Gunshot wound to the shoulder, healing.",
    "Burns to the hands and face.", "Concussion; hearing loss in one ear.",
    "Fractured forearm, in a cast.",
]  # fmt: skip
SERIOUS_WOUNDS = [
    "Amputation of the right leg below the knee.", "Spinal injury; cannot walk unaided.",
    "Penetrating head wound; lasting cognitive impairment.", "Loss of sight in both eyes.",
    "Multiple fractures of the pelvis; months of treatment ahead.",
]  # fmt: skip
SICKNESS = ["Tuberculosis, under treatment.", "Hepatitis B.", "Severe depression.",
            "Frostbite of the feet."]  # fmt: skip

KPA_RANKS = ["Private (전사)", "Private first class (상등병)", "Corporal (하사)",
             "Sergeant (중사)", "Staff sergeant (상사)", "Junior lieutenant (소위)"]  # fmt: skip
RU_RANKS = ["Private (рядовой)", "Lance corporal (ефрейтор)",
            "Junior sergeant (младший сержант)", "Sergeant (сержант)",
            "Senior sergeant (старший сержант)", "Warrant officer (прапорщик)",
            "Lieutenant (лейтенант)", "Senior lieutenant (старший лейтенант)"]  # fmt: skip
UA_RANKS = ["Private (солдат)", "Senior private (старший солдат)",
            "Junior sergeant (молодший сержант)", "Sergeant (сержант)",
            "Senior sergeant (старший сержант)", "Lieutenant (лейтенант)"]  # fmt: skip
KURSK_PLACES = ["near Sudzha, Kursk region", "near Plekhovo, Kursk region",
                "near Malaya Loknya, Kursk region", "near Lebedevka, Kursk region",
                "near Makhnovka, Kursk region"]  # fmt: skip
FRONT_PLACES = ["Pokrovsk direction, Donetsk region", "near Toretsk, Donetsk region",
                "near Vovchansk, Kharkiv region", "near Kupiansk, Kharkiv region",
                "near Robotyne, Zaporizhzhia region", "near Sudzha, Kursk region"]  # fmt: skip
KP_HOMETOWNS = ["Pyongyang", "Hamhung", "Chongjin", "Wonsan", "Sinuiju", "Kaesong", "Nampo"]
RU_HOMETOWNS = ["Kyzyl, Tuva", "Ulan-Ude, Buryatia", "Rostov-on-Don", "Saratov", "Omsk",
                "Krasnoyarsk", "Chelyabinsk", "Perm", "Kursk", "Orenburg"]  # fmt: skip
UA_HOMETOWNS = ["Kharkiv", "Dnipro", "Zaporizhzhia", "Poltava", "Chernihiv", "Sumy", "Lviv"]


def _name(family: str, given: str, script: str, romanization: str, source: str,
          patronymic: str = "", assumed: bool = False) -> NameInput:  # fmt: skip
    return NameInput(
        family_name=family, given_name=given, patronymic=patronymic, script=script,
        romanization=romanization, source=source, is_assumed_identity=assumed,
    )  # fmt: skip


def korean_names(family: KoreanForm, given: KoreanForm, *, popular: bool) -> list[NameInput]:
    """Hangul, DPRK official Latin, Russian Cyrillic and, when known, the popular spelling."""
    names = [
        _name(family.hangul, given.hangul, Script.HANGUL, Romanization.AS_WRITTEN,
              "Verification interview (self-declared)"),
        _name(family.dprk, given.dprk, Script.LATIN, Romanization.DPRK,
              "Capture card (Art. 70)"),
        _name(family.russian, given.russian, Script.CYRILLIC, Romanization.AS_WRITTEN,
              "Russian unit roster"),
    ]  # fmt: skip
    if popular:
        names.append(_name(family.popular, given.popular, Script.LATIN, Romanization.POPULAR,
                           "Press reports"))  # fmt: skip
    return names


def _assumed_russian_identity(rng: random.Random) -> list[NameInput]:
    """The Russian military ID some KPA soldiers carried, issued under another man's name."""
    family = rng.choice(RUSSIAN_FAMILY[-4:])
    given, father = rng.choice(SLAVIC_GIVEN), rng.choice(SLAVIC_GIVEN)
    source = "Russian military ID (issued under another name)"
    return [
        _name(family[0], given.ru, Script.CYRILLIC, Romanization.AS_WRITTEN, source,
              father.ru_patronymic, assumed=True),
        _name(family[1], given.ru_latin, Script.LATIN, Romanization.BGN_PCGN, source,
              father.ru_patronymic_latin, assumed=True),
    ]  # fmt: skip


def korean_soldier(rng: random.Random, today: datetime.date) -> Profile:
    family, given = rng.choice(KOREAN_FAMILY), rng.choice(KOREAN_GIVEN)
    names = korean_names(family, given, popular=rng.random() < 0.3)
    if rng.random() < 0.2:
        names += _assumed_russian_identity(rng)
    precision = rng.choice([DatePrecision.YEAR, DatePrecision.YEAR, DatePrecision.APPROXIMATE,
                            DatePrecision.EXACT])  # fmt: skip
    capture = _day_between(rng, datetime.date(2024, 12, 1), datetime.date(2025, 4, 25))
    fields = {
        "sex": Sex.MALE,
        **_birth(rng, 1996, 2006, precision),
        "birth_place": rng.choice(KP_HOMETOWNS + [""]),
        "nationalities": ["KP"],
        "rank": rng.choice(KPA_RANKS),
        "unit": f"Korean People's Army, 11th Corps, {rng.randint(1, 9)}th Brigade",
        "capture_date": capture,
        "capture_place": rng.choice(KURSK_PLACES),
        "capturing_unit": f"{rng.choice([47, 80, 95, 225])}th Separate Assault Unit (demo)",
        "languages": "ko",
        "next_of_kin": "Parents in the DPRK (withheld: at risk of reprisal).",
        **_health(rng),
    }
    kind = rng.choices([KIND_KR, KIND_UNDECIDED, KIND_RETURN], weights=[70, 15, 15])[0]
    return Profile("kp", "ua", "KP", kind, names, fields)


def _russian_service_number(rng: random.Random) -> str:
    letters = "АБВГДЕЖИКЛМНОПРСТУ"
    return f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randint(0, 999999):06d}"


def _slavic_soldier_drawn(
    rng: random.Random, families: list[tuple[str, str, str]]
) -> tuple[tuple[str, str, str], SlavicGiven, SlavicGiven]:
    """His family name (its three spellings), his given name and his father's, in that order."""
    return rng.choice(families), rng.choice(SLAVIC_GIVEN), rng.choice(SLAVIC_GIVEN)


def russian_soldier(rng: random.Random, today: datetime.date) -> Profile:
    family, given, father = _slavic_soldier_drawn(rng, RUSSIAN_FAMILY)
    names = [
        _name(family[0], given.ru, Script.CYRILLIC, Romanization.AS_WRITTEN,
              "Russian military ID", father.ru_patronymic),
        _name(family[1], given.ru_latin, Script.LATIN, Romanization.BGN_PCGN,
              "Exchange list (Latin)", father.ru_patronymic_latin),
        _name(family[2], given.uk, Script.CYRILLIC, Romanization.AS_WRITTEN,
              "Ukrainian detention record", father.uk_patronymic),
    ]  # fmt: skip
    capture = _captured_since(rng, datetime.date(2022, 3, 1), today)
    fields = {
        "sex": Sex.MALE,
        **_birth(rng, 1970, 2005, DatePrecision.EXACT),
        "birth_place": rng.choice(RU_HOMETOWNS),
        "nationalities": ["RU"],
        "service_number": _russian_service_number(rng),
        "rank": rng.choice(RU_RANKS),
        "unit": f"{rng.randint(1, 160)}th {rng.choice(RU_UNITS)}",
        "capture_date": capture,
        "capture_place": rng.choice(FRONT_PLACES),
        "capturing_unit": f"{rng.randint(20, 160)}th Separate Mechanised Brigade (demo)",
        "languages": "ru",
        "next_of_kin": f"Mother: {rng.choice(MOTHERS)} {_feminine(family[0])}, "
        f"{rng.choice(RU_HOMETOWNS)}",
        **_health(rng),
    }
    kind = rng.choices([KIND_RETURN, KIND_THIRD, KIND_UNDECIDED], weights=[80, 10, 10])[0]
    return Profile("ru", "ua", "RU", kind, names, fields)


RU_UNITS = ["Motor Rifle Regiment", "Separate Assault Battalion", "Guards Tank Regiment",
            "Separate Reconnaissance Battalion", "Airborne Assault Regiment"]  # fmt: skip


def _feminine(surname: str) -> str:
    """Russian surnames in -ов/-ев/-ин take -а for a woman; Tuvan and Buryat ones do not change."""
    return surname + "а" if surname.endswith(("ов", "ев", "ёв", "ин")) else surname


MOTHERS = ["Ольга", "Татьяна", "Елена", "Наталья", "Ирина", "Светлана", "Галина"]


def ukrainian_soldier(rng: random.Random, today: datetime.date) -> Profile:
    family, given, father = _slavic_soldier_drawn(rng, UKRAINIAN_FAMILY)
    names = [
        _name(family[2], given.ru, Script.CYRILLIC, Romanization.AS_WRITTEN,
              "Detaining power's list", father.ru_patronymic),
        _name(family[0], given.uk, Script.CYRILLIC, Romanization.AS_WRITTEN,
              "Ukrainian military ID", father.uk_patronymic),
        _name(family[1], given.uk_latin, Script.LATIN, Romanization.UKRAINIAN_NATIONAL,
              "Ukrainian military ID", father.uk_patronymic_latin),
    ]  # fmt: skip
    capture = _captured_since(rng, datetime.date(2022, 3, 1), today)
    fields = {
        "sex": Sex.MALE,
        **_birth(rng, 1968, 2004, DatePrecision.EXACT),
        "birth_place": rng.choice(UA_HOMETOWNS),
        "nationalities": ["UA"],
        "service_number": f"{rng.randint(0, 9999999):07d}",
        "rank": rng.choice(UA_RANKS),
        "unit": f"{rng.randint(10, 160)}th Separate Mechanised Brigade",
        "capture_date": capture,
        "capture_place": rng.choice(FRONT_PLACES),
        "capturing_unit": f"{rng.randint(1, 150)}th {rng.choice(RU_UNITS)} (demo)",
        "languages": "uk, ru",
        **_health(rng, "ru"),
    }
    return Profile("ua", "ru", "UA", KIND_RETURN, names, fields)


def foreign_fighter(rng: random.Random, today: datetime.date) -> Profile:
    origin = rng.choice(FOREIGN)
    given, family = rng.choice(origin.given), rng.choice(origin.family)
    names = [
        _name(family[0], given[0], Script.LATIN, Romanization.ICAO, "Passport"),
        _name(family[1], given[1], Script.CYRILLIC, Romanization.AS_WRITTEN,
              "Russian recruitment contract"),
    ]  # fmt: skip
    capture = _captured_since(rng, datetime.date(2023, 6, 1), today)
    fields = {
        "sex": Sex.MALE,
        **_birth(rng, 1980, 2004, rng.choice([DatePrecision.EXACT, DatePrecision.YEAR])),
        "nationalities": [origin.country],
        "rank": "Private (рядовой), contract soldier",
        "unit": f"{rng.randint(1, 160)}th {rng.choice(RU_UNITS)}",
        "capture_date": capture,
        "capture_place": rng.choice(FRONT_PLACES),
        "capturing_unit": f"{rng.randint(20, 160)}th Separate Mechanised Brigade (demo)",
        "languages": origin.languages,
        **_health(rng),
    }
    return Profile("foreign", "ua", origin.country, KIND_RETURN, names, fields)
