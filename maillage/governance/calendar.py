"""iCalendar files of meetings (RFC 5545), with times in Europe/Paris."""

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from maillage.governance.models import Meeting

PARIS = ZoneInfo("Europe/Paris")


def calendar_for(meetings: Iterable[Meeting], *, name: str, site_url: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Maillage//Réunions//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    base = (site_url or settings.SITE_URL).rstrip("/")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@maillage")
        event.add("summary", meeting.title)
        event.add("dtstart", timezone.localtime(meeting.start, PARIS))
        event.add("dtend", timezone.localtime(meeting.end, PARIS))
        event.add("dtstamp", meeting.updated_at)
        if meeting.place:
            event.add("location", meeting.place)
        description = meeting.description
        if meeting.video_url:
            description = f"{description}\n{meeting.video_url}".strip()
        if description:
            event.add("description", description)
        event.add("url", base + meeting.get_absolute_url())
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
