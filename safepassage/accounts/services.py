"""Organisations and their users: created, given roles, disabled, their second factors reset.

The console (`safepassage org|user`), the demo data and the administrators' members pages
call these. `actor=None` is the console operator; an administrator acting through the pages
manages the accounts of his own organisation only, never disables himself, and never leaves
his organisation without an active administrator.
"""

import secrets

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_countries import countries

from safepassage.accounts.models import Organisation, OrganisationKind, Role, RoleAssignment, User
from safepassage.accounts.signals import second_factors_reset, user_disabled
from safepassage.audit.services import MASK, audit_record
from safepassage.lib.countries import country_code_of
from safepassage.lib.errors import ConflictError, DomainError, NotAllowed


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
            % {"role": unknown[0], "roles": ", ".join(Role.values)},
            field="roles",
        )
    if not values:
        raise DomainError(_("Give at least one role."), field="roles")
    return list(dict.fromkeys(values))


def _validated_username(username: str) -> str:
    username = username.strip()
    if not username:
        raise DomainError(_("Give a username."), field="username")
    try:
        User._meta.get_field("username").run_validators(username)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="username") from exc
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("A user named “%(name)s” already exists.") % {"name": username}, field="username"
        )
    return username


def _language(value: str) -> str:
    if value and value not in dict(settings.LANGUAGES):
        raise DomainError(
            _("Unknown language “%(value)s”. Choose one of: %(codes)s.")
            % {"value": value, "codes": ", ".join(code for code, _name in settings.LANGUAGES)},
            field="language",
        )
    return value


def user_create(
    *,
    username: str,
    organisation: str,
    roles: list[str],
    password: str | None = None,
    language: str = "",
    actor=None,
) -> User:
    """Create a user of `organisation` with `roles`; no password means an unusable one."""
    username = _validated_username(username)
    org = organisation_by_name(organisation)
    roles = _roles(roles)
    language = _language(language)
    user = User(username=username, organisation=org, language=language)
    if password is None:
        user.set_unusable_password()
    else:
        if not password:
            raise DomainError(_("The password is empty."))
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password") from exc
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
                **({"language": [None, language]} if language else {}),
            },
        )
    return user


# Letters and digits nobody confuses when reading them out (no 0/o, 1/l/i).
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - an alphabet, no password


def initial_password() -> str:
    """A new account's first password: four groups of five characters (about 99 bits)."""
    groups = ("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(5)) for _ in range(4))
    return "-".join(groups)


def member_add(*, actor, username: str, roles: list[str], language: str = "") -> tuple[User, str]:
    """An administrator's new member of his own organisation; returns him and his initial
    password, to be shown once. At his first login he enrols a second factor."""
    if actor is None or actor.organisation_id is None:
        raise NotAllowed(_("Only an administrator of an organisation adds its members."))
    password = initial_password()
    user = user_create(
        username=username,
        organisation=actor.organisation.name,
        roles=roles,
        password=password,
        language=language,
        actor=actor,
    )
    return user, password


def user_by_username(username: str) -> User:
    user = User.objects.filter(username__iexact=(username or "").strip()).first()
    if user is None:
        raise DomainError(_("Unknown user “%(name)s”.") % {"name": username})
    return user


def _sessions_end(user: User) -> None:
    # Part of the session hash: every session of the user ends at its next request.
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])


def user_basis(user: User) -> str:
    """What a page showed of `user` when it offered a change: a change posted with another
    basis finds that someone else changed him meanwhile (`ConflictError`)."""
    roles = ",".join(sorted(user.role_assignments.values_list("role", flat=True)))
    state = "active" if user.is_active else "inactive"
    return f"{user.session_epoch}:{state}:{roles}"


def _locked_for_change(user: User, actor, expected_basis: str | None) -> User:
    """`user` locked for a change, after the checks every change of an account makes: an
    administrator changes only his own organisation's accounts, and only as he saw them.

    The organisation's row is locked first, so that two administrators' changes of its
    accounts (the last administrator's above all) run one after the other."""
    if actor is not None and (
        actor.organisation_id is None or actor.organisation_id != user.organisation_id
    ):
        raise NotAllowed(_("An administrator manages the accounts of his own organisation only."))
    if user.organisation_id is not None:
        Organisation.objects.select_for_update().filter(pk=user.organisation_id).first()
    user = User.objects.select_for_update().get(pk=user.pk)
    if expected_basis is not None and user_basis(user) != expected_basis:
        raise ConflictError(
            _(
                "Someone else changed the account “%(user)s” since this page was opened; nothing "
                "was changed. Look at the account as it is now and repeat the change if it is "
                "still needed."
            )
            % {"user": user.username}
        )
    return user


def _another_active_administrator(user: User) -> bool:
    return (
        User.objects.filter(
            organisation_id=user.organisation_id,
            is_active=True,
            role_assignments__role=Role.ADMINISTRATOR,
        )
        .exclude(pk=user.pk)
        .exists()
    )


def _last_administrator_refusal(user: User) -> DomainError:
    return DomainError(
        _(
            "“%(user)s” is the last active administrator of %(org)s: make another member an "
            "administrator first, or nobody could manage its accounts."
        )
        % {"user": user.username, "org": user.organisation.name},
        field="roles",
    )


def user_disable(*, user: User, actor=None, expected_basis: str | None = None) -> User:
    """Disable the account: it cannot log in, its sessions end at once, its API tokens are
    revoked. An administrator cannot disable himself nor his organisation's last one; the
    console operator can (containing an incident must not wait for a second administrator)."""
    return _active_set(user, False, actor, expected_basis)


def user_enable(*, user: User, actor=None, expected_basis: str | None = None) -> User:
    """Enable a disabled account again (it logs in afresh; old sessions and tokens stay ended)."""
    return _active_set(user, True, actor, expected_basis)


def _active_set(user: User, active: bool, actor, expected_basis: str | None) -> User:
    """Set `is_active` under the row lock and audit the change; disabling ends his sessions
    and revokes his API tokens (`user_disabled`, in the same transaction)."""
    with transaction.atomic():
        user = _locked_for_change(user, actor, expected_basis)
        was_active = user.is_active
        if actor is not None and not active:
            if actor.pk == user.pk:
                raise DomainError(
                    _("You cannot deactivate your own account: another administrator can.")
                )
            if (
                was_active
                and user.has_role(Role.ADMINISTRATOR)
                and not _another_active_administrator(user)
            ):
                raise _last_administrator_refusal(user)
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        if not active:
            _sessions_end(user)
        action = "user.enable" if active else "user.disable"
        audit_record(
            actor=actor, action=action, obj=user, changes={"is_active": [was_active, active]}
        )
        if not active:
            user_disabled.send(sender=User, user=user, actor=actor)
    return user


def user_roles_set(
    *, user: User, roles: list[str], actor=None, expected_basis: str | None = None
) -> User:
    """Replace the user's roles; his existing sessions end, so new rights start from a login.
    An administrator cannot take the role from his organisation's last active one."""
    roles = _roles(roles)
    with transaction.atomic():
        user = _locked_for_change(user, actor, expected_basis)
        before = sorted(user.role_assignments.values_list("role", flat=True))
        if (
            actor is not None
            and Role.ADMINISTRATOR in before
            and Role.ADMINISTRATOR not in roles
            and user.is_active
            and not _another_active_administrator(user)
        ):
            raise _last_administrator_refusal(user)
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


def user_second_factors_reset(
    *, user: User, actor=None, expected_basis: str | None = None
) -> list[str]:
    """Remove every second factor of `user` (authenticator app, security keys, recovery codes)
    so that he enrols a new one at his next login; his sessions end and his API tokens are
    revoked. Returns the kinds removed. His own factors a user manages under Sign-in security."""
    with transaction.atomic():
        user = _locked_for_change(user, actor, expected_basis)
        if actor is not None and actor.pk == user.pk:
            raise DomainError(
                _("Manage your own second factors under Sign-in security, not on this page.")
            )
        factors = Authenticator.objects.filter(user=user)
        kinds = sorted(factors.values_list("type", flat=True))
        if not kinds:
            raise DomainError(
                _("“%(user)s” has no second factor to reset: he enrols one at his next login.")
                % {"user": user.username}
            )
        factors.delete()
        _sessions_end(user)
        audit_record(
            actor=actor,
            action="user.second_factors_reset",
            obj=user,
            changes={"second_factors": [kinds, []]},
        )
        second_factors_reset.send(sender=User, user=user, actor=actor)
    return kinds


def user_language_set(*, user: User, language: str, actor=None) -> User:
    """Keep the interface language `user` chose ("" = his browser's, else English)."""
    language = _language(language)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = user.language
        if before != language:
            User.objects.filter(pk=user.pk).update(language=language)
            user.language = language
            changes = {"language": [before, language]}
            audit_record(actor=actor, action="user.language", obj=user, changes=changes)
    return user
