"""The demo data: organisations, accounts, the story of two KPA soldiers and a population.

Everything is written through the services, so the workflow, the guard and the audit trail are
the real ones. Fictional throughout: names are drawn at random from curated tables.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from safepassage.accounts.models import Organisation, User
from safepassage.cases import services
from safepassage.cases.models import CaseState as S
from safepassage.cases.models import (
    DecisionKind,
    InterpreterAffiliation,
    InterviewSetting,
    WillSource,
    Wish,
)
from safepassage.demo import people
from safepassage.demo.cast import Cast, cast_create
from safepassage.demo.documents import documents_seed
from safepassage.demo.people import KIND_KR, KIND_RETURN, KIND_THIRD, KIND_UNDECIDED, Profile
from safepassage.demo.story import KP_RISK, KR_SAFE, RU_ONWARD_RISK, story_seed
from safepassage.demo.visits import visit_seed
from safepassage.registry.models import Person
from safepassage.registry.services import PERSON_FIELDS, NameInput, person_register
from safepassage.tracing.demo import tracing_seed


@dataclass
class SeedResult:
    persons: int
    seconds: float
    story: list[str]  # registry numbers of the two soldiers of the story


def demo_seed(*, persons: int = 300, seed: int = 2025) -> SeedResult | None:
    """Seed the demo into an empty database; `None` when organisations already exist."""
    if Organisation.objects.exists():
        return None
    started = time.perf_counter()
    rng = random.Random(seed)
    # One transaction: all or nothing, and SQLite commits once instead of per service call.
    with transaction.atomic():
        cast = cast_create()
        story = story_seed(cast)
        # Two of the persons are second records of others (`registered_twice_seed`).
        population_seed(cast, rng, max(0, persons - len(story) - 2))
        registered_twice_seed(cast)
        tracing_seed(cast, story)
        visit_seed(cast)
        documents_seed(cast, story[0])
    return SeedResult(Person.objects.count(), time.perf_counter() - started, story)


# --- the population -------------------------------------------------------------------------

LADDER = [
    S.REGISTERED, S.NOTIFIED, S.AWAITING_INTERVIEW, S.WILL_RECORDED, S.WILL_VERIFIED,
    S.LEGAL_ASSESSMENT, S.DECIDED, S.ACCEPTED, S.TRANSFER_SCHEDULED, S.TRANSFERRED, S.CLOSED,
]  # fmt: skip
EXITS = [S.DECEASED, S.RELEASED, S.ESCAPED]
TARGET_WEIGHTS = {
    S.REGISTERED: 4, S.NOTIFIED: 4, S.AWAITING_INTERVIEW: 7, S.WILL_RECORDED: 5,
    S.WILL_VERIFIED: 8, S.LEGAL_ASSESSMENT: 8, S.DECIDED: 6, S.ACCEPTED: 5,
    S.TRANSFER_SCHEDULED: 6, S.TRANSFERRED: 14, S.CLOSED: 8, S.DECEASED: 3, S.RELEASED: 2,
    S.ESCAPED: 2,
}  # fmt: skip
# How far each wish can go: a wish to return to the DPRK meets a high-risk assessment, an
# undecided or third-country wish has no receiving state in the demo.
REACH = {KIND_KR: S.CLOSED, KIND_RETURN: S.CLOSED, KIND_THIRD: S.LEGAL_ASSESSMENT,
         KIND_UNDECIDED: S.LEGAL_ASSESSMENT}  # fmt: skip
GROUP_SHARES = [("kp", 0.24), ("ua", 0.14), ("foreign", 0.07)]  # the rest are Russians
GENERATORS: dict[str, Callable[[random.Random, datetime.date], Profile]] = {
    "kp": people.korean_soldier,
    "ru": people.russian_soldier,
    "ua": people.ukrainian_soldier,
    "foreign": people.foreign_fighter,
}


def population_seed(cast: Cast, rng: random.Random, count: int) -> None:
    """Generate `count` persons and drive their cases; every case state occurs."""
    today = timezone.localdate()
    sizes = {group: round(count * share) for group, share in GROUP_SHARES}
    sizes["ru"] = count - sum(sizes.values())
    for group in ("kp", "ru", "ua", "foreign"):
        # The first persons of the three big groups walk every state in turn, whatever the
        # dice: every work queue of both detaining powers has cases waiting in it.
        forced = list(S) if group == "kp" else [s for s in S if s != S.ACCEPTED]
        for index in range(sizes[group]):
            profile = GENERATORS[group](rng, today)
            target = rng.choices(list(TARGET_WEIGHTS), weights=list(TARGET_WEIGHTS.values()))[0]
            if group in ("kp", "ru", "ua") and index < len(forced):
                target = forced[index]
                profile.kind = KIND_KR if group == "kp" else KIND_RETURN
            CaseDriver(cast, rng, today, profile).run(target)


def registered_twice_seed(cast: Cast) -> list[Person]:
    """Each detaining power's first newly registered prisoner, registered a second time from
    another list: a pair for its registrars' duplicates queue."""
    seconds = []
    for key in ("ua", "ru"):
        first = (
            Person.objects.filter(detaining_organisation=cast.orgs[key], case__state=S.REGISTERED)
            .prefetch_related("names")
            .order_by("pk")
            .first()
        )
        if first is None:
            continue
        names = [
            NameInput(n.family_name, n.given_name, n.patronymic, n.script, n.romanization,
                      "Second list of the same camp (demo)", n.is_assumed_identity)
            for n in first.names.all()
        ]  # fmt: skip
        fields = {name: getattr(first, name) for name in PERSON_FIELDS}
        fields["nationalities"] = [c.code for c in first.nationalities]
        registrar = cast.of(key, "registrar")
        seconds.append(person_register(actor=registrar, names=names, **fields))
    return seconds


def _before(a: str, b: str) -> bool:
    return LADDER.index(a) <= LADDER.index(b)


class CaseDriver:
    """Registers one person and takes his case, step by step through the services, to a state."""

    def __init__(self, cast: Cast, rng: random.Random, today: datetime.date, profile: Profile):
        self.cast, self.rng, self.today, self.profile = cast, rng, today, profile
        self.person: Person | None = None
        self.target = S.REGISTERED
        self.represented = False
        self.statement_day = self._day_after(profile.capture_date, 5, 60)
        self.interview_day = self._day_after(self.statement_day, 10, 150)

    def _day_after(self, day: datetime.date, low: int, high: int) -> datetime.date:
        return min(self.today, day + datetime.timedelta(days=self.rng.randint(low, high)))

    def user(self, role: str) -> User:
        return self.cast.of(self.profile.detaining, role)

    def run(self, target: str) -> Person:
        self.target = target
        self.register()
        for state in self.plan(target):
            STEPS[state](self)
        return self.person

    def plan(self, target: str) -> list[str]:
        if target in EXITS:
            return self.ladder(self.rng.choice(LADDER[:7])) + [target]
        reach = REACH[self.profile.kind]
        if target == S.CLOSED and (not _before(S.TRANSFERRED, reach) or self.rng.random() < 0.4):
            return self.plan(self.rng.choice(EXITS)) + [S.CLOSED]
        return self.ladder(target)

    def ladder(self, target: str) -> list[str]:
        reach = REACH[self.profile.kind]
        if self.profile.origin == "KP" and self.profile.kind == KIND_RETURN:
            reach = S.LEGAL_ASSESSMENT  # the DPRK is assessed high-risk: no decision possible
        if not _before(target, reach):
            target = reach
        states = LADDER[1 : LADDER.index(target) + 1]
        if self.profile.kind != KIND_KR:
            states = [s for s in states if s != S.ACCEPTED]
        if target != S.WILL_RECORDED and self.rng.random() > 0.35:
            states = [s for s in states if s != S.WILL_RECORDED]
        return states

    def register(self) -> None:
        registered_on = self._day_after(self.profile.capture_date, 1, 14)
        self.person = person_register(
            actor=self.user("registrar"),
            names=self.profile.names,
            registered_on=registered_on,
            **self.profile.fields,
        )
        if self.profile.group == "kp" and self.rng.random() < 0.5:
            services.legal_organisation_assign(
                actor=self.user("registrar"), person=self.person, organisation=self.cast.orgs["ngo"]
            )
            self.represented = True

    def step(self, actor: User, target: str, reason: str, **facts) -> None:
        services.case_transition(
            actor=actor, person=self.person, target=target, reason=reason,
            confirmed=target in EXIT_FACTS or target == S.CLOSED, **facts,
        )  # fmt: skip

    # The steps, in the order of the ladder.

    def notify(self) -> None:
        reason = "Capture card and identity notified to the Central Agency (Art. 122-123)."
        self.step(self.user("registrar"), S.NOTIFIED, reason)

    def request_interview(self) -> None:
        reason = "Private verification interview requested."
        self.step(self.user("registrar"), S.AWAITING_INTERVIEW, reason)

    def record_statement(self) -> None:
        """An unverified statement: to the camp's interviewer, or a letter."""
        if self.profile.detaining == "ua":
            actor, source = self.user("interviewer"), WillSource.OFFICIAL_INTERVIEW
            present = "Camp officer"
        else:
            actor, source = self.cast.users["verifier-interviewer"], WillSource.WRITTEN_STATEMENT
            present = "Detaining-power officer (letter handed over in his presence)"
        self.will(actor, source, InterviewSetting.WITNESSED, present, self.statement_day,
                  certainty=self.rng.randint(50, 90))  # fmt: skip

    def verify(self) -> None:
        self.will(self.cast.users["verifier-interviewer"],
                  WillSource.PRIVATE_VERIFICATION_INTERVIEW, InterviewSetting.PRIVATE, "",
                  self.interview_day, certainty=self.rng.randint(70, 100))  # fmt: skip

    def will(self, actor, source, setting, present, day, certainty: int) -> None:
        wish, preferred, refused, statement = WILLS[self.profile.kind]
        if self.profile.kind == KIND_UNDECIDED:
            certainty = self.rng.randint(20, 60)
        language = self.profile.fields["languages"].split(",")[0]
        services.will_expression_record(
            actor=actor, person=self.person, expressed_on=day, source=source, setting=setting,
            present=present, wish=wish, destinations_preferred=preferred,
            destinations_refused=refused, certainty=certainty, statement=statement,
            language=language, interpreter=INTERPRETERS.get(language, ""),
            interpreter_affiliation=(
                InterpreterAffiliation.VERIFIER if language in INTERPRETERS else ""
            ),
        )  # fmt: skip

    def legal_officer(self) -> User:
        return self.cast.users["ngo-legal" if self.represented else "verifier-legal"]

    def assess(self) -> None:
        officer = self.legal_officer()
        self.step(officer, S.LEGAL_ASSESSMENT, "Legal assessment opened.")
        for country, persecution, onward, onward_to, basis in self.assessments():
            services.risk_assessment_record(
                actor=officer, person=self.person, country=country, persecution_risk=persecution,
                onward_transfer_risk=onward, onward_destinations=onward_to, basis=basis,
            )  # fmt: skip

    def assessments(self) -> list[tuple[str, str, str, list[str], str]]:
        """Each state his route may touch, assessed: the guard clears only assessed states."""
        origin, kind = self.profile.origin, self.profile.kind
        transit = [
            (code, "none", "low", [], TRANSIT_BASIS) for code in TRANSIT.get(self.profile.group, [])
        ]
        if origin == "KP":
            return (
                [KP_RISK, RU_ONWARD_RISK, KR_SAFE, *transit] if kind != KIND_RETURN else [KP_RISK]
            )
        if kind == KIND_THIRD:
            return [(origin, "high", "none", [], DESERTION_BASIS)]
        if kind == KIND_UNDECIDED:
            return []
        return [(origin, "low", "none", [], RETURN_BASIS), *transit]

    def decide(self) -> None:
        kind, destination, reason = DecisionKind.TRANSFER, "KR", KR_DECISION
        if self.profile.kind != KIND_KR:
            kind, destination = DecisionKind.REPATRIATION, self.profile.origin
            serious = self.person.is_seriously_wounded_or_sick
            reason = SERIOUS_DECISION if serious else RETURN_DECISION
        services.decision_take(actor=self.user("decision"), person=self.person, kind=kind,
                               destination=destination, reason=reason)  # fmt: skip

    def accept(self) -> None:
        reference = f"KR-ACC-{self.person.registry_number[-6:]}"
        services.acceptance_record(actor=self.cast.users["kr-decision"], person=self.person,
                                   reference=reference)  # fmt: skip

    def schedule(self) -> None:
        later = self.target == S.TRANSFER_SCHEDULED
        # From the clock's date, not the seed's: a seed running past midnight would otherwise
        # schedule for a day that has just become yesterday, which the service refuses.
        day = timezone.localdate() + datetime.timedelta(
            days=self.rng.randint(3, 45) if later else 0
        )
        destination = "KR" if self.profile.kind == KIND_KR else self.profile.origin
        services.transfer_schedule(
            actor=self.user("planner"), person=self.person, destination=destination,
            transit=TRANSIT.get(self.profile.group, []), scheduled_for=day,
        )  # fmt: skip

    def execute(self) -> None:
        transfer = self.person.transfers.get(status="scheduled")
        today = timezone.localdate()  # not before the day it was scheduled (see `schedule`)
        early = transfer.scheduled_for > today
        services.transfer_execute(
            actor=self.user("planner"), transfer=transfer, handed_over_on=today,
            transport=HANDOVER_TRANSPORT, confirmed=True,
            early_reason="Exchange brought forward by agreement of the parties." if early else "",
        )  # fmt: skip

    def close(self) -> None:
        self.step(self.user("registrar"), S.CLOSED, "Case closed; the file is archived.")

    def exit(self, state: str) -> None:
        self.step(self.user("registrar"), state, EXIT_REASONS[state],
                  occurred_on=self.today, **EXIT_FACTS[state])  # fmt: skip


STEPS: dict[str, Callable[[CaseDriver], None]] = {
    S.NOTIFIED: CaseDriver.notify,
    S.AWAITING_INTERVIEW: CaseDriver.request_interview,
    S.WILL_RECORDED: CaseDriver.record_statement,
    S.WILL_VERIFIED: CaseDriver.verify,
    S.LEGAL_ASSESSMENT: CaseDriver.assess,
    S.DECIDED: CaseDriver.decide,
    S.ACCEPTED: CaseDriver.accept,
    S.TRANSFER_SCHEDULED: CaseDriver.schedule,
    S.TRANSFERRED: CaseDriver.execute,
    S.CLOSED: CaseDriver.close,
    **{state: (lambda driver, state=state: driver.exit(state)) for state in EXITS},
}

WILLS = {
    KIND_KR: (Wish.NAMED_STATES, ["KR"], ["KP", "RU"],
              "Wants to go to the Republic of Korea. Refuses return to the DPRK and any transfer "
              "to or through Russia."),
    KIND_RETURN: (Wish.RETURN_TO_ORIGIN, [], [], "Wants to go home to his family."),
    KIND_THIRD: (Wish.THIRD_COUNTRY, [], [],
                 "Refuses to go back: fears prosecution for surrender. Any third country."),
    KIND_UNDECIDED: (Wish.UNDECIDED, [], [],
                     "Has not decided; asked for time and for information on the options."),
}  # fmt: skip
INTERPRETERS = {
    "ko": "Mission interpreter (Korean)", "ru": "Mission interpreter (Russian)",
    "uk": "Mission interpreter (Ukrainian)", "ne": "Mission interpreter (Nepali)",
    "si": "Mission interpreter (Sinhala)", "es": "Mission interpreter (Spanish)",
}  # fmt: skip
DESERTION_BASIS = (
    "Prosecution for voluntary surrender (Criminal Code Art. 352.1) and reports "
    "of ill-treatment of returned prisoners."
)
RETURN_BASIS = "No individual risk found in the interview or in country reports."
KR_DECISION = "Verified free will to go to the Republic of Korea; KR assessed without risk."
RETURN_DECISION = "Verified wish to return; no risk found. Repatriation in the next exchange."
SERIOUS_DECISION = "Seriously wounded: direct repatriation (Art. 109-110); wish verified."
TRANSIT = {"ru": ["BY"], "ua": ["BY"], "kp": ["PL"]}
TRANSIT_BASIS = (
    "Transit only, under the neutral verifier's escort; no reports of handing prisoners on."
)
HANDOVER_TRANSPORT = "ICRC-escorted bus through the agreed crossing point"
EXIT_FACTS = {
    S.DECEASED: {
        "place": "Regional military hospital",
        "cause": "Septic shock from his wounds",
        "certified_by": "Camp medical officer",
    },
    S.RELEASED: {"place": "Camp gate", "circumstances": "Released after a status review."},
    S.ESCAPED: {"place": "Camp perimeter", "circumstances": "Missing at the evening roll call."},
}
EXIT_REASONS = {
    S.DECEASED: "Died of his wounds in hospital; death notified to the Central Agency "
                "(Art. 120-122).",
    S.RELEASED: "Released: a status review found him a civilian, not a prisoner of war (Art. 4).",
    S.ESCAPED: "Escaped from the camp; the escape was notified to the Central Agency (Art. 122).",
}  # fmt: skip
