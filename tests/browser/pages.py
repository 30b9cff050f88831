"""Every page of the web UI, as the person who uses it sees it, for the accessibility walk.

A new page: add a `Screen` to SCREENS (who opens it, its address from the `World`, and, if it
has one, an action that puts it in an interesting state: a form's errors, the guard's refusal).
A route that is not a page (POST only, a file, a third party's screen) goes to NOT_PAGES with
the reason. tests/browser/test_accessibility.py fails on any route in neither list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from safepassage.api import services as api_services
from safepassage.exchanges import services as exchange_services
from tests.cases.builders import accepted, governing_will, scheduled
from tests.exchanges.builders import agreement, refusing, returning, theirs
from tests.factories import PASSWORD, assess, force_login_fresh, make_user
from tests.tracing.tracing_data import mother_request, pair_of, propose, register_kim


@dataclass(frozen=True)
class Screen:
    name: str
    who: str | None  # an attribute of `people` (or of the world: newcomer); None: logged out
    path: Callable[[SimpleNamespace], str]
    # Puts the page in the state to check (after it has loaded), e.g. submits a form.
    act: Callable[..., None] | None = None
    status: int = 200  # of the page as first loaded
    route: str = ""  # the route it checks, when `path` leads elsewhere first (a login step)
    # A page another part of the product adds: skipped while its route does not exist.
    optional: bool = False
    locale: str = "en-GB"  # the browser's language


def world(people) -> SimpleNamespace:
    """One of everything a page can show, built through the services. The caller sets
    FAMILY_CENSORSHIP_BY to alice's organisation first (`censoring`), with its `settings`
    fixture, which puts it back after the test."""
    w = SimpleNamespace()
    w.kim, w.transfer = scheduled(people)
    # An NGO's lowering of a risk it found high, off his route: it waits for the verifier.
    assess(people.legal_officer, w.kim, "CN", persecution="high")
    w.pending = assess(people.legal_officer, w.kim, "CN")
    w.will = governing_will(w.kim)
    w.accepted = accepted(people)
    w.traced = register_kim(people.registrar)
    w.request = mother_request(people.interviewer)
    w.candidate = propose(w.request, w.traced)
    w.pair = pair_of(w.traced, w.kim)
    returning(people), refusing(people)
    w.deal = agreement(people)
    exchange_services.pool_add_registry(actor=people.planner, agreement=w.deal)
    theirs(w.deal, people.planner, "T1", name="Шевченко Тарас")
    w.batch = exchange_services.batch_plan(actor=people.planner, agreement=w.deal)
    w.entry = w.batch.entries.filter(side="ours").first()
    w.pool_candidate = w.deal.candidates.first()
    api_services.api_token_create(
        user=people.registrar, actor=people.registrar, name="sync job",
        authenticated_at=timezone.now(),  # as right after his login on the settings page
    )  # fmt: skip
    RecoveryCodes.activate(people.registrar)
    w.newcomer = make_user(people.registrar.organisation, "registrar", username="olena", mfa=False)
    w.member, w.admin = people.registrar, people.admin  # the administrator's members pages
    w.job = _import_job(people.registrar)
    w.visit = _visit(people)
    w.conflict = _field_conflict(people)
    _medical(people, w)
    w.card, w.photo = _documents(people, w.kim)
    w.referral = _referral(people)
    w.moved = _moved(people)
    w.step = _first_step(w.moved)
    w.contact = w.moved.followup_contacts.filter(state="due").first()
    w.waiting, w.passed = _family_messages(people, w.kim)
    return w


def _family_messages(people, kim):
    """Kim's mother may write to him: one message waits for alice's censor, one was passed."""
    from safepassage.family import services
    from tests.family.builders import correspondents, message

    correspondents(people, kim)
    waiting, passed = message(people, kim), message(people, kim, text="어머니는 건강하다.")
    services.family_message_censor(actor=people.registrar, message=passed)
    return waiting, passed


def _medical(people, w) -> None:
    """nadia's and dora's commission, which found Kim eligible for direct repatriation."""
    from types import SimpleNamespace

    from tests.medical.builders import commission, examined

    verifier = people.interviewer.organisation
    w.nadia = make_user(verifier, "medical_officer", username="nadia")
    w.dora = make_user(people.registrar.organisation, "medical_officer", username="dora")
    medics = SimpleNamespace(neutral_doctor=w.nadia, detaining_doctor=w.dora)
    w.commission = commission(people, medics)
    w.examination = examined(medics, w.commission, w.kim)


def _documents(people, kim):
    """Kim's capture card (a PDF, previewed in a frame) and photograph (an image)."""
    from safepassage.documents.services import document_upload
    from tests.documents.builders import pdf_with, png

    card = document_upload(actor=people.registrar, person=kim, kind="capture_card",
                           title="Capture card", content=pdf_with("card"))  # fmt: skip
    photo = document_upload(actor=people.registrar, person=kim, kind="photo",
                            title="Photograph", content=png())  # fmt: skip
    return card, photo


def _moved(people):
    """A man handed over to minjun's state, received, followed up, with an onward report."""
    from safepassage.followup import services as followup_services
    from tests.followup.builders import report_onward_removal, scheduled_contacts, transferred_man

    moved = transferred_man(people)
    followup_services.reception_record(
        actor=people.receiving_officer, person=moved, arrived_on=timezone.localdate()
    )
    report_onward_removal(people, scheduled_contacts(people, moved)[0])
    return moved


def _first_step(person):
    from safepassage.followup.models import ReceptionStep

    return ReceptionStep.objects.filter(reception__person=person).first()


def _of_moved(name: str, *args) -> Callable[[SimpleNamespace], str]:
    return lambda w: reverse(name, args=[w.moved.registry_number, *[a(w) for a in args]])


def _referral(people):
    """A man who asked for any third country, referred to bruno's state."""
    from tests.factories import register
    from tests.referrals.builders import refer, third_country

    person = third_country(people, register(people.registrar, family="Paek", given="Jin Song"))
    return refer(people, person, people.other_receiving_officer.organisation)


def _of_referral(name: str, *args) -> Callable[[SimpleNamespace], str]:
    return lambda w: reverse(name, args=[w.referral.pk, *args])


def _visit(people):
    """A visit under way at a camp, with its list, one interview and a draft report."""
    from safepassage.visits import services as visit_services
    from tests.visits.builders import man_at_the_camp, private_interview, under_way

    seen, waiting = man_at_the_camp(people), man_at_the_camp(people)
    visit = under_way(people, seen.place)
    visit_services.visit_list_build(actor=people.interviewer, visit=visit)
    private_interview(people, visit, seen)
    visit_services.visit_report_write(
        actor=people.interviewer, visit=visit, report="Water supply irregular in block B."
    )
    assert waiting.place == visit.place
    return visit


def _field_conflict(people):
    """A conflict for the review queue: a visit's return bundle received after the registrar
    moved the man it saw. The test names the server key file (settings.FIELD_SERVER_KEY_FILE)."""
    from tests.field.test_visit_bundle_receive import conflict_received, package_for

    return conflict_received(people, package_for(people))


def _import_job(registrar):
    """A checked upload of a Hangul list, as the upload page leaves it (None without imports)."""
    try:
        url = reverse("imports:upload")
    except NoReverseMatch:
        return None
    from safepassage.imports.models import ImportJob
    from tests.imports.corpus import VALID_CP949

    client = Client()
    force_login_fresh(client, registrar)
    upload = SimpleUploadedFile("list.csv", VALID_CP949.encode("cp949"))
    client.post(url, {"file": upload, "mapping": "default", "encoding": ""})
    return ImportJob.objects.get()


def _person(name: str, *args) -> Callable[[SimpleNamespace], str]:
    return lambda w: reverse(name, args=[w.kim.registry_number, *[a(w) for a in args]])


def _save(label: str = "Save") -> Callable:
    """Submit the form as it is (empty or prefilled): the page then shows its errors."""
    return lambda page: page.get_by_role("button", name=label, exact=True).click()


def _submit(page) -> None:
    """Submit the page's form, whatever its button says in the page's language."""
    page.locator("main form[method=post] button[type=submit]").last.click()


def _schedule_through_refused_state(page) -> None:
    """Through his state of origin, which his wish to go elsewhere refuses (in any language)."""
    page.locator("#id_transit").fill("KP")
    page.locator("#id_scheduled_for").fill("2030-05-01")
    _submit(page)


def _review_death(page) -> None:
    """The facts of a death, up to its confirmation page (nothing recorded)."""
    page.locator("#id_occurred_on").fill(timezone.localdate().isoformat())
    page.locator("#id_place").fill("Camp infirmary")
    page.locator("#id_cause").fill("Septic shock from his wounds")
    page.locator("#id_certified_by").fill("Dr Roe, camp medical officer")
    page.locator("#id_reason").fill("Death certificate received.")
    _submit(page)


def _wrong_password(page) -> None:
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Log in").click()


def _to_second_factor(page) -> None:
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**" + reverse("mfa_authenticate"))


def _fixed(name: str, *args) -> Callable[[SimpleNamespace], str]:
    return lambda w: reverse(name, args=args)


def _of_visit(name: str, *args, place: bool = False) -> Callable[[SimpleNamespace], str]:
    """A page of the world's visit (or, with `place`, of its place)."""
    return lambda w: reverse(name, args=[w.visit.place.pk if place else w.visit.pk, *args])


def _member(who: str) -> Callable[[SimpleNamespace], str]:
    """The administrator's page of one member of his organisation (an attribute of the world)."""
    return lambda w: reverse("accounts:member_detail", args=[getattr(w, who).pk])


def _member_add(page) -> None:
    """A new member: the next page shows his initial password."""
    page.locator("#id_username").fill("mykola")
    page.locator("input[name=roles][value=interviewer]").check()
    _submit(page)


SCREENS: list[Screen] = [
    # the home page's work queues and the notifications
    Screen("home", "decision_maker", _fixed("work:home")),
    Screen("home-planner", "planner", _fixed("work:home")),
    Screen("home-no-queue", "auditor", _fixed("work:home")),
    Screen("notification_list", "receiving_officer", _fixed("notifications:list")),
    # registry and cases
    Screen("person_list", "registrar", _fixed("registry:person_list")),
    Screen("person_new", "registrar", _fixed("registry:person_new")),
    Screen("person_new-errors", "registrar", _fixed("registry:person_new"), _save("Register")),
    Screen("person_detail", "registrar", _person("registry:person_detail")),
    Screen("person_detail-verifier", "interviewer", _person("registry:person_detail")),
    Screen("person_edit", "registrar", _person("registry:person_edit")),
    Screen("person_name_add", "registrar", _person("registry:person_name_add")),
    Screen("will_new", "interviewer", _person("cases:will_new")),
    Screen("will_new-errors", "interviewer", _person("cases:will_new"), _save()),
    Screen("will_withdraw", "interviewer", _person("cases:will_withdraw", lambda w: w.will.pk)),
    Screen("assessment_new", "legal_officer", _person("cases:assessment_new")),
    Screen(
        "assessment_concur",
        "verifier_legal",
        _person("cases:assessment_concur", lambda w: w.pending.pk),
    ),  # fmt: skip
    Screen("decision_new", "decision_maker", _person("cases:decision_new")),
    Screen("acceptance_new", "receiving_officer", _person("cases:acceptance_new")),
    Screen(
        "transfer_new-guard",
        "planner",
        lambda w: reverse("cases:transfer_new", args=[w.accepted.registry_number]),
        _schedule_through_refused_state,
    ),
    Screen(
        "transfer_execute", "planner", _person("cases:transfer_execute", lambda w: w.transfer.pk)
    ),
    Screen("transfer_cancel", "planner", _person("cases:transfer_cancel", lambda w: w.transfer.pk)),
    Screen("case_transition", "registrar", _person("cases:case_transition")),
    Screen("step_final", "registrar", _person("cases:step_final", lambda w: "deceased")),
    Screen(
        "step_final-confirm",
        "registrar",
        _person("cases:step_final", lambda w: "deceased"),
        _review_death,
    ),
    Screen("step_correct", "registrar", _person("cases:step_correct")),
    Screen("acceptance_decline", "receiving_officer", _person("cases:acceptance_decline")),
    Screen("legal_assign", "registrar", _person("cases:legal_assign")),
    # documents
    Screen("document_new", "registrar", _person("documents:document_new")),
    Screen("document_new-errors", "registrar", _person("documents:document_new"), _save("Upload")),
    Screen("document_new-ko", "registrar", _person("documents:document_new"), locale="ko-KR"),
    Screen(
        "document_detail", "registrar", _person("documents:document_detail", lambda w: w.card.pk)
    ),
    Screen(
        "document_detail-photo",
        "registrar",
        _person("documents:document_detail", lambda w: w.photo.pk),
    ),
    Screen(
        "document_version_new",
        "registrar",
        _person("documents:document_version_new", lambda w: w.card.pk),
    ),
    Screen(
        "document_remove",
        "registrar",
        _person("documents:document_remove", lambda w: w.card.pk),
        _save("Remove"),
    ),
    # the organisation and the user's own settings
    Screen("audit_list", "auditor", _fixed("audit:audit_list")),
    Screen(
        "audit_list-filtered",
        "auditor",
        lambda w: reverse("audit:audit_list") + "?action=person.register&until=2000-01-01",
    ),
    Screen("person_audit", "auditor", _person("audit:person_audit")),
    Screen("members", "admin", _fixed("accounts:members")),
    Screen("member_new", "admin", _fixed("accounts:member_new")),
    Screen("member_new-errors", "admin", _fixed("accounts:member_new"), _save("Add the member")),
    Screen("member_new-created", "admin", _fixed("accounts:member_new"), _member_add),
    Screen("member_detail", "admin", _member("member")),
    Screen("member_detail-newcomer", "admin", _member("newcomer")),
    Screen("member_detail-own", "admin", _member("admin")),
    Screen("api_tokens", "registrar", _fixed("tokens:api_tokens")),
    Screen("api_tokens-created", "registrar", _fixed("tokens:api_tokens"), _save("Create token")),
    # tracing and duplicates
    Screen("request_list", "interviewer", _fixed("tracing:request_list")),
    Screen("request_new", "interviewer", _fixed("tracing:request_new")),
    Screen(
        "request_detail",
        "interviewer",
        lambda w: reverse("tracing:request_detail", args=[w.request.pk]),
    ),
    Screen(
        "candidate_confirm",
        "interviewer",
        lambda w: reverse("tracing:candidate_confirm", args=[w.request.pk, w.candidate.pk]),
    ),
    Screen(
        "candidate_reject",
        "interviewer",
        lambda w: reverse("tracing:candidate_reject", args=[w.request.pk, w.candidate.pk]),
    ),
    Screen(
        "request_inform",
        "interviewer",
        lambda w: reverse("tracing:request_inform", args=[w.request.pk]),
    ),
    Screen(
        "request_close",
        "interviewer",
        lambda w: reverse("tracing:request_close", args=[w.request.pk]),
    ),
    Screen("duplicate_list", "registrar", _fixed("tracing:duplicate_list")),
    Screen(
        "duplicate_detail",
        "registrar",
        lambda w: reverse("tracing:duplicate_detail", args=[w.pair.pk]),
    ),
    Screen(
        "duplicate_detail-errors",
        "registrar",
        lambda w: reverse("tracing:duplicate_detail", args=[w.pair.pk]),
        _save("Record verdict"),
    ),
    # exchanges
    Screen("agreement_list", "planner", _fixed("exchanges:agreement_list")),
    Screen("agreement_new", "planner", _fixed("exchanges:agreement_new")),
    Screen("agreement_new-errors", "planner", _fixed("exchanges:agreement_new"), _save()),
    Screen(
        "agreement_detail",
        "planner",
        lambda w: reverse("exchanges:agreement_detail", args=[w.deal.pk]),
    ),
    Screen(
        "pool_add_registry",
        "planner",
        lambda w: reverse("exchanges:pool_add_registry", args=[w.deal.pk]),
    ),
    Screen(
        "proposal_import",
        "planner",
        lambda w: reverse("exchanges:proposal_import", args=[w.deal.pk]),
    ),
    Screen("batch_plan", "planner", lambda w: reverse("exchanges:batch_plan", args=[w.deal.pk])),
    Screen(
        "candidate_edit",
        "planner",
        lambda w: reverse("exchanges:candidate_edit", args=[w.pool_candidate.pk]),
    ),
    Screen(
        "batch_detail", "planner", lambda w: reverse("exchanges:batch_detail", args=[w.batch.pk])
    ),
    Screen(
        "batch_replan", "planner", lambda w: reverse("exchanges:batch_replan", args=[w.batch.pk])
    ),
    Screen(
        "batch_step",
        "planner",
        lambda w: reverse("exchanges:batch_step", args=[w.batch.pk, "proposed"]),
    ),
    Screen(
        "entry_handover",
        "planner",
        lambda w: reverse("exchanges:entry_handover", args=[w.entry.pk]),
    ),
    Screen(
        "entry_remove", "planner", lambda w: reverse("exchanges:entry_remove", args=[w.entry.pk])
    ),
    Screen(
        "entry_refusal",
        "detaining_interviewer",
        lambda w: reverse("exchanges:entry_refusal", args=[w.entry.pk]),
    ),
    # logging in and the second factor
    # places and visits
    Screen("place_list", "interviewer", _fixed("visits:place_list")),
    Screen(
        "place_detail",
        "interviewer",
        lambda w: reverse("visits:place_detail", args=[w.visit.place.pk]),
    ),
    Screen("visit_list", "interviewer", _fixed("visits:visit_list")),
    Screen("visit_new", "interviewer", _fixed("visits:visit_new")),
    Screen("visit_new-errors", "interviewer", _fixed("visits:visit_new"), _save()),
    Screen(
        "visit_detail",
        "interviewer",
        lambda w: reverse("visits:visit_detail", args=[w.visit.pk]),
    ),
    Screen(
        "visit_detail-detaining-ko",
        "registrar",
        lambda w: reverse("visits:visit_detail", args=[w.visit.pk]),
        locale="ko-KR",
    ),
    Screen(
        "visit_team_add",
        "interviewer",
        lambda w: reverse("visits:visit_team_add", args=[w.visit.pk]),
    ),
    Screen(
        "visit_list_build",
        "interviewer",
        lambda w: reverse("visits:visit_list_build", args=[w.visit.pk]),
    ),
    Screen(
        "visit_report",
        "interviewer",
        lambda w: reverse("visits:visit_report", args=[w.visit.pk]),
    ),
    Screen(
        "visit_step",
        "interviewer",
        lambda w: reverse("visits:visit_step", args=[w.visit.pk, "completed"]),
    ),
    Screen(
        "interview_new",
        "interviewer",
        lambda w: reverse("visits:interview_new", args=[w.visit.pk]),
    ),
    Screen(
        "interview_new-errors-ko",
        "interviewer",
        lambda w: reverse("visits:interview_new", args=[w.visit.pk]),
        _submit,
        locale="ko-KR",
    ),
    # referrals to receiving states
    Screen("referral_list", "interviewer", _fixed("referrals:referral_list")),
    Screen("referral_detail", "other_receiving_officer", _of_referral("referrals:referral_detail")),
    Screen(
        "referral_step-errors",
        "other_receiving_officer",
        _of_referral("referrals:referral_step", "declined"),
        _save(),
    ),
    Screen(
        "referral_new",
        "interviewer",
        lambda w: reverse("referrals:referral_new", args=[w.referral.person.registry_number]),
    ),
    Screen("capture_card_choice", "interviewer", _person("family:capture_card_choice")),
    Screen("family_messages", "interviewer", _person("family:family_messages")),
    Screen(
        "family_messages-censor-ko", "registrar", _person("family:family_messages"), locale="ko-KR"
    ),
    Screen(
        "family_message_write-errors",
        "interviewer",
        _person("family:family_message_write"),
        _save(),
    ),
    Screen(
        "family_message_censor",
        "registrar",
        _person("family:family_message_censor", lambda w: w.waiting.pk),
    ),
    Screen(
        "family_message_step",
        "interviewer",
        _person("family:family_message_step", lambda w: w.passed.pk),
    ),
    Screen("correspondence_choice", "interviewer", _person("family:correspondence_choice")),
    # after a transfer
    Screen("person_followup", "interviewer", _of_moved("followup:person_followup")),
    Screen(
        "person_followup-state-ko",
        "receiving_officer",
        _of_moved("followup:person_followup"),
        locale="ko-KR",
    ),
    Screen("reception_record", "receiving_officer", _of_moved("followup:reception_record")),
    Screen("reception_steps", "receiving_officer", _fixed("followup:reception_steps")),
    Screen(
        "reception_step",
        "receiving_officer",
        lambda w: reverse("followup:reception_step", args=[w.moved.registry_number, w.step.pk]),
    ),
    Screen("contacts_schedule", "interviewer", _of_moved("followup:contacts_schedule")),
    Screen(
        "contact_record",
        "interviewer",
        lambda w: reverse("followup:contact_record", args=[w.moved.registry_number, w.contact.pk]),
    ),
    Screen("onward_reports", "legal_officer", _fixed("followup:onward_reports", "KR")),
    Screen("login", None, _fixed("login")),
    Screen("login-wrong-password", None, _fixed("login"), _wrong_password),
    Screen("mfa_authenticate", None, _fixed("login"), _to_second_factor, route="mfa_authenticate"),
    Screen("mfa_index", "registrar", _fixed("mfa_index")),
    Screen("mfa_activate_totp", "newcomer", _fixed("mfa_activate_totp")),
    Screen("mfa_deactivate_totp", "registrar", _fixed("mfa_deactivate_totp")),
    Screen("mfa_view_recovery_codes", "registrar", _fixed("mfa_view_recovery_codes")),
    Screen("mfa_generate_recovery_codes", "registrar", _fixed("mfa_generate_recovery_codes")),
    Screen("mfa_list_webauthn", "registrar", _fixed("mfa_list_webauthn")),
    Screen("mfa_add_webauthn", "registrar", _fixed("mfa_add_webauthn")),
    Screen("mfa_reauthenticate", "registrar", _fixed("mfa_reauthenticate")),
    Screen("account_reauthenticate", "registrar", _fixed("account_reauthenticate")),
    Screen("account_change_password", "registrar", _fixed("account_change_password")),
    # places of internment, visits and the field's review queue
    # the seriously wounded and sick
    Screen("commission_list", "nadia", _fixed("medical:commission_list")),
    Screen("commission_new", "nadia", _fixed("medical:commission_new")),
    Screen("commission_new-errors", "nadia", _fixed("medical:commission_new"), _save()),
    Screen(
        "commission_detail",
        "nadia",
        lambda w: reverse("medical:commission_detail", args=[w.commission.pk]),
    ),
    Screen("person_track", "nadia", _person("medical:person_track")),
    Screen(
        "person_track-planner-uk", "planner", _person("medical:person_track"), locale="uk-UA"
    ),  # fmt: skip
    Screen("presentation_new", "dora", _person("medical:presentation_new")),
    Screen("examination_new", "nadia", _person("medical:examination_new")),
    Screen("examination_new-errors", "nadia", _person("medical:examination_new"), _save()),
    Screen(
        "consent_new",
        "interviewer",
        lambda w: reverse("medical:consent_new", args=[w.examination.pk]),
    ),
    # the field's review queue
    Screen("conflict_list", "interviewer", _fixed("field:conflict_list")),
    Screen(
        "conflict_detail",
        "interviewer",
        lambda w: reverse("field:conflict_detail", args=[w.conflict.pk]),
    ),
    # exports and reports
    Screen("exports_index", "registrar", _fixed("exports:index"), optional=True),
    Screen("exports_notifications", "registrar", _fixed("exports:notifications"), optional=True),
    Screen("capture_card", "registrar", _person("exports:capture_card"), optional=True),
    Screen("case_summary", "registrar", _person("exports:case_summary"), optional=True),
    Screen("reports_dashboard", "decision_maker", _fixed("reports:dashboard"), optional=True),
    Screen("imports_job_list", "registrar", _fixed("imports:job_list"), optional=True),
    Screen("imports_upload", "registrar", _fixed("imports:upload"), optional=True),
    Screen(
        "imports_upload-errors",
        "registrar",
        _fixed("imports:upload"),
        _save("Upload and check"),
        optional=True,
    ),
    Screen("imports_mapping_new", "registrar", _fixed("imports:mapping_new"), optional=True),
    Screen(
        "imports_job_detail",
        "registrar",
        lambda w: reverse("imports:job_detail", args=[w.job.pk]),
        optional=True,
    ),
    Screen(
        "imports_job_mapping",
        "registrar",
        lambda w: reverse("imports:job_mapping", args=[w.job.pk]),
        optional=True,
    ),
    # the same pages in the other languages of the UI (longer words, other scripts)
    Screen("person_detail-ko", "registrar", _person("registry:person_detail"), locale="ko-KR"),
    Screen("visit_detail-ko", "interviewer", _of_visit("visits:visit_detail"), locale="ko-KR"),
    Screen(
        "referral_detail-uk",
        "other_receiving_officer",
        _of_referral("referrals:referral_detail"),
        locale="uk-UA",
    ),
    Screen(
        "interview_new-errors-ru",
        "interviewer",
        _of_visit("visits:interview_new"),
        _submit,
        locale="ru-RU",
    ),
    Screen("will_new-errors-uk", "interviewer", _person("cases:will_new"), _submit, locale="uk-UA"),
    Screen(
        "transfer_new-guard-ru",
        "planner",
        lambda w: reverse("cases:transfer_new", args=[w.accepted.registry_number]),
        _schedule_through_refused_state,
        locale="ru-RU",
    ),
    # answers
    Screen("403", "registrar", _fixed("audit:audit_list"), status=403),
    Screen(
        "404",
        "registrar",
        lambda w: reverse("registry:person_detail", args=["UA-0000-0"]),
        status=404,
    ),
]

# Routes that are not pages of their own, and why.
NOT_PAGES: dict[str, str] = {
    "notifications:open": "POST only: marks it read and opens the person's page",
    "notifications:read_all": "POST only, redirects to the notifications page",
    "tracing:duplicate_refresh_progress": "a fragment of the duplicates page, polled by HTMX; "
    "the duplicates page (duplicate_list) shows it",
    "logout": "POST only; its confirmation is the login page",
    "account_logout": "POST only, as `logout`",
    "account_login": "the same view as `login`",
    "account_inactive": "never reached: a disabled account cannot log in",
    "account_signup": "sign-up is closed; answers that it is",
    "set_language": "POST only, redirects back",
    "mfa_download_recovery_codes": "a text file",
    "mfa_reauthenticate_webauthn": "needs a security key, which a headless browser has not",
    "mfa_remove_webauthn": "needs a registered security key",
    "mfa_edit_webauthn": "needs a registered security key",
    "tracing:request_search": "POST only, redirects to the request",
    "exchanges:manifest_csv": "a CSV file",
    "exchanges:manifest_pdf": "a PDF file",
    "exports:download": "POST only, a file",
    "reports:chart": "an SVG image (the dashboard shows it with its text alternative)",
    "reports:export": "a file",
    "audit:audit_export": "a CSV file",
    "imports:job_progress": "an HTMX fragment of the job's page, checked there",
    "imports:job_commit": "POST only, redirects to the job",
    "imports:job_discard": "POST only, redirects to the job",
    "documents:document_content": "a document's bytes (the document page previews them)",
}
# Namespaces that hold no pages of the web UI: the partner API (JSON, and a third party's
# Swagger UI) and the health checks.
NOT_PAGE_NAMESPACES = ("api", "ops")

USERS_BEYOND_PEOPLE = ("newcomer", "nadia", "dora")  # users the world makes, looked up there


def censoring(settings, people) -> None:
    """alice's detaining power censors family messages (docs/family.md#family-messages), as the
    world's messages need: set through the test's `settings` fixture, so it is put back."""
    settings.FAMILY_CENSORSHIP_BY = [people.registrar.organisation.name]


def user_of(people, w, who):
    """The user a screen names (None: logged out), from `people` or the world."""
    if who is None:
        return None
    return getattr(w if who in USERS_BEYOND_PEOPLE else people, who)


def _route_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if pattern.namespace and namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


class _AnyObject:
    """Stands for every object of the world when only a screen's route is wanted."""

    pk = 1
    registry_number = "UA-2026-000001"

    def __getattr__(self, name):
        return self


def screen_route(screen: Screen) -> str | None:
    """The route a screen checks (None: an optional page whose route does not exist)."""
    try:
        path = screen.path(_AnyObject())
    except NoReverseMatch:
        return None
    return screen.route or resolve(path.split("?")[0]).view_name


def routes_not_covered() -> list[str]:
    """The routes of the web UI in neither SCREENS nor NOT_PAGES: a new page must join one
    (the accessibility walk and the query bounds visit SCREENS)."""
    routes = {
        name
        for name in _route_names(get_resolver().url_patterns)
        if ":" not in name or name.split(":")[0] not in NOT_PAGE_NAMESPACES
    }
    screens = {screen_route(screen) for screen in SCREENS} - {None}
    return sorted(routes - screens - set(NOT_PAGES))


def more_rows(people, w, round_: int) -> None:
    """One more row of each kind the world's lists show (call it again for another), on the
    same pages: more persons, cases, transfers, visits, referrals, requests, messages… and more
    wills, assessments, names and documents of Kim's. `round_` keeps names unique."""
    from safepassage.api import services as api_services
    from safepassage.registry.services import NameInput, person_name_add
    from tests.factories import record_will
    from tests.family.builders import message
    from tests.visits.builders import man_at_the_camp, private_interview

    scheduled(people), accepted(people), returning(people), refusing(people)
    traced = register_kim(people.registrar)
    propose(w.request, traced), propose(mother_request(people.interviewer), traced)
    pair_of(traced, accepted(people))
    theirs(w.deal, people.planner, f"T{round_ + 1}", name=f"Шевченко Тарас {round_}")
    api_services.api_token_create(user=people.registrar, name=f"sync job {round_}")
    make_user(people.registrar.organisation, "registrar", username=f"member{round_}")
    _visit(people)
    private_interview(people, w.visit, man_at_the_camp(people))
    _referral(people)
    _moved(people)
    _documents(people, w.kim)
    message(people, w.kim, text=f"Round {round_}.")
    record_will(people.interviewer, w.kim, verified=False, statement=f"Press {round_}.")
    person_name_add(actor=people.registrar, person=w.kim,
                    name=NameInput(family_name="Kim", given_name=f"Alias {round_}"))  # fmt: skip
