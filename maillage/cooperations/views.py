from django.shortcuts import render

from maillage.accounts.selectors import role_in
from maillage.cooperations import permissions
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core.views import history_page


def detail(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    return render(
        request,
        "cooperations/detail.html",
        {
            "cooperation": cooperation,
            "role": role_in(request.user, cooperation.pk),
            "can_view_history": permissions.can_view_history(request.user, cooperation),
        },
    )


def history(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    return history_page(
        request, cooperation, allowed=permissions.can_view_history(request.user, cooperation)
    )
