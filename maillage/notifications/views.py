from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillage.notifications import selectors, services
from maillage.notifications.forms import PreferencesForm
from maillage.notifications.models import Notification

PAGE_SIZE = 30


@login_required
def centre(request):
    """The user's notifications, the latest first; only the unread ones with `?non-lues=1`."""
    unread = request.GET.get("non-lues") == "1"
    notifications = selectors.notifications_of(request.user, unread=unread)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/centre.html", {"page_obj": page, "unread_only": unread})


@login_required
@require_POST
def open_notification(request, pk: int):
    """Read now, and go where it points (a path of the site; the centre otherwise)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(user=request.user, notification=notification)
    url = notification.url
    on_site = url.startswith("/") and not url.startswith("//")
    return redirect(url if on_site else "notifications:centre")


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s notification marquée comme lue.",
            "%(count)s notifications marquées comme lues.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:centre")


@login_required
def preferences(request):
    """When each kind of notification is e-mailed: immediately, in a daily digest, or never."""
    form = PreferencesForm(request.POST or None, rows=selectors.preference_rows(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, frequencies=form.cleaned_data)
        messages.success(request, _("Préférences enregistrées."))
        return redirect("notifications:preferences")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Mes notifications par e-mail"),
            "back": reverse("notifications:centre"),
        },
    )
