"""Who may do what with a cooperation and what hangs from it. Every view and endpoint asks here.

Everything under a cooperation (parties, milestones, strategy, themes, working groups) is read
by whoever may read the cooperation; documents and proposals add their own visibility. People
(members, working-group members) are personal data: members of the cooperation and staff only.
Coordinators and staff edit; members who are not observers may put forward proposals; every
member may comment on them.
"""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404

from maillage.accounts.models import Membership
from maillage.accounts.selectors import role_in
from maillage.cooperations.models import Cooperation, Document, Proposal
from maillage.core.enums import Role
from maillage.core.figures import cached_figures
from maillage.core.permissions import can_read, is_staff


def can_view(user, cooperation: Cooperation) -> bool:
    return can_read(user, visibility=cooperation.visibility, role=role_in(user, cooperation.pk))


def can_edit(user, cooperation: Cooperation) -> bool:
    return is_staff(user) or role_in(user, cooperation.pk) == Role.COORDINATOR


def can_view_history(user, cooperation: Cooperation) -> bool:
    # The history names people and shows drafts: coordinators and staff only.
    return can_edit(user, cooperation)


def can_manage_members(user, cooperation: Cooperation) -> bool:
    return can_edit(user, cooperation)


def can_create(user) -> bool:
    """Who may start a cooperation (and becomes its coordinator): platform staff, whoever
    coordinates one already, and the people staff granted the right to (the
    "cooperations.add_cooperation" permission, given in the admin)."""
    if user is None or not user.is_authenticated:
        return False
    return (
        is_staff(user)
        or user.has_perm("cooperations.add_cooperation")
        or Membership.objects.filter(user=user, role=Role.COORDINATOR).exists()
    )


def is_member(user, cooperation: Cooperation) -> bool:
    return is_staff(user) or role_in(user, cooperation.pk) is not None


def can_see_people(user, cooperation: Cooperation) -> bool:
    return is_member(user, cooperation)


def can_propose(user, cooperation: Cooperation) -> bool:
    return is_staff(user) or role_in(user, cooperation.pk) not in (None, Role.OBSERVER)


def can_comment(user, cooperation: Cooperation) -> bool:
    return is_member(user, cooperation)


def can_view_document(user, document: Document) -> bool:
    return can_read(
        user, visibility=document.visibility, role=role_in(user, document.cooperation_id)
    )


def can_view_proposal(user, proposal: Proposal) -> bool:
    return can_read(
        user,
        visibility=proposal.visibility,
        role=role_in(user, proposal.cooperation_id),
        named=user.is_authenticated and proposal.created_by_id == user.pk,
    )


def can_edit_proposal(user, proposal: Proposal) -> bool:
    """Coordinators, and the member who put it forward while it is still under study."""
    if can_edit(user, proposal.cooperation):
        return True
    return (
        proposal.status == "submitted"
        and user.is_authenticated
        and proposal.created_by_id == user.pk
        and can_propose(user, proposal.cooperation)
    )


SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def cooperation_by_ref(ref: str) -> Cooperation | None:
    """The cooperation of a page's or the API's address (its slug, or its id when `ref` is a
    number), from the cache while the data is unchanged (core.figures)."""
    if not SLUG.fullmatch(ref):
        return None  # no slug nor id has such a form
    lookup = {"pk" if ref.isdigit() else "slug": ref}
    return cached_figures(
        f"cooperation:{ref}",
        lambda: Cooperation.objects.filter(**lookup).first(),
        lambda _cooperation: None,
    )


def get_cooperation_for_user(user, ref: str, *, edit: bool = False) -> Cooperation:
    """The cooperation (by slug, or by id when `ref` is a number) if the user may see it —
    404 otherwise, so nothing leaks — and PermissionDenied when `edit` is asked and the user
    may only read."""
    cooperation = cooperation_by_ref(str(ref))
    if cooperation is None:
        raise Http404
    if not can_view(user, cooperation):
        raise Http404
    if edit and not can_edit(user, cooperation):
        raise PermissionDenied
    return cooperation


def get_proposal_for_user(user, cooperation: Cooperation, number: int) -> Proposal:
    proposal = (
        Proposal.objects.filter(cooperation=cooperation, number=number)
        .select_related("cooperation", "working_group", "author", "merged_into")
        .first()
    )
    if proposal is None or not can_view_proposal(user, proposal):
        raise Http404
    return proposal


def get_document_for_user(user, cooperation: Cooperation, pk: int) -> Document:
    document = Document.objects.filter(cooperation=cooperation, pk=pk).first()
    if document is None or not can_view_document(user, document):
        raise Http404
    return document
