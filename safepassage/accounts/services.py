"""Creating organisations and users (console administration and demo data)."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_countries import countries

from safepassage.accounts.models import Organisation, OrganisationKind, Role, RoleAssignment, User
from safepassage.audit.services import MASK, audit_record
from safepassage.lib.countries import country_code_of
from safepassage.lib.errors import DomainError


def country_code(value: str) -> str:
    """The ISO 3166-1 alpha-2 code `value` names, or a `DomainError` saying it is unknown."""
    code = country_code_of(value)
    if len(code) != 2 or countries.alpha2(code) != code:
        raise DomainError(
            _("Unknown country “%(value)s”: give a two-letter ISO 3166 code such as UA, CH or KR.")
            % {"value": value}
        )
    return code


def _organisation_kind(value: str) -> str:
    if value not in OrganisationKind.values:
        raise DomainError(
            _("Unknown organisation kind “%(value)s”. Choose one of: %(kinds)s.")
            % {"value": value, "kinds": ", ".join(OrganisationKind.values)}
        )
    return value


def organisation_create(*, name: str, kind: str, country: str, actor=None) -> Organisation:
    """Create an organisation; `actor=None` is the console operator, audited as "system"."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the organisation a name."))
    kind, country = _organisation_kind(kind), country_code(country)
    duplicate = _("An organisation named “%(name)s” already exists.") % {"name": name}
    if Organisation.objects.filter(name__iexact=name).exists():
        raise DomainError(duplicate)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(name=name, kind=kind, country=country)
            audit_record(
                actor=actor,
                action="organisation.create",
                obj=organisation,
                changes={"name": [None, name], "kind": [None, kind], "country": [None, country]},
            )
    except IntegrityError as exc:
        raise DomainError(duplicate) from exc
    return organisation


def organisation_by_name(name: str) -> Organisation:
    organisation = Organisation.objects.filter(name__iexact=name.strip()).first()
    if organisation is None:
        known = ", ".join(f"“{n}”" for n in Organisation.objects.values_list("name", flat=True))
        raise DomainError(
            _("Unknown organisation “%(name)s”. Known organisations: %(known)s.")
            % {"name": name, "known": known or _("none yet (safepassage org create)")}
        )
    return organisation


def _roles(values: list[str]) -> list[str]:
    unknown = [v for v in values if v not in Role.values]
    if unknown:
        raise DomainError(
            _("Unknown role “%(role)s”. Choose from: %(roles)s.")
            % {"role": unknown[0], "roles": ", ".join(Role.values)}
        )
    if not values:
        raise DomainError(_("Give at least one role."))
    return list(dict.fromkeys(values))


def _validated_username(username: str) -> str:
    username = username.strip()
    if not username:
        raise DomainError(_("Give a username."))
    try:
        User._meta.get_field("username").run_validators(username)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("A user named “%(name)s” already exists.") % {"name": username})
    return username


def user_create(
    *,
    username: str,
    organisation: str,
    roles: list[str],
    password: str | None = None,
    actor=None,
) -> User:
    """Create a user of `organisation` with `roles`; no password means an unusable one."""
    username = _validated_username(username)
    org = organisation_by_name(organisation)
    roles = _roles(roles)
    user = User(username=username, organisation=org)
    if password is None:
        user.set_unusable_password()
    else:
        if not password:
            raise DomainError(_("The password is empty."))
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages)) from exc
        user.set_password(password)
    with transaction.atomic():
        user.save()
        RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r) for r in roles)
        audit_record(
            actor=actor,
            action="user.create",
            obj=user,
            changes={
                "username": [None, username],
                "organisation": [None, str(org.pk)],
                "roles": [None, roles],
                "password": [None, MASK if password else None],
            },
        )
    return user


def user_by_username(username: str) -> User:
    user = User.objects.filter(username__iexact=(username or "").strip()).first()
    if user is None:
        raise DomainError(_("Unknown user “%(name)s”.") % {"name": username})
    return user


def _sessions_end(user: User) -> None:
    # Part of the session hash: every session of the user ends at its next request.
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])


def user_disable(*, user: User, actor=None) -> User:
    """Disable the account: it cannot log in, its sessions end at once, its API tokens stop."""
    return _active_set(user, False, actor)


def user_enable(*, user: User, actor=None) -> User:
    """Enable a disabled account again (it logs in afresh; old sessions stay ended)."""
    return _active_set(user, True, actor)


def _active_set(user: User, active: bool, actor) -> User:
    """Set `is_active` under the row lock and audit the change; disabling ends his sessions."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        was_active = user.is_active
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        if not active:
            _sessions_end(user)
        action = "user.enable" if active else "user.disable"
        audit_record(
            actor=actor, action=action, obj=user, changes={"is_active": [was_active, active]}
        )
    return user


def user_roles_set(*, user: User, roles: list[str], actor=None) -> User:
    """Replace the user's roles; his existing sessions end, so new rights start from a login."""
    roles = _roles(roles)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = sorted(user.role_assignments.values_list("role", flat=True))
        user.role_assignments.exclude(role__in=roles).delete()
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=user, role=r) for r in roles if r not in before
        )
        _sessions_end(user)
        user._roles_cache = None
        audit_record(
            actor=actor, action="user.roles", obj=user, changes={"roles": [before, sorted(roles)]}
        )
    return user


def user_language_set(*, user: User, language: str, actor=None) -> User:
    """Keep the interface language `user` chose ("" = his browser's, else English)."""
    if language and language not in dict(settings.LANGUAGES):
        raise DomainError(
            _("Unknown language “%(value)s”. Choose one of: %(codes)s.")
            % {"value": language, "codes": ", ".join(code for code, _name in settings.LANGUAGES)}
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = user.language
        if before != language:
            User.objects.filter(pk=user.pk).update(language=language)
            user.language = language
            changes = {"language": [before, language]}
            audit_record(actor=actor, action="user.language", obj=user, changes=changes)
    return user
