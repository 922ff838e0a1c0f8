"""Who may do what with a fund, its calls and the applications made to them.

A fund and its calls are read as the cooperation's objects are, with the fund's visibility: a
public fund's calls have public pages. The fund's staff are the cooperation's coordinators:
they set the fund up, screen, assign reviewers, record the committee's decisions, conventions
and payments, and read every application. An applicant is any registered user: they read and
write their own applications only (drafting while the dossier is theirs to change). A reviewer
reads the applications assigned to them and writes their own review.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from maillage.accounts.selectors import role_in, roles_by_cooperation
from maillage.cooperations import permissions as cooperation_permissions
from maillage.core.enums import Role
from maillage.core.permissions import can_read, is_staff
from maillage.funding.enums import ApplicationStatus
from maillage.funding.models import Application, Call, Fund, Review

APPLICANT_EDITS = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
WITHDRAWABLE = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.ASSESSMENT,
)


def can_view_fund(user, fund: Fund) -> bool:
    cooperation = fund.cooperation
    return cooperation_permissions.can_view(user, cooperation) and can_read(
        user, visibility=fund.visibility, role=role_in(user, cooperation.pk)
    )


def can_manage(user, fund: Fund) -> bool:
    return cooperation_permissions.can_edit(user, fund.cooperation)


def can_apply(user, call: Call) -> bool:
    """Whoever has an account may apply to a call they can read (its openness is the
    submission's business: a draft may be prepared before and kept after)."""
    return bool(user.is_authenticated) and can_view_fund(user, call.fund)


def is_applicant(user, application: Application) -> bool:
    return bool(user.is_authenticated) and application.created_by_id == user.pk


def is_reviewer(user, application: Application) -> bool:
    return bool(user.is_authenticated) and application.reviews.filter(reviewer=user).exists()


def can_view_application(user, application: Application) -> bool:
    return (
        is_applicant(user, application)
        or can_manage(user, application.call.fund)
        or is_reviewer(user, application)
    )


def can_edit_application(user, application: Application) -> bool:
    return is_applicant(user, application) and application.status in APPLICANT_EDITS


def can_review(user, review: Review) -> bool:
    return bool(user.is_authenticated) and review.reviewer_id == user.pk


def applications_visible_to(user, fund: Fund | None = None) -> QuerySet[Application]:
    """The applications `user` reads: a fund's staff all of its fund's; the others their own
    and those they review."""
    applications = Application.objects.all()
    if fund is not None:
        applications = applications.filter(call__fund=fund)
        if can_manage(user, fund):
            return applications
    if not user.is_authenticated:
        return applications.none()
    own = Q(created_by=user) | Q(pk__in=Review.objects.filter(reviewer=user).values("application"))
    if fund is None:
        if is_staff(user):
            return applications
        coordinated = [
            pk for pk, role in roles_by_cooperation(user).items() if role == Role.COORDINATOR
        ]
        own |= Q(call__fund__cooperation__in=coordinated)
    return applications.filter(own)


def get_fund_for_user(user, pk: int, *, manage: bool = False) -> Fund:
    fund = Fund.objects.select_related("cooperation", "managing_body", "committee").filter(pk=pk)
    found = fund.first()
    if found is None or not can_view_fund(user, found):
        raise Http404
    if manage and not can_manage(user, found):
        raise PermissionDenied
    return found


def get_call_for_user(user, pk: int, *, manage: bool = False) -> Call:
    call = Call.objects.select_related("fund__cooperation", "fund__managing_body").filter(pk=pk)
    found = call.first()
    if found is None or not can_view_fund(user, found.fund):
        raise Http404
    if manage and not can_manage(user, found.fund):
        raise PermissionDenied
    return found


def get_application_for_user(user, pk: int, *, edit: bool = False) -> Application:
    """An application its reader may see (404 otherwise: an application is never revealed to
    others); `edit`: its applicant, while the dossier is theirs to change (403 otherwise)."""
    application = (
        Application.objects.select_related(
            "call__fund__cooperation", "call__fund__managing_body", "applicant", "measure"
        )
        .filter(pk=pk)
        .first()
    )
    if application is None or not can_view_application(user, application):
        raise Http404
    if edit and not can_edit_application(user, application):
        raise PermissionDenied
    return application
