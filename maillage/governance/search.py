"""What governance puts in the search (core.search): meetings and decisions, read by its
own rule (a decision is read by whoever may read its body)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.models import Cooperation
from maillage.core.search import Indexed, SearchSource, register
from maillage.governance.models import Body, Decision, Meeting
from maillage.governance.selectors import meetings_visible_to, readable_anywhere


def _readable(model, user):
    cooperations = Cooperation.objects.visible_to(user).values("pk")
    return model.objects.filter(cooperation__in=cooperations).filter(readable_anywhere(user))


def _meeting(meeting: Meeting) -> Indexed:
    return Indexed(
        title=meeting.title,
        text="\n".join([meeting.description, meeting.place]),
        cooperation_id=meeting.cooperation_id,
        date=meeting.start,
    )


def _decision(decision: Decision) -> Indexed:
    return Indexed(
        title=_("Décision n° %(number)s — %(body)s")
        % {"number": decision.number, "body": decision.body.name},
        text=decision.text,
        cooperation_id=decision.body.cooperation_id,
        date=decision.date,
    )


register(
    SearchSource(
        key="meeting",
        label=_("Réunions et événements"),
        model=Meeting,
        describe=_meeting,
        readable=meetings_visible_to,
        rows=lambda: Meeting.objects.select_related("cooperation", "organiser"),
    )
)
register(
    SearchSource(
        key="decision",
        label=_("Décisions"),
        model=Decision,
        describe=_decision,
        readable=lambda user: Decision.objects.filter(body__in=_readable(Body, user).values("pk")),
        rows=lambda: Decision.objects.select_related("body__cooperation"),
        url=lambda decision: reverse(
            "governance:decisions", kwargs={"slug": decision.body.cooperation.slug}
        ),
    )
)
