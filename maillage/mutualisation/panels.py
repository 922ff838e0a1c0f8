"""The mutualisation app's panels: a cooperation's conventions on its page, and in "Mon espace"
the parties one is the finance contact of (who may be no member of the cooperation: this is
their way in)."""

from django.template.loader import render_to_string

from maillage.cooperations import permissions as cooperation_permissions
from maillage.core.figures import cached_for_user
from maillage.core.panels import panel
from maillage.mutualisation import selectors


@panel("cooperations.cooperation")
def cooperation_conventions(request, cooperation) -> str:
    conventions = list(selectors.conventions_of(cooperation, request.user))
    can_edit = cooperation_permissions.can_edit(request.user, cooperation)
    if not conventions and not can_edit:
        return ""
    return render_to_string(
        "mutualisation/includes/cooperation_conventions.html",
        {"cooperation": cooperation, "conventions": conventions, "can_edit": can_edit},
        request,
    )


@panel("accounts.profile")
def my_parties(request, user) -> str:
    def render() -> str:
        parties = list(selectors.parties_answered_by(user)[:20])
        if not parties:
            return ""
        return render_to_string(
            "mutualisation/includes/my_parties.html", {"parties": parties}, request
        )

    return cached_for_user("my-parties", user, render)
