# ruff: noqa: E501 - the anchor's inline templates, kept as one readable block each
"""The anchor of `make bench-web`: the same three requests as plain Django would serve them.

Not part of the product (it lives under scripts/ and is never in `safepassage.urls`): plain
templates, plain JSON, Django's default middleware, a session login, the same rows read from
the same tables as ours (the registrar's organisation's live persons, the same search condition,
50 a page, the person's names, case, its steps and transfers). It has none of ours' rules (no
audited reads, no need-to-know, no menu, no translations of labels): the gap between the two is
what those cost, per request.

Mounted by scripts/bench-web-cpu with `override_settings(ROOT_URLCONF=..., MIDDLEWARE=...)`.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template import Context, Engine
from django.urls import path

MIDDLEWARE = [  # what `django-admin startproject` writes
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

_ENGINE = Engine(debug=False)
_BASE = """<!doctype html><html><head><title>{{ title }}</title></head><body>
<nav><a href="/">Registry</a> <a href="/persons/new/">Register</a></nav><main>{% block c %}{% endblock %}</main></body></html>"""
_LIST = _ENGINE.from_string(
    _BASE.replace(
        "{% block c %}{% endblock %}",
        """<h1>Prisoners of war</h1><form><input name="q" value="{{ q }}"></form>
<div id="results"><p>{{ page.paginator.count }} persons</p><table>
{% for p in page.object_list %}<tr><td><a href="/persons/{{ p.registry_number }}/">{{ p.registry_number }}</a></td>
<td>{% for n in p.names.all %}{{ n.family_name }} {{ n.given_name }} {{ n.patronymic }}<br>{% endfor %}</td>
<td>{{ p.nationalities }}</td><td>{{ p.internment_place }}</td><td>{{ p.case.state }}</td></tr>{% endfor %}
</table></div>""",
    )
)
_PERSON = _ENGINE.from_string(
    _BASE.replace(
        "{% block c %}{% endblock %}",
        """<h1>{{ person.registry_number }}</h1><dl>
<dt>Sex</dt><dd>{{ person.sex }}</dd><dt>Born</dt><dd>{{ person.birth_date }} {{ person.birth_place }}</dd>
<dt>Service number</dt><dd>{{ person.service_number }}</dd><dt>Rank</dt><dd>{{ person.rank }}</dd>
<dt>Unit</dt><dd>{{ person.unit }}</dd><dt>Captured</dt><dd>{{ person.capture_date }} {{ person.capture_place }}</dd>
<dt>Nationalities</dt><dd>{{ person.nationalities }}</dd><dt>Place</dt><dd>{{ person.internment_place }}</dd>
<dt>Next of kin</dt><dd>{{ person.next_of_kin }}</dd><dt>Case</dt><dd>{{ case.state }}</dd></dl>
<ul>{% for n in names %}<li>{{ n.family_name }} {{ n.given_name }} {{ n.patronymic }}</li>{% endfor %}</ul>
<ol>{% for t in steps %}<li>{{ t.at }} {{ t.from_state }} → {{ t.to_state }} {{ t.reason }}</li>{% endfor %}</ol>
<ol>{% for t in transfers %}<li>{{ t.destination }} {{ t.status }}</li>{% endfor %}</ol>""",
    )
)


def _persons(user):
    from safepassage.registry.models import Person

    return Person.objects.filter(
        detaining_organisation_id=user.organisation_id, merged_into__isnull=True
    )


def _search(user, query: str):
    from safepassage.registry.selectors import search_condition

    return (
        _persons(user)
        .filter(search_condition(query))
        .select_related("case")
        .prefetch_related("names")
        .order_by("registry_number")
    )


@login_required
def person_list(request):
    query = request.GET.get("q", "")
    page = Paginator(_search(request.user, query), 50).get_page(request.GET.get("page"))
    from django.http import HttpResponse

    return HttpResponse(_LIST.render(Context({"title": "Registry", "q": query, "page": page})))


@login_required
def person_detail(request, registry_number: str):
    from django.http import HttpResponse

    from safepassage.cases.models import Case, CaseTransition, Transfer

    person = get_object_or_404(_persons(request.user), registry_number=registry_number)
    case = Case.objects.filter(person=person).first()
    context = {
        "title": person.registry_number,
        "person": person,
        "case": case,
        "names": list(person.names.all()),
        "steps": list(CaseTransition.objects.filter(case=case).order_by("at")),
        "transfers": list(Transfer.objects.filter(person=person)),
    }
    return HttpResponse(_PERSON.render(Context(context)))


def _name(n) -> dict:
    return {
        "id": n.pk, "family_name": n.family_name, "given_name": n.given_name,
        "patronymic": n.patronymic, "script": n.script, "romanization": n.romanization,
        "source": n.source, "is_assumed_identity": n.is_assumed_identity,
    }  # fmt: skip


def _person(p) -> dict:
    return {
        "id": p.pk, "registry_number": p.registry_number,
        "names": [_name(n) for n in p.names.all()], "status": p.case.state,
        "detaining_organisation": p.detaining_organisation_id,
        "legal_organisation": p.case.legal_organisation_id, "sex": p.sex,
        "birth_date": p.birth_date and p.birth_date.isoformat(),
        "birth_date_precision": p.birth_date_precision, "birth_place": p.birth_place,
        "nationalities": [c.code for c in p.nationalities], "service_number": p.service_number,
        "rank": p.rank, "unit": p.unit, "capture_date": p.capture_date and p.capture_date.isoformat(),
        "capture_place": p.capture_place, "capturing_unit": p.capturing_unit,
        "health_status": p.health_status, "art110_category": p.art110_category or None,
        "wounds": p.wounds, "internment_place": p.internment_place,
        "internment_place_kind": p.internment_place_kind, "place": p.place_id,
        "languages": p.languages, "next_of_kin": p.next_of_kin, "version": p.version,
        "created_at": p.created_at.isoformat(), "updated_at": p.updated_at.isoformat(),
    }  # fmt: skip


def api_person_list(request):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "log in"}, status=401)
    size = min(200, int(request.GET.get("page_size", 50)))
    rows = list(_search(request.user, request.GET.get("q", ""))[: size + 1])
    return JsonResponse(
        {"next": None, "previous": None, "results": [_person(p) for p in rows[:size]]}
    )


urlpatterns = [
    path("", person_list),
    path("persons/", person_list),
    path("persons/<str:registry_number>/", person_detail),
    path("api/v1/persons/", api_person_list),
]
