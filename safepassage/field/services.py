"""Field work at the centre: issuing a visit package, receiving its return bundle, resolving
the review queue's conflicts (docs/field.md). Each write is audited.

A bundle is received all or nothing, inside one transaction: its will expressions go through
`cases.services.will_expression_record` as the team member who recorded each (so the policy,
the will checks and the guard decide as for the web form), in the order he spoke.
"""

import contextlib
import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, can_on_visit
from safepassage.accounts.models import User
from safepassage.audit.services import audit_record
from safepassage.cases.services import will_expression_record
from safepassage.field.content import compared_values, package_content
from safepassage.field.models import ConflictResolution, FieldConflict, FieldPackage, ReceivedBundle
from safepassage.lib.errors import DomainError
from safepassage.lib.fieldpack import (
    FieldFormatError,
    ServerKeys,
    bundle_header,
    bundle_open,
    package_write,
)
from safepassage.lib.keyfile import key_file_write
from safepassage.registry.models import Person
from safepassage.visits.models import Visit
from safepassage.visits.services import WillInput, interview_record


def server_keys() -> ServerKeys:
    """The centre's field keys, created once (mode 0600) where FIELD_SERVER_KEY_FILE says."""
    path = Path(settings.FIELD_SERVER_KEY_FILE)
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process made it first
            key_file_write(path, ServerKeys.generate().to_text().encode("ascii"))
    return ServerKeys.from_text(path.read_text(encoding="ascii"))


def visit_package_create(*, actor, visit: Visit, passphrase: str) -> tuple[bytes, FieldPackage]:
    """A signed package of `visit` for its team, sealed under the team passphrase."""
    if not can_on_visit(actor, Action.VISIT_PLAN, visit):
        raise PermissionDenied
    if not visit.team.filter(user__isnull=False).exists():
        raise DomainError(_("The visit has no team member with an account: name the team first."))
    content = package_content(visit)
    with transaction.atomic():
        data, package_id, public = package_write(
            server=server_keys(),
            passphrase=passphrase,
            visit_id=visit.pk,
            created_at=timezone.now().isoformat(),
            content=content,
        )
        persons = {
            str(p.pk): [p.version, compared_values(p)]
            for p in Person.objects.filter(pk__in=[row["id"] for row in content["persons"]])
        }
        package = FieldPackage.objects.create(
            package_id=package_id,
            visit=visit,
            public_key=public.hex(),
            persons=persons,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="field.package",
            obj=visit,
            changes={"package": [None, package_id], "persons": [None, len(persons)]},
        )
    return data, package


class BundleRefused(DomainError):
    """A return bundle that is not written: why, in one line."""


def _refuse(message: str) -> BundleRefused:
    return BundleRefused(
        _("Return bundle refused: %(why)s. Nothing was written.") % {"why": message}
    )


def _package_of(data: bytes) -> tuple[dict, FieldPackage]:
    try:
        header = bundle_header(data)
    except FieldFormatError as exc:
        raise _refuse(str(exc)) from exc
    try:
        package_id = uuid.UUID(header["package_id"])
    except ValueError:
        raise _refuse(_("its package id is malformed")) from None
    package = FieldPackage.objects.select_related("visit").filter(package_id=package_id).first()
    if package is None:
        raise _refuse(
            _("it names package %(id)s, which this server did not issue") % {"id": package_id}
        )
    if header["visit_id"] != package.visit_id:
        raise _refuse(
            _("it names visit %(named)s, but package %(id)s was made for visit %(visit)s")
            % {"named": header["visit_id"], "id": package_id, "visit": package.visit_id}
        )
    return header, package


def _will_of(row: dict, person: Person, recorder: User):
    try:
        return will_expression_record(
            actor=recorder,
            person=person,
            expressed_on=datetime.date.fromisoformat(row["expressed_on"]),
            source=row["source"],
            setting=row["setting"],
            wish=row["wish"],
            certainty=int(row["certainty"]),
            destinations_preferred=row["destinations_preferred"],
            destinations_refused=row["destinations_refused"],
            statement=row["statement"],
            present=row["present"],
            present_party=bool(row.get("present_party")),
            interpreter=row["interpreter"],
            interpreter_affiliation=row["interpreter_affiliation"],
            language=row["language"],
        )
    except (DomainError, PermissionDenied) as exc:
        reason = str(exc) or _("his organisation or role may not record it")
        raise _refuse(
            _("the will expression of %(number)s recorded by %(user)s is refused: %(reason)s")
            % {"number": person.registry_number, "user": recorder.username, "reason": reason}
        ) from exc


def _interview_of(visit: Visit, row: dict, person: Person, recorder: User, will: dict | None):
    """The interview as the visit's own service records it, with the will he gave in it."""
    try:
        return interview_record(
            actor=recorder, visit=visit, person=person, outcome=row["outcome"],
            held_on=datetime.date.fromisoformat(row["held_on"]), setting=row["setting"],
            present=row["present"], present_party=bool(row["present_party"]),
            interpreter=row["interpreter"], interpreter_affiliation=row["interpreter_affiliation"],
            language=row["language"],
            will=WillInput(
                wish=will["wish"], certainty=int(will["certainty"]),
                destinations_preferred=will["destinations_preferred"],
                destinations_refused=will["destinations_refused"], statement=will["statement"],
            ) if will is not None else None,
        )  # fmt: skip
    except (DomainError, PermissionDenied) as exc:
        reason = str(exc) or _("his organisation or role may not record it")
        raise _refuse(
            _("the interview of %(number)s recorded by %(user)s is refused: %(reason)s")
            % {"number": person.registry_number, "user": recorder.username, "reason": reason}
        ) from exc


def visit_bundle_receive(
    *, actor, data: bytes, expected_visit: int | None = None
) -> tuple[ReceivedBundle, bool]:
    """Verify and write a return bundle; (the bundle's record, whether it was new). Raises
    `BundleRefused` naming what is wrong, with nothing written. With `expected_visit`, a
    bundle of any other visit is refused."""
    header, package = _package_of(data)
    if expected_visit is not None and package.visit_id != expected_visit:
        raise _refuse(
            _("it is the bundle of visit %(visit)s, not of visit %(expected)s")
            % {"visit": package.visit_id, "expected": expected_visit}
        )
    if not can_on_visit(actor, Action.VISIT_PLAN, package.visit):
        raise PermissionDenied
    try:
        content = bundle_open(
            data, package_public=bytes.fromhex(package.public_key), server=server_keys()
        )
    except FieldFormatError as exc:
        raise _refuse(str(exc)) from exc
    if (
        content.get("package_id") != header["package_id"]
        or content.get("visit_id") != header["visit_id"]
    ):
        raise _refuse(_("its sealed content names another package or visit than its header"))
    bundle_id = uuid.UUID(header["bundle_id"])
    done = ReceivedBundle.objects.filter(bundle_id=bundle_id).first()
    if done is not None:
        return done, False
    packaged = package.persons
    team = {
        u.username: u
        for u in User.objects.filter(pk__in=package.visit.team.exclude(user=None).values("user"))
    }
    try:
        with transaction.atomic():
            received = ReceivedBundle.objects.create(
                bundle_id=bundle_id, package=package, received_by=actor
            )
            persons = {
                p.registry_number: p
                for p in Person.objects.filter(pk__in=[int(pk) for pk in packaged])
            }

            def person_of(number: str) -> Person:
                if number not in persons:
                    raise _refuse(
                        _("it names %(number)s, who is not on the visit's list")
                        % {"number": number}
                    )
                return persons[number]

            def recorder_of(username: str) -> User:
                if username not in team:
                    raise _refuse(
                        _("it names %(user)s, who is not in the visit's team") % {"user": username}
                    )
                return team[username]

            wills = 0
            interviews = {row["will"]: row for row in content["interviews"] if row["will"]}
            seen = set()
            for row in sorted(content["wills"], key=lambda r: (r["expressed_on"], r["local_id"])):
                person, recorder = person_of(row["person"]), recorder_of(row["recorded_by"])
                interview = interviews.get(row["local_id"])
                if interview is not None and row["person"] not in seen:
                    _interview_of(package.visit, interview, person, recorder, row)
                else:
                    _will_of(row, person, recorder)
                seen.add(row["person"])
                wills += 1
            for row in content["interviews"]:
                if row["person"] not in seen:
                    _interview_of(
                        package.visit, row, person_of(row["person"]),
                        recorder_of(row["recorded_by"]), None,
                    )  # fmt: skip
                    seen.add(row["person"])
            conflicts = 0
            for number, seen in content["seen"].items():
                person = person_of(number)
                version, values = packaged[str(person.pk)]
                if person.version == version:
                    continue
                FieldConflict.objects.create(
                    bundle=received,
                    visit=package.visit,
                    person=person,
                    packaged_version=version,
                    centre_version=person.version,
                    packaged_values=values,
                    centre_values=compared_values(person),
                    field_values=seen,
                )
                conflicts += 1
            received.wills = wills
            received.interviews = len(content["interviews"])
            received.conflicts = conflicts
            received.save(update_fields=["wills", "interviews", "conflicts"])
            audit_record(
                actor=actor,
                action="field.receive",
                obj=package.visit,
                changes={
                    "bundle": [None, str(bundle_id)],
                    "wills": [None, received.wills],
                    "interviews": [None, received.interviews],
                    "conflicts": [None, conflicts],
                },
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise _refuse(_("its content is malformed")) from exc
    except IntegrityError as exc:
        raise _refuse(
            _("it conflicts with what the centre holds (%(error)s)") % {"error": exc}
        ) from exc
    return received, True


def field_conflict_resolve(
    *, actor, conflict: FieldConflict, resolution: str, note: str
) -> FieldConflict:
    """A verifier's decision on a conflict, with his reason; the record itself is not changed."""
    if not can_on_visit(actor, Action.VISIT_PLAN, conflict.visit):
        raise PermissionDenied
    if resolution not in ConflictResolution.values:
        raise DomainError(_("Choose how the conflict is resolved."), field="resolution")
    if not note.strip():
        raise DomainError(_("Say why, for the record."), field="note")
    with transaction.atomic():
        conflict = FieldConflict.objects.select_for_update().get(pk=conflict.pk)
        if conflict.resolved_at is not None:
            raise DomainError(_("This conflict is already resolved."))
        conflict.resolution = resolution
        conflict.note = note.strip()
        conflict.resolved_by = actor
        conflict.resolved_at = timezone.now()
        conflict.save(update_fields=["resolution", "note", "resolved_by", "resolved_at"])
        audit_record(
            actor=actor,
            action="field.conflict.resolve",
            obj=conflict,
            person=conflict.person,
            changes={"resolution": [None, resolution], "note": [None, conflict.note]},
        )
    return conflict
