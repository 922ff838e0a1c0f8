"""The funding app's panels: a cooperation's funds and their open calls on its page, and in
"Mon espace" one's applications and the applications one reviews (an applicant is often no
member of the cooperation: this is their way in); on the home page, the calls open now."""

from django.template.loader import render_to_string
from django.utils import timezone

from maillage.cooperations import permissions as cooperation_permissions
from maillage.cooperations.models import Cooperation
from maillage.cooperations.selectors import contents_readable_q
from maillage.core.figures import cached_for_user
from maillage.core.panels import panel
from maillage.funding import permissions, selectors
from maillage.funding.models import Application, Call, Fund


@panel("cooperations.cooperation")
def cooperation_funds(request, cooperation) -> str:
    funds = [
        fund
        for fund in cooperation.funds.prefetch_related("calls")
        if permissions.can_view_fund(request.user, fund)
    ]
    can_edit = cooperation_permissions.can_edit(request.user, cooperation)
    if not funds and not can_edit:
        return ""
    return render_to_string(
        "funding/includes/cooperation_funds.html",
        {"cooperation": cooperation, "funds": funds, "can_edit": can_edit, "now": timezone.now()},
        request,
    )


@panel("governance.meeting")
def committee_applications(request, meeting) -> str:
    """A fund committee's meeting: the applications it has to decide (under assessment, or
    postponed) and those it decided, for the fund's staff."""
    if meeting.body_id is None:
        return ""
    funds = [
        fund
        for fund in meeting.body.funds.select_related("cooperation")
        if permissions.can_manage(request.user, fund)
    ]
    if not funds:
        return ""
    return render_to_string(
        "funding/includes/committee_applications.html",
        {
            "to_decide": selectors.to_decide(funds),
            "decided": selectors.decided_at(meeting),
            "meeting": meeting,
        },
        request,
    )


@panel("accounts.profile")
def my_applications(request, user) -> str:
    def render() -> str:
        own = list(Application.objects.filter(created_by=user).select_related("call")[:10])
        reviews = list(selectors.applications_reviewed_by(user)[:10])
        if not own and not reviews:
            return ""
        return render_to_string(
            "funding/includes/my_applications.html", {"own": own, "reviews": reviews}, request
        )

    return cached_for_user("my-applications", user, render)


@panel("portal.home")
def open_calls(request, _obj) -> str:
    """The calls for projects open now, of the funds the reader may read (one query)."""
    visible = Cooperation.objects.visible_to(request.user).values("pk")
    funds = Fund.objects.filter(cooperation__in=visible).filter(contents_readable_q(request.user))
    now = timezone.now()
    calls = list(
        Call.objects.filter(fund__in=funds.values("pk"), opens_at__lte=now, closes_at__gt=now)
        .select_related("fund__cooperation")
        .order_by("closes_at")[:4]
    )
    if not calls:
        return ""
    return render_to_string("funding/includes/open_calls.html", {"calls": calls}, request)
