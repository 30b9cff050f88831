"""The review queue of field work: conflicts between what a team saw and what the centre holds,
side by side, resolved by the visiting organisation's interviewer. Thin over the services."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from safepassage.access.policy import Action, can
from safepassage.field import selectors, services
from safepassage.field.forms import ConflictResolveForm
from safepassage.field.models import FieldConflict
from safepassage.registry.models import Person
from safepassage.web.shortcuts import form_methods, form_page, page_of, posted


def _require(request: HttpRequest) -> None:
    if not can(request.user, Action.VISIT_PLAN):
        raise PermissionDenied


@require_GET
def conflict_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    page = page_of(request, selectors.field_conflicts_open(actor=request.user))
    return render(request, "field/conflict_list.html", {"page": page})


@form_methods
def conflict_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    try:
        conflict = selectors.field_conflict_for(actor=request.user, pk=pk)
    except FieldConflict.DoesNotExist:
        raise Http404 from None
    labels = {
        f.name: f.verbose_name for f in Person._meta.get_fields() if hasattr(f, "verbose_name")
    }
    labels |= {"place_id": _("place of internment (record)"), "seen_on": _("seen on")}
    rows = [
        (labels.get(name, name), *values) for name, *values in selectors.conflict_rows(conflict)
    ]
    context = {"conflict": conflict, "rows": rows}
    if conflict.resolved_at is not None:
        return render(request, "field/conflict_detail.html", context)
    return form_page(
        request,
        context=context,
        form=ConflictResolveForm(posted(request)),
        write=lambda data: services.field_conflict_resolve(
            actor=request.user, conflict=conflict, resolution=data["resolution"], note=data["note"]
        ),
        success=_("Conflict resolved."),
        next_url=reverse("field:conflict_list"),
        template="field/conflict_detail.html",
    )
