"""Who may do what with bodies and meetings: readers of the cooperation read them (with their
own visibility); coordinators organise; registering is open to members, and to visitors when
the meeting says so."""

from django.http import Http404

from maillage.accounts.selectors import role_in
from maillage.cooperations import permissions as cooperation_permissions
from maillage.core.enums import Visibility
from maillage.core.permissions import can_read
from maillage.directory.permissions import can_manage_directory
from maillage.governance.enums import MinutesStatus
from maillage.governance.models import Body, Meeting, Minutes


def can_view(user, obj: Body | Meeting) -> bool:
    if obj.cooperation is None:  # an organisation's event: public (Meeting.clean)
        return obj.visibility == Visibility.PUBLIC
    return cooperation_permissions.can_view(user, obj.cooperation) and can_read(
        user, visibility=obj.visibility, role=role_in(user, obj.cooperation.pk)
    )


def can_organise(user, cooperation) -> bool:
    return cooperation_permissions.can_edit(user, cooperation)


def can_organise_meeting(user, meeting: Meeting) -> bool:
    """A cooperation's meeting: its coordinators (and the staff); an organisation's event:
    those who keep the directory (as for an organisation's resources)."""
    if meeting.cooperation is None:
        return can_manage_directory(user)
    return can_organise(user, meeting.cooperation)


def can_register(user, meeting: Meeting) -> bool:
    if meeting.open_registration:
        return True
    if meeting.cooperation is None:
        return False
    return cooperation_permissions.is_member(user, meeting.cooperation)


def get_meeting_for_user(user, pk: int) -> Meeting:
    meetings = Meeting.objects.select_related("cooperation", "organiser", "body", "working_group")
    meeting = meetings.filter(pk=pk).first()
    if meeting is None or not can_view(user, meeting):
        raise Http404
    return meeting


def get_body_for_user(user, pk: int) -> Body:
    body = Body.objects.select_related("cooperation").filter(pk=pk).first()
    if body is None or not can_view(user, body):
        raise Http404
    return body


def can_read_minutes(user, minutes: Minutes) -> bool:
    """Published minutes, with their own visibility; drafts are the organisers'."""
    if can_organise_meeting(user, minutes.meeting):
        return True
    return (
        minutes.status == MinutesStatus.PUBLISHED
        and can_view(user, minutes.meeting)
        and can_read(
            user,
            visibility=minutes.visibility,
            role=role_in(user, minutes.meeting.cooperation_id or 0),
        )
    )
