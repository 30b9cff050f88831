"""The notifications page, opening one and marking all read: thin over the services."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safepassage.notifications import selectors, services
from safepassage.notifications.models import Notification
from safepassage.web.shortcuts import page_of


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.notification_list(user=request.user))
    for notification in page.object_list:
        notification.queue_title = selectors.queue_title(notification)
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks it read and opens the person's page (which asks the policy again)."""
    try:
        notification = selectors.notification_for(user=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    services.notification_open(user=request.user, notification=notification)
    if notification.referral_id is not None:
        return redirect("referrals:referral_detail", notification.referral_id)
    return redirect("registry:person_detail", notification.person.registry_number)


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    if count:
        messages.success(request, _("All notifications marked read."))
    return redirect(reverse("notifications:list"))
