"""The pages the translation walk visits: add a line here for every new page.

Each page names who opens it (an attribute of the `people` fixture, or None for a visitor who is
not logged in) and how to build its address from the world (tests/i18n/world.py). `status` is
what the page must answer; `post` sends a form (empty: to show its error messages).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.urls import reverse

TODAY = datetime.date.today().isoformat()  # noqa: DTZ011 - the day the walk runs


@dataclass(frozen=True)
class Page:
    name: str
    who: str | None
    url: Callable[[SimpleNamespace], str]
    status: int = 200
    post: dict | None = field(default=None)


def _u(name: str, *args: Callable[[SimpleNamespace], object]) -> Callable[[SimpleNamespace], str]:
    return lambda w: reverse(name, args=[arg(w) for arg in args])


def _rn(attr: str) -> Callable[[SimpleNamespace], str]:
    return lambda w: getattr(w, attr).registry_number


def _pk(attr: str) -> Callable[[SimpleNamespace], int]:
    return lambda w: getattr(w, attr).pk


def _member(who: str) -> Callable[[SimpleNamespace], int]:
    return lambda w: getattr(w.people, who).pk


PAGES = [
    # --- signing in (the visitor's browser language) and errors
    Page("login", None, _u("login")),
    Page("login, wrong password", None, _u("login"), post={"login": "alice", "password": "x"}),
    Page("404", "registrar", lambda w: reverse("registry:person_detail", args=["NO-SUCH"]), 404),
    Page("403", "receiving_officer", _u("registry:person_new"), 403),
    # --- the registry and the case, in several states
    Page("person list", "registrar", _u("registry:person_list")),
    Page("person list, search", "registrar", lambda w: reverse("registry:person_list") + "?q=zzz"),
    Page("person list, verifier", "interviewer", _u("registry:person_list")),
    Page("person list, receiving state", "receiving_officer", _u("registry:person_list")),
    Page("person list, legal NGO", "legal_officer", _u("registry:person_list")),
    Page("person: registered", "registrar", _u("registry:person_detail", _rn("registered"))),
    Page("person: legal assessment", "legal_officer", _u("registry:person_detail", _rn("legal"))),
    Page(
        "person: will verified, verifier", "interviewer", _u("registry:person_detail", _rn("legal"))
    ),
    Page("person: decided", "decision_maker", _u("registry:person_detail", _rn("decided"))),
    Page("person: accepted", "receiving_officer", _u("registry:person_detail", _rn("accepted"))),
    Page(
        "person: decided, receiving",
        "receiving_officer",
        _u("registry:person_detail", _rn("decided")),
    ),
    Page("person: scheduled", "decision_maker", _u("registry:person_detail", _rn("scheduled"))),
    Page("register", "registrar", _u("registry:person_new")),
    Page("register, errors", "registrar", _u("registry:person_new"), post={}),
    Page("edit identity", "registrar", _u("registry:person_edit", _rn("registered"))),
    Page("add a name", "registrar", _u("registry:person_name_add", _rn("registered"))),
    Page("legal representation", "registrar", _u("cases:legal_assign", _rn("registered"))),
    Page("will expression", "interviewer", _u("cases:will_new", _rn("legal"))),
    Page("will expression, errors", "interviewer", _u("cases:will_new", _rn("legal")), post={}),
    Page("will as evidence", "detaining_interviewer", _u("cases:will_new", _rn("legal"))),
    Page("withdraw will", "interviewer", _u("cases:will_withdraw", _rn("legal"), _pk("withdrawn"))),
    Page("risk assessment", "legal_officer", _u("cases:assessment_new", _rn("legal"))),
    Page("decision", "decision_maker", _u("cases:decision_new", _rn("legal"))),
    Page("acceptance", "receiving_officer", _u("cases:acceptance_new", _rn("decided"))),
    Page("decline", "receiving_officer", _u("cases:acceptance_decline", _rn("decided"))),
    Page(
        "decline, errors",
        "receiving_officer",
        _u("cases:acceptance_decline", _rn("decided")),
        post={},
    ),  # fmt: skip
    Page(
        "death: its facts",
        "registrar",
        _u("cases:step_final", _rn("registered"), lambda w: "deceased"),
    ),  # fmt: skip
    Page(
        "death: its facts, errors",
        "registrar",
        _u("cases:step_final", _rn("registered"), lambda w: "deceased"),
        post={},
    ),  # fmt: skip
    Page(
        "death: the confirmation",
        "registrar",
        _u("cases:step_final", _rn("registered"), lambda w: "deceased"),
        post={
            "occurred_on": TODAY,
            "place": "Camp infirmary",
            "cause": "Wounds",
            "certified_by": "Dr Roe",
            "reason": "Certificate received.",
        },
    ),  # fmt: skip
    Page("correction", "registrar", _u("cases:step_correct", _rn("registered"))),
    Page("transfer", "planner", _u("cases:transfer_new", _rn("accepted"))),
    Page(
        "transfer refused by the guard",
        "planner",
        _u("cases:transfer_new", _rn("accepted")),
        post={"destination": "KR", "transit": "KP", "scheduled_for": "2099-01-01"},
    ),
    Page(
        "execute transfer",
        "planner",
        _u("cases:transfer_execute", _rn("scheduled"), _pk("transfer")),
    ),
    Page(
        "cancel transfer",
        "planner",
        _u("cases:transfer_cancel", _rn("scheduled"), _pk("transfer")),
    ),
    # --- tracing
    Page("tracing requests", "interviewer", _u("tracing:request_list")),
    Page("new tracing request", "interviewer", _u("tracing:request_new")),
    Page("tracing request, linked", "interviewer", _u("tracing:request_detail", _pk("request"))),
    Page("tracing request, open", "interviewer", _u("tracing:request_detail", _pk("open_request"))),
    Page("inform the requester", "interviewer", _u("tracing:request_inform", _pk("request"))),
    Page("close the request", "interviewer", _u("tracing:request_close", _pk("request"))),
    Page("duplicates", "registrar", _u("tracing:duplicate_list")),
    Page("duplicate pair", "registrar", _u("tracing:duplicate_detail", _pk("pair"))),
    # --- exchanges
    Page("exchange agreements", "planner", _u("exchanges:agreement_list")),
    Page("new agreement", "planner", _u("exchanges:agreement_new")),
    Page("agreement", "planner", _u("exchanges:agreement_detail", _pk("agreement"))),
    Page("pool from registry", "planner", _u("exchanges:pool_add_registry", _pk("agreement"))),
    Page("their proposal", "planner", _u("exchanges:proposal_import", _pk("agreement"))),
    Page("plan a batch", "planner", _u("exchanges:batch_plan", _pk("agreement"))),
    Page("candidate", "planner", _u("exchanges:candidate_edit", _pk("candidate"))),
    Page("batch", "planner", _u("exchanges:batch_detail", _pk("batch"))),
    Page("confirm handover", "planner", _u("exchanges:entry_handover", _pk("entry"))),
    Page("take off the batch", "planner", _u("exchanges:entry_remove", _pk("entry"))),
    Page("he refuses", "detaining_interviewer", _u("exchanges:entry_refusal", _pk("entry"))),
    # --- the organisation and the account
    Page("audit log", "auditor", _u("audit:audit_list")),
    Page("audit trail of a person", "auditor", _u("audit:person_audit", _rn("legal"))),
    Page("members", "admin", _u("accounts:members")),
    Page("add a member", "admin", _u("accounts:member_new")),
    Page("add a member, errors", "admin", _u("accounts:member_new"), post={"username": ""}),
    Page(
        "member added",
        "admin",
        _u("accounts:member_new"),
        post={"username": "mykola", "roles": ["interviewer"], "language": "uk"},
    ),
    Page("member", "admin", _u("accounts:member_detail", _member("registrar"))),
    Page("member, own account", "admin", _u("accounts:member_detail", _member("admin"))),
    Page(
        "member, changed meanwhile",
        "admin",
        _u("accounts:member_detail", _member("registrar")),
        status=409,
        post={"change": "deactivate", "basis": "as it was"},
    ),
    Page("API tokens", "registrar", _u("tokens:api_tokens")),
    Page("sign-in security", "registrar", _u("mfa_index")),
    Page("re-authenticate", "registrar", _u("account_reauthenticate")),
    # --- imports from the web
    Page("imports", "registrar", _u("imports:job_list")),
    Page("upload a list", "registrar", _u("imports:upload")),
    Page("new column mapping", "registrar", _u("imports:mapping_new")),
    # --- exports and reports
    Page("exports", "registrar", _u("exports:index")),
    Page("notification list", "registrar", _u("exports:notifications")),
    Page("notification list, verifier", "interviewer", _u("exports:notifications")),
    Page("capture card", "registrar", _u("exports:capture_card", _rn("registered"))),
    Page("case summary", "decision_maker", _u("exports:case_summary", _rn("decided"))),
    Page("reports, detaining power", "decision_maker", _u("reports:dashboard")),
    Page("reports, verifier", "interviewer", _u("reports:dashboard")),
    Page("reports, receiving state", "receiving_officer", _u("reports:dashboard")),
    # --- the home page's work queues and the notifications
    Page("home, registrar", "registrar", _u("work:home")),
    Page("home, verifier", "interviewer", _u("work:home")),
    Page("home, decision maker", "decision_maker", _u("work:home")),
    Page("home, receiving state", "receiving_officer", _u("work:home")),
    Page("home, planner", "planner", _u("work:home")),
    Page("home, no queue", "auditor", _u("work:home")),
    Page("notifications", "receiving_officer", _u("notifications:list")),
]
