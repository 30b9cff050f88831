"""The organisation's members pages, for its administrators: the list, a new member, one
member's roles, deactivation and second factors. Each change is an accounts service (audited);
only members of the administrator's own organisation are found (another's: 404)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepassage.access.policy import Action, can, require
from safepassage.accounts import selectors, services
from safepassage.accounts.forms import MemberAddForm, MemberChangeForm, MemberRolesForm
from safepassage.accounts.models import User
from safepassage.accounts.reauth import reauthentication_ensure
from safepassage.lib.errors import ConflictError, DomainError
from safepassage.web.shortcuts import form_methods, posted


@require_http_methods(["GET"])
def members(request: HttpRequest) -> HttpResponse:
    users = selectors.member_list(actor=request.user)
    may_manage = can(request.user, Action.MEMBERS_MANAGE)
    return render(request, "accounts/members.html", {"members": users, "may_manage": may_manage})


def _refused(form, error: DomainError) -> int:
    """Put the service's refusal on the form, at the field it names; the answer's status."""
    form.add_error(error.field if error.field in form.fields else None, str(error))
    return 409 if isinstance(error, ConflictError) else 200


@form_methods
def member_new(request: HttpRequest) -> HttpResponse:
    """A new member: shown his initial password once (rendered, never kept in the session)."""
    require(request.user, Action.MEMBERS_MANAGE)
    form = MemberAddForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            member, password = services.member_add(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            status = _refused(form, error)
        else:
            context = {"member": member, "password": password}
            response = render(request, "accounts/member_created.html", context)
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "accounts/member_new.html", {"form": form}, status=status)


@form_methods
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One member: his roles (a form), deactivate or reactivate him, reset his second factors
    (after the administrator confirms it is him)."""
    member = selectors.member_for(actor=request.user, pk=pk)
    basis = services.user_basis(member)
    roles_form = MemberRolesForm(initial={"roles": sorted(member.roles), "basis": basis})
    refusal = None
    status = 200
    change = request.POST.get("change") if request.method == "POST" else None
    if change == "roles":
        roles_form = MemberRolesForm(request.POST)
        if roles_form.is_valid():
            try:
                services.user_roles_set(
                    user=member,
                    roles=roles_form.cleaned_data["roles"],
                    actor=request.user,
                    expected_basis=roles_form.cleaned_data["basis"],
                )
            except DomainError as error:
                status = _refused(roles_form, error)
            else:
                messages.success(
                    request,
                    _("The roles of “%(user)s” are saved; his open sessions have ended.")
                    % {"user": member.username},
                )
                return redirect("accounts:member_detail", pk=member.pk)
    elif change in {"deactivate", "reactivate", "second_factors"}:
        if change == "second_factors":
            # Removing a member's factors opens his account to whoever holds his password:
            # a stolen administrator's session must not do it.
            reauthentication_ensure(request)
        form = MemberChangeForm(request.POST)
        if not form.is_valid():
            refusal = _("The page was incomplete; open it again and repeat the change.")
        else:
            try:
                message = _member_change(request.user, member, change, form.cleaned_data["basis"])
            except DomainError as error:
                refusal = str(error)
                status = 409 if isinstance(error, ConflictError) else 200
            else:
                messages.success(request, message)
                return redirect("accounts:member_detail", pk=member.pk)
    elif request.method == "POST":
        refusal = _("Choose one of the changes on this page.")
    context = {
        "member": member,
        "basis": basis,
        "roles_form": roles_form,
        "refusal": refusal,
        "second_factors": selectors.member_second_factors(user=member),
        "is_self": member.pk == request.user.pk,
    }
    return render(request, "accounts/member.html", context, status=status)


def _member_change(actor: User, member: User, change: str, basis: str) -> str:
    """Deactivate, reactivate or reset the second factors of `member`; the word for it."""
    words = {"user": member.username}
    if change == "deactivate":
        services.user_disable(user=member, actor=actor, expected_basis=basis)
        return (
            _("“%(user)s” is deactivated: his sessions have ended and his API tokens are revoked.")
            % words
        )
    if change == "reactivate":
        services.user_enable(user=member, actor=actor, expected_basis=basis)
        return _("“%(user)s” is active again; he logs in afresh.") % words
    services.user_second_factors_reset(user=member, actor=actor, expected_basis=basis)
    return (
        _(
            "The second factors of “%(user)s” are removed: he enrols a new one at his next "
            "login. His sessions have ended and his API tokens are revoked."
        )
        % words
    )
