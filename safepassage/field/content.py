"""What a visit package holds, built at the centre (`package_content`), and what the field
instance makes of it (`package_load`) and gives back (`bundle_content`).

Need-to-know: the visit, its place and team, the team's accounts, and for each man on the
visit's list his names in every script, languages, nationalities (the will form refuses his
country of origin with them), his case's state and the outcome of his governing will — never a
statement, who was present or another interview's words.
"""

import datetime

from safepassage.accounts.models import Organisation, RoleAssignment, User
from safepassage.cases.models import INTERVIEW_CIRCUMSTANCES, Case, WillExpression
from safepassage.registry.models import Person, PersonName, Place
from safepassage.registry.services import person_names_index, person_search_text
from safepassage.visits.models import Interview, PersonToSee, TeamMember, Visit

PERSON_FIELDS = ("sex", "internment_place", "internment_place_kind", "languages", "rank", "unit")
# What the centre compares when the team returns: a change to one of these since packaging is
# a conflict for the review queue.
COMPARED_FIELDS = ("internment_place", "internment_place_kind", "place_id", "languages", "rank")
WILL_OUTCOME_FIELDS = (
    "expressed_on",
    "source",
    "setting",
    "interpreter_affiliation",
    "language",
    "wish",
    "certainty",
    "verified",
)
BUNDLE_WILL_FIELDS = (
    "source",
    *INTERVIEW_CIRCUMSTANCES,
    "wish",
    "certainty",
    "statement",
)


def compared_values(person: Person) -> dict:
    return {name: getattr(person, name) for name in COMPARED_FIELDS}


def _organisation(org: Organisation) -> dict:
    return {"id": org.pk, "name": org.name, "kind": org.kind, "country": org.country.code}


def _place(place: Place) -> dict:
    return {
        "id": place.pk,
        "name": place.name,
        "kind": place.kind,
        "region": place.region,
        "detaining_organisation": place.detaining_organisation_id,
    }


def _will(will: WillExpression | None) -> dict | None:
    if will is None:
        return None
    values = {name: getattr(will, name) for name in WILL_OUTCOME_FIELDS}
    values["expressed_on"] = will.expressed_on.isoformat()
    values["destinations_preferred"] = [c.code for c in will.destinations_preferred]
    values["destinations_refused"] = [c.code for c in will.destinations_refused]
    return {"id": will.pk, **values}


def package_content(visit: Visit) -> dict:
    """The content of a package for `visit` (the caller has checked the actor may plan it)."""
    members = list(TeamMember.objects.filter(visit=visit).select_related("user__organisation"))
    users = [m.user for m in members if m.user_id is not None and m.user.is_active]
    organisations = {
        visit.organisation_id: visit.organisation,
        visit.place.detaining_organisation_id: visit.place.detaining_organisation,
    }
    persons = []
    rows = PersonToSee.objects.filter(visit=visit).select_related("person__case__governing_will")
    for row in rows:
        person = row.person
        organisations[person.detaining_organisation_id] = person.detaining_organisation
        if person.place is not None:
            organisations[person.place.detaining_organisation_id] = (
                person.place.detaining_organisation
            )
        case = getattr(person, "case", None)
        persons.append(
            {
                "id": person.pk,
                "registry_number": person.registry_number,
                "version": person.version,
                "detaining_organisation": person.detaining_organisation_id,
                "nationalities": [c.code for c in person.nationalities],
                "place": _place(person.place) if person.place else None,
                **{name: getattr(person, name) for name in PERSON_FIELDS},
                "names": [
                    {
                        "family_name": n.family_name,
                        "given_name": n.given_name,
                        "patronymic": n.patronymic,
                        "script": n.script,
                        "romanization": n.romanization,
                        "is_assumed_identity": n.is_assumed_identity,
                        "position": n.position,
                    }
                    for n in person.names.all()
                ],
                "reason": row.reason,
                "case_state": case.state if case else None,
                "governing_will": _will(case.governing_will if case else None),
            }
        )
    return {
        "organisations": [_organisation(o) for o in organisations.values()],
        "visit": {
            "id": visit.pk,
            "place": _place(visit.place),
            "organisation": visit.organisation_id,
            "starts_on": visit.starts_on.isoformat(),
            "ends_on": visit.ends_on.isoformat(),
            "state": visit.state,
            "planned_by": visit.planned_by.username,
        },
        "team": [
            {
                "user": m.user.username if m.user_id else None,
                "name": m.name,
                "role": m.role,
                "affiliation": m.affiliation,
            }
            for m in members
        ],
        "users": [
            {
                "id": u.pk,
                "username": u.username,
                "first_name": u.first_name,
                "last_name": u.last_name,
                "organisation": u.organisation_id,
                "roles": sorted(u.roles),
                "language": u.language,
            }
            for u in users
        ],
        "persons": persons,
    }


def package_load(content: dict, *, password: str) -> dict:
    """Write the package's content into the (empty, migrated) field database with the centre's
    ids; the team's accounts log in with `password` and need no second factor here. Returns
    what the instance must remember: which will expressions came with the package."""
    for org in content["organisations"]:
        Organisation.objects.create(
            id=org["id"], name=org["name"], kind=org["kind"], country=org["country"]
        )
    planner = None
    for data in content["users"]:
        user = User(
            id=data["id"],
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            organisation_id=data["organisation"],
            language=data["language"],
            mfa_required=False,
        )
        user.set_password(password)
        user.save()
        RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r) for r in data["roles"])
        planner = planner or user
    places = {}

    def place_of(data):
        if data is None:
            return None
        if data["id"] not in places:
            places[data["id"]] = Place.objects.create(
                id=data["id"],
                name=data["name"],
                kind=data["kind"],
                region=data["region"],
                detaining_organisation_id=data["detaining_organisation"],
            )
        return places[data["id"]]

    visit_data = content["visit"]
    visit = Visit.objects.create(
        id=visit_data["id"],
        place=place_of(visit_data["place"]),
        organisation_id=visit_data["organisation"],
        starts_on=datetime.date.fromisoformat(visit_data["starts_on"]),
        ends_on=datetime.date.fromisoformat(visit_data["ends_on"]),
        state=visit_data["state"],
        planned_by=planner,
    )
    for member in content["team"]:
        TeamMember.objects.create(
            visit=visit,
            user=User.objects.filter(username=member["user"]).first() if member["user"] else None,
            name=member["name"],
            role=member["role"],
            affiliation=member["affiliation"],
        )
    packaged_wills = []
    for data in content["persons"]:
        person = Person.objects.create(
            id=data["id"],
            registry_number=data["registry_number"],
            detaining_organisation_id=data["detaining_organisation"],
            nationalities=data["nationalities"],
            place=place_of(data["place"]),
            **{name: data[name] for name in PERSON_FIELDS},
        )
        names = [PersonName(person=person, **name) for name in data["names"]]
        PersonName.objects.bulk_create(names)
        Person.objects.filter(pk=person.pk).update(
            search_text=person_search_text(person, names), version=data["version"]
        )
        person_names_index(person=person)
        PersonToSee.objects.create(visit=visit, person=person, reason=data["reason"])
        case = Case.objects.create(person=person, state=data["case_state"] or "registered")
        will = data["governing_will"]
        if will is not None:
            copy = WillExpression.objects.create(
                id=will["id"],
                person=person,
                recorded_by=planner,
                organisation_id=visit_data["organisation"],
                expressed_on=datetime.date.fromisoformat(will["expressed_on"]),
                **{
                    name: will[name]
                    for name in WILL_OUTCOME_FIELDS
                    if name not in ("expressed_on", "verified")
                },
                destinations_preferred=will["destinations_preferred"],
                destinations_refused=will["destinations_refused"],
                verified=will["verified"],
            )
            case.governing_will = copy
            case.save(update_fields=["governing_will"])
            packaged_wills.append(copy.pk)
    return {"packaged_wills": packaged_wills}


def bundle_content(*, package_id: str, visit_id: int, packaged_wills: list[int]) -> dict:
    """What the team recorded: every will expression and interview made in the field, in the
    order he spoke, and who was seen where (for the centre's comparison)."""
    wills = (
        WillExpression.objects.exclude(pk__in=packaged_wills)
        .select_related("person", "recorded_by")
        .order_by("expressed_on", "recorded_at", "id")
    )
    visit = Visit.objects.select_related("place").get(pk=visit_id)
    will_rows = []
    seen = {}
    for will in wills:
        row = {name: getattr(will, name) for name in BUNDLE_WILL_FIELDS}
        row.update(
            local_id=will.pk,
            person=will.person.registry_number,
            recorded_by=will.recorded_by.username,
            expressed_on=will.expressed_on.isoformat(),
            destinations_preferred=[c.code for c in will.destinations_preferred],
            destinations_refused=[c.code for c in will.destinations_refused],
        )
        will_rows.append(row)
        seen[will.person.registry_number] = {"seen_on": row["expressed_on"]}
    interviews = []
    for interview in (
        Interview.objects.filter(visit_id=visit_id)
        .select_related("person", "recorded_by")
        .order_by("held_on", "id")
    ):
        interviews.append(
            {
                "person": interview.person.registry_number,
                "outcome": interview.outcome,
                "held_on": interview.held_on.isoformat(),
                "setting": interview.setting,
                "present": interview.present,
                "present_party": interview.present_party,
                "interpreter": interview.interpreter,
                "interpreter_affiliation": interview.interpreter_affiliation,
                "language": interview.language,
                "will": interview.will_expression_id,
                "recorded_by": interview.recorded_by.username,
            }
        )
        seen.setdefault(
            interview.person.registry_number, {"seen_on": interview.held_on.isoformat()}
        )
    # A will recorded on its own page is an interview of this visit too (one per man).
    interviewed = {row["person"] for row in interviews}
    for row in will_rows:
        if row["person"] in interviewed:
            continue
        interviewed.add(row["person"])
        interviews.append(
            {
                "person": row["person"],
                "outcome": "interviewed",
                "held_on": row["expressed_on"],
                "setting": row["setting"],
                "present": row["present"],
                "present_party": row["present_party"],
                "interpreter": row["interpreter"],
                "interpreter_affiliation": row["interpreter_affiliation"],
                "language": row["language"],
                "will": row["local_id"],
                "recorded_by": row["recorded_by"],
            }
        )
    for facts in seen.values():
        facts.update(place=visit.place.name, place_kind=visit.place.kind)
    return {
        "package_id": package_id,
        "visit_id": visit_id,
        "wills": will_rows,
        "interviews": interviews,
        "seen": seen,
    }
