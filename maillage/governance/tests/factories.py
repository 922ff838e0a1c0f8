"""Meetings for tests, through the service as the pages create them."""

from datetime import timedelta

from django.utils import timezone

from maillage.governance import services


def meeting_in(cooperation, *, days: int, hours: int = 1, **fields):
    """A meeting starting `days` from now (negative: held already), through meeting_create."""
    start = timezone.now() + timedelta(days=days)
    fields.setdefault("title", f"Réunion J{days:+d}")
    return services.meeting_create(
        actor=None,
        cooperation=cooperation,
        start=start,
        end=start + timedelta(hours=hours),
        **fields,
    )
