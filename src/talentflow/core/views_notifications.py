"""The user's in-app notifications: the list (newest first) and marking them read."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from talentflow.core.models import Notification
from talentflow.core.notifications import notifications_mark_read
from talentflow.core.notifications import render as render_notification


def _own_notifications(user):
    # A notification belongs to its recipient alone; nobody else, not even an administrator,
    # reads another person's list.
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def _safe_url(request: HttpRequest, url: str) -> str:
    """The notification's link if it stays on this site (services store paths), else ""."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = _own_notifications(request.user)
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    page_obj = Paginator(qs, settings.TALENTFLOW_PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        {
            "notification": n,
            "text": render_notification(n),
            "url": _safe_url(request, n.url),
            "unread": n.read_at is None,
        }
        for n in page_obj.object_list
    ]
    context = {
        "nav_active": "notifications",
        "page_obj": page_obj,
        "items": items,
        "unread_only": bool(request.GET.get("unread")),
        "unread_count": _own_notifications(request.user).filter(read_at__isnull=True).count(),
    }
    return render(request, "core/notifications.html", context)


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id``) or all of them (``all``) read, then go back."""
    raw = request.POST.get("id", "")
    if request.POST.get("all"):
        notifications_mark_read(user=request.user)
    elif raw.isdigit():
        # Only the user's own rows match: another person's id changes nothing.
        notifications_mark_read(user=request.user, ids=[int(raw)])
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:notifications")
    return redirect(target)
