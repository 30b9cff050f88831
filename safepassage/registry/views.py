"""Registry pages: the person list and search, registering a prisoner of war, his page, his
identity and his names. Thin: the access package and the services decide."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from safepassage.access.documents import can_upload_document
from safepassage.access.persons import person_for
from safepassage.access.policy import (
    Action,
    can,
    can_see_place,
    has_any_role_for,
    may_see_family_messages,
    require,
)
from safepassage.audit.reads import reads_gathered
from safepassage.cases import selectors as case_selectors
from safepassage.cases.forms import TransitionForm
from safepassage.documents import selectors as document_selectors
from safepassage.registry import forms, selectors, services
from safepassage.registry import search as ranked_search
from safepassage.registry.models import Person
from safepassage.web.pagination import CappedPaginator
from safepassage.web.shortcuts import PAGE_SIZE, form_methods, form_page, posted

# The person list counts at most this many matches (20 pages); more: "narrow the search".
PERSON_LIST_CAP = 1000


def person_url(person: Person) -> str:
    """His page, where every form about him returns."""
    return reverse("registry:person_detail", args=[person.registry_number])


@require_http_methods(["GET"])
def person_list(request: HttpRequest) -> HttpResponse:
    search = forms.PersonSearchForm(request.GET or None)
    query, filters = "", {}
    if search.is_bound:
        search.is_valid()  # invalid filters are dropped and shown as errors
        filters = dict(search.cleaned_data)
        query = filters.pop("q", "")
    if query.strip():
        # Ranked as the tracing engine compares names, each with the reason he was found.
        ranked, capped = ranked_search.person_search(
            actor=request.user, query=query, filters=filters, cap=PERSON_LIST_CAP
        )
        paginator = ranked_search.RankedPaginator(ranked, PAGE_SIZE, capped=capped)
    else:
        persons = selectors.person_list(actor=request.user, query=query, filters=filters)
        paginator = CappedPaginator(persons, PAGE_SIZE, cap=PERSON_LIST_CAP)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "registry/person_list.html",
        {
            "search": search,
            "page": page,
            "filtered": bool(query or any(filters.values())),
            "can_register": can(request.user, Action.PERSON_REGISTER),
        },
    )


@sensitive_post_parameters()
@form_methods
def person_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PERSON_REGISTER)
    form = forms.PersonForm(
        posted(request), show_next_of_kin=has_any_role_for(request.user, Action.NEXT_OF_KIN_VIEW)
    )
    names = forms.NameFormSet(posted(request), prefix="names")

    def write(cleaned):
        return services.person_register(
            actor=request.user,
            names=[services.NameInput(**name) for name in names.names()],
            **cleaned,
        )

    return form_page(
        request,
        context={"title": _("Register a prisoner of war"), "names": names},
        form=form,
        also_valid=[names],
        write=write,
        success=_("Registered. His case is open."),
        next_url=person_url,
        template="registry/person_form.html",
    )


@require_http_methods(["GET"])
def person_detail(request: HttpRequest, registry_number: str) -> HttpResponse:
    user = request.user
    person = person_for(user, registry_number)
    with reads_gathered(actor=user):  # next of kin, wills, documents: one write of the log
        context = _person_context(user, person)
    return render(request, "registry/person_detail.html", context)


def _person_context(user, person: Person) -> dict:
    steps = case_selectors.case_steps_for(actor=user, person=person)
    show_next_of_kin = selectors.next_of_kin_shown(actor=user, person=person)
    return {
        "person": person,
        "case": case_selectors.case_of(person),
        "names": list(person.names.all()),
        "timeline": case_selectors.person_timeline(actor=user, person=person),
        "show_next_of_kin": show_next_of_kin,
        "can_edit": can(user, Action.PERSON_EDIT, person),
        "can_record_will": can(user, Action.WILL_RECORD, person),
        "can_assess": can(user, Action.ASSESS, person),
        "may_see_family_messages": may_see_family_messages(user, person),
        "medical_track": can(user, Action.MEDICAL_VIEW, person),
        "can_assign_legal": can(user, Action.LEGAL_ASSIGN, person),
        "can_decide": steps.may_decide,
        "can_accept": steps.may_accept,
        "can_decline": steps.may_decline,
        "correctable": steps.correctable,
        "can_schedule": steps.may_schedule,
        "scheduled": steps.scheduled,
        "can_execute": steps.may_execute,
        "transition_form": TransitionForm(transitions=steps.plain, auto_id="step_%s"),
        "place_shown": person.place is not None and can_see_place(user, person.place),
        "place_moves": list(person.place_moves.select_related("from_place", "to_place")),
        "documents": document_selectors.document_list(actor=user, person=person, versions=False),
        "can_add_document": can_upload_document(user, person),
    }


@sensitive_post_parameters()
@form_methods
def person_edit(request: HttpRequest, registry_number: str) -> HttpResponse:
    user = request.user
    person = person_for(user, registry_number, Action.PERSON_EDIT)
    if request.method == "GET":  # the form shows the stored value
        show_next_of_kin = selectors.next_of_kin_shown(actor=user, person=person)
    else:
        show_next_of_kin = can(user, Action.NEXT_OF_KIN_VIEW, person)
    initial = {name: getattr(person, name) for name in forms.IDENTITY_FIELDS}
    if not show_next_of_kin:
        del initial["next_of_kin"]
    form = forms.PersonEditForm(
        posted(request),
        initial={**initial, "version": person.version},
        show_next_of_kin=show_next_of_kin,
    )

    def write(cleaned):
        fields = dict(cleaned)
        version = fields.pop("version")
        return services.person_update(actor=user, person=person, expected_version=version, **fields)

    return form_page(
        request,
        context={"title": _("Edit identity"), "person": person},
        form=form,
        write=write,
        success=_("Identity saved."),
        next_url=person_url(person),
    )


@sensitive_post_parameters()
@form_methods
def person_name_add(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.PERSON_EDIT)
    return form_page(
        request,
        context={
            "title": _("Add a name"),
            "intro": [
                _(
                    "Another script, another romanization, or a name under which he was "
                    "documented falsely (mark it as an assumed identity)."
                )
            ],
            "person": person,
        },
        form=forms.NameForm(posted(request)),
        write=lambda cleaned: services.person_name_add(
            actor=request.user, person=person, name=services.NameInput(**cleaned)
        ),
        success=_("Name added."),
        next_url=person_url(person),
    )
