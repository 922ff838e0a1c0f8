from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillage.accounts import selectors, services
from maillage.accounts.forms import ApiTokenForm
from maillage.accounts.models import ApiToken
from maillage.core.panels import render_panels
from maillage.core.views import add_service_errors


@login_required
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "panels": render_panels("accounts.profile", request, request.user),
        },
    )


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_token = services.api_token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le jeton « %(name)s » est créé.") % {"name": token.name})
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": selectors.api_tokens_of(request.user), "new_token": new_token},
    )


@login_required
def api_token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if request.method == "POST":
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
        return redirect("accounts:api_tokens")
    return render(request, "accounts/api_token_revoke.html", {"token": token})
