"""Exchange pages: thin. Ask the selectors (which ask the policy), parse a form, call one
service, redirect. Agreements a user may not see answer 404; steps he may not take, 403."""

from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from safepassage.access.policy import Action, can, require
from safepassage.accounts.reauth import reauthentication_ensure
from safepassage.exchanges import forms, manifest, selectors, services, workflow
from safepassage.exchanges.models import BatchState, Entry, EntryStatus, Side
from safepassage.web.shortcuts import form_methods, form_page

FORM_TEMPLATE = "exchanges/form.html"


# The web UI's form page (GET shows, a valid POST writes and redirects, a refusal is shown),
# with the exchanges' template.
_form_page = partial(form_page, template=FORM_TEMPLATE)


def _agreement_url(agreement) -> str:
    return reverse("exchanges:agreement_detail", args=[agreement.pk])


def _batch_url(batch) -> str:
    return reverse("exchanges:batch_detail", args=[batch.pk])


def _entry_context(entry: Entry, **context: Any) -> dict[str, Any]:
    """An entry's form page: shown with its batch's agreement, and back to the batch."""
    back = {"entry": entry, "agreement": entry.batch.agreement, "back": _batch_url(entry.batch)}
    return {**context, **back}


# --- agreements and pools ---------------------------------------------------------------------


@require_http_methods(["GET"])
def agreement_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EXCHANGE_VIEW)
    return render(
        request,
        "exchanges/agreement_list.html",
        {
            "agreements": selectors.agreement_list(actor=request.user),
            "may_plan": can(request.user, Action.EXCHANGE_PLAN),
        },
    )


@form_methods
def agreement_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EXCHANGE_PLAN)
    form = forms.AgreementForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        context={"title": _("New exchange agreement"), "back": reverse("exchanges:agreement_list")},
        form=form,
        write=lambda cleaned: services.agreement_create(actor=request.user, **cleaned),
        success=_("Agreement recorded."),
        next_url=_agreement_url,
    )


@require_http_methods(["GET"])
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    candidates = selectors.candidates_of(agreement)
    return render(
        request,
        "exchanges/agreement_detail.html",
        {
            "agreement": agreement,
            "batches": selectors.batch_list(actor=request.user, agreement=agreement),
            "ours": [c for c in candidates if c.side == Side.OURS],
            "theirs": [c for c in candidates if c.side == Side.THEIRS],
            "may_plan": can(request.user, Action.EXCHANGE_PLAN),
        },
    )


@form_methods
def pool_add_registry(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(actor=request.user, pk=pk, action=Action.EXCHANGE_PLAN)
    return _form_page(
        request,
        context={
            "title": _("Add the persons we hold to the pool"),
            "intro": [
                _(
                    "Every person your organisation holds and has not released, "
                    "transferred or lost joins our side. The guard decides at planning."
                )
            ],
            "agreement": agreement,
            "submit_label": _("Add to the pool"),
            "back": _agreement_url(agreement),
        },  # fmt: skip
        form=forms.ConfirmForm(request.POST if request.method == "POST" else None),
        write=lambda cleaned: services.pool_add_registry(actor=request.user, agreement=agreement),
        success=lambda added: (
            ngettext("%(n)s person added to the pool.", "%(n)s persons added to the pool.", added)
            % {"n": added}
        ),
        next_url=_agreement_url(agreement),
    )


@form_methods
def proposal_import(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(actor=request.user, pk=pk, action=Action.EXCHANGE_PLAN)
    form = forms.ProposalForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )

    def write(cleaned):
        upload = cleaned["file"]
        # The upload is in memory (web/uploads.py): read from there, never copied to a file.
        result = services.proposal_import(
            actor=request.user, agreement=agreement, path=upload.read(), name=upload.name
        )
        for line in result.unmatched:
            messages.warning(request, line)
        return result

    return _form_page(
        request,
        context={
            "title": _("Import the other side's proposal"),
            "agreement": agreement,
            "multipart": True,
            "back": _agreement_url(agreement),
        },  # fmt: skip
        form=form,
        write=write,
        success=lambda r: (
            ngettext(
                "%(added)s added, %(requested)s asked for; matched by %(method)s.",
                "%(added)s added, %(requested)s asked for; matched by %(method)s.",
                r.added,
            )
            % {"added": r.added, "requested": r.requested, "method": r.method}
        ),
        next_url=_agreement_url(agreement),
    )


@form_methods
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get(actor=request.user, pk=pk, action=Action.EXCHANGE_PLAN)
    initial = {"category": candidate.category, "fit_to_travel": candidate.fit_to_travel}
    form = forms.CandidateForm(request.POST if request.method == "POST" else None, initial=initial)
    return _form_page(
        request,
        context={
            "title": _("Candidate %(id)s") % {"id": candidate.external_id},
            "agreement": candidate.agreement,
            "back": _agreement_url(candidate.agreement),
        },  # fmt: skip
        form=form,
        write=lambda cleaned: services.candidate_update(
            actor=request.user, candidate=candidate, **cleaned
        ),  # fmt: skip
        success=_("Candidate updated."),
        next_url=_agreement_url(candidate.agreement),
    )


# --- batches ----------------------------------------------------------------------------------


@form_methods
def batch_plan(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(actor=request.user, pk=pk, action=Action.EXCHANGE_PLAN)
    return _form_page(
        request,
        context={
            "title": _("Plan a new batch"),
            "intro": [
                _(
                    "The planner chooses the best batch the agreement allows: the seriously "
                    "wounded and sick first, then the most persons, then priority. It is "
                    "exact, and says why each person is left out."
                )
            ],
            "agreement": agreement,
            "submit_label": _("Plan"),
            "back": _agreement_url(agreement),
        },  # fmt: skip
        form=forms.ConfirmForm(request.POST if request.method == "POST" else None),
        write=lambda cleaned: services.batch_plan(actor=request.user, agreement=agreement),
        success=_("Batch planned."),
        next_url=_batch_url,
    )


def solver_status(solver: dict) -> str:
    """What the planner's last run means for the planner: whether a better plan may exist."""
    if not solver:
        return _("Not planned yet.")
    values = {level["name"]: level["value"] for level in solver.get("levels", [])}
    if values.get("persons") == 0:
        return _("No plan puts anyone on this batch yet: below, each person left out is told why.")
    if solver.get("optimal"):
        return _("Best possible plan found: no plan the agreement allows is better.")
    gap = solver.get("gap") or 0
    return _(
        "Good plan found, may not be the best: the time limit was reached %(gap)s%% from the "
        "best bound. Plan again to search longer."
    ) % {"gap": f"{gap * 100:.1f}"}


def _steps(batch, actor) -> tuple[list, list[str]]:
    """The steps offered on the batch page, and why the others are not (a precondition that
    fails is said, not offered as a button that would only be refused)."""
    offered, blocked = [], []
    for step in workflow.available_transitions(batch, actor):
        missing = step.precondition(batch) if step.precondition else None
        if missing:
            if missing not in blocked:
                blocked.append(missing)
        else:
            offered.append(step)
    return offered, blocked


@require_http_methods(["GET"])
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(actor=request.user, pk=pk)
    may_plan = can(request.user, Action.EXCHANGE_PLAN)
    steps, blocked = _steps(batch, request.user) if may_plan else ([], [])
    sides = workflow.sides_on(batch)
    exclusions = list(selectors.exclusions_of(batch))
    why = Counter(x.get_reason_display() for x in exclusions)
    left_out = [
        ngettext("%(reason)s: %(n)s person", "%(reason)s: %(n)s persons", n)
        % {"reason": reason, "n": n}
        for reason, n in why.most_common()
    ]
    return render(
        request,
        "exchanges/batch_detail.html",
        {
            "batch": batch,
            "agreement": batch.agreement,
            "entries": selectors.entries_of(batch),
            "has_ours": Side.OURS in sides,
            "has_theirs": Side.THEIRS in sides,
            "exclusions": exclusions,
            "left_out": left_out,
            "steps": steps,
            "blocked": blocked,
            "solver_status": solver_status(batch.solver),
            "may_plan": may_plan,
            "may_replan": may_plan and batch.state in workflow.PLANNABLE,
            "may_execute": may_plan and batch.state == BatchState.AGREED,
            "may_refuse": can(request.user, Action.EXCHANGE_REFUSAL),
            "live": (EntryStatus.PLANNED, EntryStatus.AGREED),
        },
    )


@form_methods
def batch_replan(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(actor=request.user, pk=pk, action=Action.EXCHANGE_PLAN)
    return _form_page(
        request,
        context={
            "title": _("Plan this batch again"),
            "agreement": batch.agreement,
            "submit_label": _("Plan again"),
            "back": _batch_url(batch),
        },  # fmt: skip
        form=forms.ConfirmForm(request.POST if request.method == "POST" else None),
        write=lambda cleaned: services.batch_plan(
            actor=request.user, agreement=batch.agreement, batch=batch
        ),
        success=_("Batch planned again."),
        next_url=_batch_url,
    )


@form_methods
def batch_step(request: HttpRequest, pk: int, target: str) -> HttpResponse:
    batch = selectors.batch_get(actor=request.user, pk=pk, action=Action.EXCHANGE_PLAN)
    if target not in BatchState.values:
        raise PermissionDenied
    if request.method == "POST" and target == BatchState.EXECUTED:
        reauthentication_ensure(request)
    return _form_page(
        request,
        context={
            "title": BatchState(target).label,
            "agreement": batch.agreement,
            "batch": batch,
            "intro": [
                _(
                    "The guard checks every entry again before the batch is proposed, "
                    "agreed or executed."
                )
            ],
            "danger": target == BatchState.CANCELLED,
            "back": _batch_url(batch),
        },  # fmt: skip
        form=forms.ReasonForm(request.POST if request.method == "POST" else None),
        write=lambda cleaned: services.batch_step(
            actor=request.user, batch=batch, target=target, reason=cleaned["reason"]
        ),
        success=_("Step recorded."),
        next_url=_batch_url(batch),
    )


def _manifest_download(
    request: HttpRequest, pk: int, render_as: Callable[[Any], Any], content_type: str, suffix: str
) -> HttpResponse:
    """The batch's manifest, rendered by `render_as`, as an attachment `manifest-<pk>.<suffix>`."""
    batch = selectors.batch_get(actor=request.user, pk=pk)
    response = HttpResponse(render_as(batch), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="manifest-{batch.pk}.{suffix}"'
    return response


@require_http_methods(["GET"])
def manifest_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _manifest_download(request, pk, manifest.manifest_csv, "text/csv; charset=utf-8", "csv")


@require_http_methods(["GET"])
def manifest_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _manifest_download(request, pk, manifest.manifest_pdf, "application/pdf", "pdf")


# --- entries ----------------------------------------------------------------------------------


@form_methods
def entry_handover(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(actor=request.user, pk=pk, action=Action.EXCHANGE_PLAN)
    if request.method == "POST":
        reauthentication_ensure(request)
    return _form_page(
        request,
        context=_entry_context(
            entry,
            title=_("Confirm the handover of %(id)s") % {"id": entry.candidate.external_id},
            submit_label=_("Confirm the handover"),
        ),
        form=forms.ConfirmForm(request.POST if request.method == "POST" else None),
        write=lambda cleaned: services.entry_handover_confirm(actor=request.user, entry=entry),
        success=_("Handover confirmed."),
        next_url=_batch_url(entry.batch),
    )


@form_methods
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(actor=request.user, pk=pk, action=Action.EXCHANGE_PLAN)
    return _form_page(
        request,
        context=_entry_context(
            entry,
            title=_("Take %(id)s off the batch") % {"id": entry.candidate.external_id},
            danger=True,
        ),
        form=forms.ReasonForm(request.POST if request.method == "POST" else None),
        write=lambda cleaned: services.entry_remove(
            actor=request.user, entry=entry, reason=cleaned["reason"]
        ),
        success=_("Taken off the batch."),
        next_url=_batch_url(entry.batch),
    )


@form_methods
def entry_refusal(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(actor=request.user, pk=pk, action=Action.EXCHANGE_REFUSAL)
    return _form_page(
        request,
        context=_entry_context(
            entry,
            title=_("He refuses to go: %(id)s") % {"id": entry.candidate.external_id},
            intro=[
                _(
                    "He is taken off the batch and stays. His words are recorded as a will "
                    "expression refusing the destination; only a private interview by a "
                    "neutral verifier makes it verified."
                )
            ],
            danger=True,
        ),
        form=forms.RefusalForm(request.POST if request.method == "POST" else None),
        write=lambda cleaned: services.entry_refusal_record(
            actor=request.user, entry=entry, **cleaned
        ),
        success=_("He is off the batch; his statement is recorded."),
        next_url=_batch_url(entry.batch),
    )
