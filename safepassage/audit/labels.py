"""The audit log in words: a label for every action code, field names and values as text.

An event stores its action as a stable code (`person.register`, `read.riskassessment`), hashed
into the chain and never translated; what a reader sees is its label here, in his language. A
new action written anywhere is one line in `ACTION_LABELS` (tests/audit/test_labels.py fails on
a code without one).
"""

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.audit.reads import READ_ACTION_PREFIX

ACTION_LABELS: dict[str, Any] = {
    # Registry
    "person.register": gettext_lazy("Person registered"),
    "person.update": gettext_lazy("Person's record changed"),
    "person.name_add": gettext_lazy("Name added"),
    "person.merge": gettext_lazy("Duplicate records merged"),
    "person.merge_absorb": gettext_lazy("Record merged into another"),
    "person.place_move": gettext_lazy("Moved to another place of internment"),
    "place.create": gettext_lazy("Place of internment recorded"),
    "place.update": gettext_lazy("Place of internment changed"),
    "registry.seed": gettext_lazy("Registry seeded"),
    "registry.duplicate_refresh": gettext_lazy("Duplicate search started"),
    "registry.duplicate_refresh_done": gettext_lazy("Duplicate search finished"),
    "registry.duplicate_decide": gettext_lazy("Possible duplicate decided"),
    # Referrals to receiving states
    "referral.make": gettext_lazy("Referred to a receiving state"),
    "referral.transition": gettext_lazy("Referral moved to another step"),
    "referral.remind": gettext_lazy("Receiving state reminded of a referral's due answer"),
    # After a transfer
    "followup.reception_steps_configure": gettext_lazy("Receiving state's reception steps set"),
    "followup.reception": gettext_lazy("Arrival in the receiving state recorded"),
    "followup.reception_step": gettext_lazy("Reception step recorded as done"),
    "followup.schedule": gettext_lazy("Follow-up contacts scheduled"),
    "followup.contact": gettext_lazy("Follow-up contact recorded"),
    # Family links
    "family.capture_card_choice": gettext_lazy("His capture card choice recorded"),
    "family.correspondence_choice": gettext_lazy("His choice of correspondents recorded"),
    "family.message": gettext_lazy("Family message written"),
    "family.message_censor": gettext_lazy("Family message censored or passed"),
    "family.message_step": gettext_lazy("Family message forwarded, delivered or undeliverable"),
    # Visits
    "visit.plan": gettext_lazy("Visit planned"),
    "medical.commission.create": gettext_lazy("Mixed Medical Commission appointed"),
    "medical.present": gettext_lazy("Presented to a Mixed Medical Commission"),
    "medical.examination.record": gettext_lazy("Medical examination and finding recorded"),
    "medical.consent.record": gettext_lazy("His answer to a medical finding recorded"),
    "medical.registrar_category.keep": gettext_lazy(
        "A registrar's Art. 110 category kept as history"
    ),
    "person.art110_category": gettext_lazy("Art. 110 category set by a finding"),
    "visit.transition": gettext_lazy("Visit moved to another step"),
    "visit.team_add": gettext_lazy("Member added to a visit's team"),
    "visit.team_remove": gettext_lazy("Member removed from a visit's team"),
    "visit.list_build": gettext_lazy("List of persons to see on a visit built"),
    "visit.report_write": gettext_lazy("Visit report written"),
    "interview.record": gettext_lazy("Interview on a visit recorded"),
    "interview.will_record": gettext_lazy("Will expression of an interview recorded"),
    # Documents
    "document.upload": gettext_lazy("Document added"),
    "document.version_add": gettext_lazy("New version of a document added"),
    "document.remove": gettext_lazy("Document removed"),
    # Field work
    "field.package": gettext_lazy("Visit package issued for field work"),
    "field.receive": gettext_lazy("Return bundle of field work received"),
    "field.conflict.resolve": gettext_lazy("Conflict between the field and the centre resolved"),
    # Cases
    "case.transition": gettext_lazy("Case moved to another step"),
    "case.legal_assign": gettext_lazy("Legal organisation assigned"),
    "case.step_facts": gettext_lazy("Facts of an irreversible step recorded"),
    "case.correct": gettext_lazy("Step recorded in error corrected"),
    "will.record": gettext_lazy("Will expression recorded"),
    "will.withdraw": gettext_lazy("Will expression withdrawn"),
    "assessment.record": gettext_lazy("Risk assessment recorded"),
    "assessment.concur": gettext_lazy("Concurrence with a risk assessment"),
    "decision.take": gettext_lazy("Decision taken"),
    "acceptance.record": gettext_lazy("Acceptance by the receiving state recorded"),
    "acceptance.decline": gettext_lazy("Receiving state declined"),
    "transfer.schedule": gettext_lazy("Transfer scheduled"),
    "transfer.cancel": gettext_lazy("Transfer cancelled"),
    "transfer.execute": gettext_lazy("Transfer executed"),
    # Exchanges
    "exchange.agreement.create": gettext_lazy("Exchange agreement recorded"),
    "exchange.batch.create": gettext_lazy("Exchange batch created"),
    "exchange.batch.plan": gettext_lazy("Exchange batch planned"),
    "exchange.batch.transition": gettext_lazy("Exchange batch moved to another step"),
    "exchange.pool.import": gettext_lazy("Other party's list imported"),
    "exchange.pool.add_registry": gettext_lazy("Registry persons added to a batch"),
    "exchange.candidate.update": gettext_lazy("Exchange candidate changed"),
    "exchange.entry.plan": gettext_lazy("Person planned on a batch"),
    "exchange.entry.remove": gettext_lazy("Person removed from a batch"),
    "exchange.entry.handover": gettext_lazy("Handover recorded"),
    "exchange.entry.execute": gettext_lazy("Exchange executed for a person"),
    # Tracing
    "tracing.request_record": gettext_lazy("Tracing request recorded"),
    "tracing.request_search": gettext_lazy("Tracing request searched"),
    "tracing.request_link": gettext_lazy("Tracing request linked to a person"),
    "tracing.request_unlink": gettext_lazy("Tracing request unlinked"),
    "tracing.request_close": gettext_lazy("Tracing request closed"),
    "tracing.requester_inform": gettext_lazy("Requester informed"),
    "tracing.candidate_confirm": gettext_lazy("Tracing candidate confirmed"),
    "tracing.candidate_reject": gettext_lazy("Tracing candidate rejected"),
    # Imports and exports
    "import.upload": gettext_lazy("Import file uploaded"),
    "import.mapping_save": gettext_lazy("Import columns mapped"),
    "import.discard": gettext_lazy("Import discarded"),
    "import.commit": gettext_lazy("Import committed"),
    "export.request": gettext_lazy("Export requested"),
    "export.failed": gettext_lazy("Export failed"),
    "export.download": gettext_lazy("Export downloaded"),
    "export.notifications": gettext_lazy("Notification list exported"),
    "export.capture_card": gettext_lazy("Capture card exported"),
    "export.case_summary": gettext_lazy("Case summary exported"),
    "audit.export": gettext_lazy("Audit log exported"),
    # Notifications
    "notification.create": gettext_lazy("Notification sent"),
    "notification.read": gettext_lazy("Notification opened"),
    "notification.read_all": gettext_lazy("Every notification marked read"),
    # Accounts and operations
    "organisation.create": gettext_lazy("Organisation created"),
    "user.create": gettext_lazy("Account created"),
    "user.roles": gettext_lazy("Roles changed"),
    "user.language": gettext_lazy("Language changed"),
    "user.enable": gettext_lazy("Account enabled"),
    "user.disable": gettext_lazy("Account disabled"),
    "user.second_factors_reset": gettext_lazy("Second factors reset"),
    "login.lockout": gettext_lazy("Logging in paused after failed attempts"),
    "api_token.create": gettext_lazy("API token created"),
    "api_token.revoke": gettext_lazy("API token revoked"),
    "retention.anonymise": gettext_lazy("Record anonymised by retention"),
    "ops.restore": gettext_lazy("Database restored from a backup"),
}


def _model_of(model_name: str):
    for model in apps.get_models():
        if model._meta.model_name == model_name:
            return model
    return None


def action_label(code: str) -> str:
    """The reader's words for an action code; an unknown code is shown as it is stored."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    if code.startswith(READ_ACTION_PREFIX):
        model = _model_of(code.removeprefix(READ_ACTION_PREFIX))
        if model is not None:
            return _("Sensitive values read: %(record)s") % {"record": model._meta.verbose_name}
    return code


def action_known(code: str) -> bool:
    """Whether `code` is an action the log can hold (a labelled one, or a sensitive read)."""
    if code in ACTION_LABELS:
        return True
    return (
        code.startswith(READ_ACTION_PREFIX)
        and _model_of(code.removeprefix(READ_ACTION_PREFIX)) is not None
    )


def action_choices(codes) -> list[tuple[str, str]]:
    """(code, label) for a filter's choices, sorted by label in the reader's language."""
    return sorted(((code, action_label(code)) for code in set(codes)), key=lambda c: c[1].lower())


def field_label(object_type: str, name: str) -> str:
    """A changed field by its model's verbose name where the model has it, else as stored."""
    try:
        model = apps.get_model(object_type)
        return capfirst(str(model._meta.get_field(name).verbose_name))
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return name


def _choices_of(object_type: str, name: str) -> dict[str, str]:
    try:
        field = apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return {}
    return {str(code): str(label) for code, label in getattr(field, "flatchoices", ()) or ()}


def choice_text(object_type: str, name: str, value: Any) -> str:
    """A recorded value as text, a field's choice by its label (`awaiting_interview` reads
    "Awaiting interview"); lists of choices label each."""
    choices = _choices_of(object_type, name)
    if choices:
        if isinstance(value, list | tuple):
            value = [choices.get(str(v), v) if v is not None else v for v in value]
        elif value is not None and str(value) in choices:
            value = choices[str(value)]
    return value_text(value)


def value_text(value: Any) -> str:
    """One recorded value as text: nothing as ∅, lists joined, yes/no, mappings as k: v."""
    if value is None or value == "":
        return "∅"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value) if value else "∅"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    return str(value)
