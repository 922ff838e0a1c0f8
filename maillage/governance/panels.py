"""The governance app's panels on the pages of lower apps (core.panels): a working group's
meetings, and the user's meetings and bodies to convene in "Mon espace"; and who is a person
of a cooperation for the directory (mandates, attendance)."""

from django.template.loader import render_to_string
from django.utils import timezone

from maillage.accounts.selectors import memberships_of
from maillage.cooperations import permissions as cooperation_permissions
from maillage.core.enums import Role
from maillage.core.panels import panel
from maillage.directory.permissions import people_of_cooperations
from maillage.governance import selectors
from maillage.governance.models import Attendance, BodyMember


@people_of_cooperations
def body_members(cooperations):
    """People holding a mandate on a body of the cooperations (the directory's contacts)."""
    mandates = BodyMember.objects.all()
    if cooperations is not None:
        mandates = mandates.filter(body__cooperation__in=cooperations)
    return mandates.values("person")


@people_of_cooperations
def attendees(cooperations):
    attendance = Attendance.objects.all()
    if cooperations is not None:
        attendance = attendance.filter(meeting__cooperation__in=cooperations)
    return attendance.values("person")


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
