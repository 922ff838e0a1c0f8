"""The governance app's panels on the pages of lower apps (core.panels): a working group's
meetings, and the user's meetings and bodies to convene in "Mon espace"; and who is a person
of a cooperation for the directory (mandates, attendance)."""

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from maillage.accounts.selectors import memberships_of
from maillage.cooperations import permissions as cooperation_permissions
from maillage.core.enums import Role
from maillage.core.figures import cached_for_user
from maillage.core.panels import panel
from maillage.directory.permissions import can_manage_directory, people_through
from maillage.governance import selectors
from maillage.governance.models import Attendance, BodyMember

# The people of a cooperation for the directory's contact details: its mandates and attendance.
people_through(BodyMember.objects.all(), "body__cooperation", "person")
people_through(Attendance.objects.all(), "meeting__cooperation", "person")


@panel("cooperations.working_group")
def working_group_meetings(request, group) -> str:
    cooperation = group.cooperation
    return render_to_string(
        "governance/includes/working_group_meetings.html",
        {
            "cooperation": cooperation,
            "group": group,
            "meetings": selectors.meeting_list(request.user, cooperation).filter(
                working_group=group
            ),
            "can_organise": cooperation_permissions.can_edit(request.user, cooperation),
        },
        request,
    )


@panel("accounts.profile")
def my_meetings(request, user) -> str:
    """The user's next meetings and the bodies they should convene; kept in the cache until
    the data changes or the first of these meetings ends (core.figures)."""

    def render() -> tuple[str, dt.datetime | None]:
        coordinated = [m.cooperation_id for m in memberships_of(user) if m.role == Role.COORDINATOR]
        meetings = list(selectors.meetings_of_user(user).filter(end__gte=timezone.now())[:10])
        html = render_to_string(
            "governance/includes/my_meetings.html",
            {"meetings": meetings, "bodies_at_risk": selectors.bodies_at_risk(coordinated)},
            request,
        )
        return html, min((meeting.end for meeting in meetings), default=None)

    html, _until = cached_for_user("my-meetings", user, render, valid_until=lambda kept: kept[1])
    return html


EVENTS_SHOWN = 10


@panel("directory.organisation")
def organisation_events(request, organisation) -> str:
    """The public events an organisation organises (a resource centre's sessions), coming
    then past; for those who keep the directory, the way to announce one."""
    can_create = can_manage_directory(request.user)
    coming = list(selectors.organisation_events(organisation, upcoming=True)[:EVENTS_SHOWN])
    past = list(selectors.organisation_events(organisation, upcoming=False)[:EVENTS_SHOWN])
    if not (coming or past or can_create):
        return ""
    return render_to_string(
        "governance/includes/organisation_events.html",
        {"organisation": organisation, "coming": coming, "past": past, "can_create": can_create},
        request,
    )
