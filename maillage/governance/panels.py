"""The governance app's panels on the pages of lower apps (core.panels): a working group's
meetings, and the user's meetings and bodies to convene in "Mon espace"; and who is a person
of a cooperation for the directory (mandates, attendance)."""

from django.template.loader import render_to_string
from django.utils import timezone

from maillage.accounts.selectors import memberships_of
from maillage.cooperations import permissions as cooperation_permissions
from maillage.core.enums import Role
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
    coordinated = [m.cooperation_id for m in memberships_of(user) if m.role == Role.COORDINATOR]
    return render_to_string(
        "governance/includes/my_meetings.html",
        {
            "meetings": selectors.meetings_of_user(user).filter(end__gte=timezone.now())[:10],
            "bodies_at_risk": selectors.bodies_at_risk(coordinated),
        },
        request,
    )


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
