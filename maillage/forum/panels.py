"""The forum's panels: a cooperation's spaces on its page (and, for its coordinators, the way
to open one), a working group's on the group's page."""

from django.template.loader import render_to_string

from maillage.core.panels import panel
from maillage.forum import permissions, selectors


@panel("cooperations.cooperation")
def cooperation_spaces(request, cooperation) -> str:
    spaces = list(selectors.space_list(request.user, cooperation=cooperation))
    can_create = permissions.can_manage_spaces(request.user, cooperation)
    if not spaces and not can_create:
        return ""
    return render_to_string(
        "forum/includes/cooperation_spaces.html",
        {"cooperation": cooperation, "spaces": spaces, "can_create": can_create},
        request,
    )


@panel("cooperations.working_group")
def working_group_spaces(request, group) -> str:
    spaces = list(
        selectors.space_list(request.user, cooperation=group.cooperation).filter(
            working_group=group
        )
    )
    if not spaces:
        return ""
    return render_to_string(
        "forum/includes/cooperation_spaces.html",
        {"cooperation": group.cooperation, "spaces": spaces, "can_create": False},
        request,
    )
