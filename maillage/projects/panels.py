"""The projects app's panels on the pages of lower apps (core.panels): the projects a reader
may see on a territory, an organisation and a strategy node, the user's own in "Mon espace";
and what the deletion of a cooperation takes with it."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from maillage.core.figures import cached_for_user
from maillage.core.panels import panel
from maillage.projects.selectors import related_projects

LIMIT = 100


@panel("territories.territory")
def territory_projects(request, territory) -> str:
    return render_to_string(
        "projects/includes/related.html",
        {"projects": related_projects(request.user, territories=territory)[:LIMIT]}
        | {"show_cooperation": True},
        request,
    )


@panel("directory.organisation")
def organisation_projects(request, organisation) -> str:
    return render_to_string(
        "projects/includes/organisation.html",
        {
            "owned_projects": related_projects(request.user, owner=organisation)[:LIMIT],
            "funded_projects": related_projects(request.user, financing__funder=organisation)[
                :LIMIT
            ],
        },
        request,
    )


@panel("accounts.profile")
def my_projects(request, user) -> str:
    """The projects the user is the contact of (what a project contact's role is for); none:
    no panel."""

    def render() -> str:
        projects = related_projects(user, contacts=user)[:LIMIT]
        if not projects:
            return ""
        return render_to_string(
            "projects/includes/related.html",
            {"projects": projects, "show_cooperation": True, "heading": _("Mes projets")},
            request,
        )

    return cached_for_user("my-projects", user, render)


@panel("cooperations.strategy_node")
def strategy_node_projects(request, node) -> str:
    return render_to_string(
        "projects/includes/related.html",
        {"projects": related_projects(request.user, strategy_nodes=node)}
        | {"show_cooperation": False},
        request,
    )
