"""The user's own API tokens page (a web page of the API app): create one, revoke one."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from safepassage.accounts.reauth import last_authenticated_at, reauthentication_ensure
from safepassage.api import selectors, services
from safepassage.api.forms import ApiTokenForm
from safepassage.lib.errors import DomainError
from safepassage.web.shortcuts import form_methods


@sensitive_post_parameters()
@form_methods
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: create one (its secret is shown on this answer only), revoke."""
    user = request.user
    form = ApiTokenForm(None)
    created = None
    if request.method == "POST" and "revoke" in request.POST:
        pk = request.POST.get("revoke", "").strip()
        if not (pk.isdigit() and len(pk) <= 18):
            raise Http404
        token = get_object_or_404(selectors.api_token_list(user=user), pk=int(pk))
        services.api_token_revoke(token=token, actor=user)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("tokens:api_tokens")
    if request.method == "POST":
        # A stolen session must not mint a long-lived credential: confirm it is him first.
        reauthentication_ensure(request)
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                token, secret = services.api_token_create(
                    user=user,
                    actor=user,
                    authenticated_at=last_authenticated_at(request),
                    **form.cleaned_data,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                # Rendered, not redirected: the secret must not pass through the session.
                created = {"token": token, "secret": secret}
                form = ApiTokenForm(None)
    response = render(
        request,
        "api/api_tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": selectors.api_token_list(user=user),
            "now": timezone.now(),
        },
    )
    if created:
        response["Cache-Control"] = "no-store"
    return response
