"""Who may do what with a mutualisation convention.

The convention (parties, shared items, keys, costs) is read as the cooperation's objects are,
with its own visibility, and by the finance contacts of its parties. Coordinators edit. A
party's finance contact declares that party's uses and reads its statements, and sees no other
party's: the allocation table, which shows every party, is the coordinators'.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from maillage.accounts.selectors import role_in
from maillage.cooperations import permissions as cooperation_permissions
from maillage.core.permissions import can_read
from maillage.mutualisation.models import AllocationYear, Convention, ConventionParty


def is_finance_contact(user, convention: Convention) -> bool:
    return bool(user.is_authenticated) and convention.parties.filter(finance_contact=user).exists()


def can_view(user, convention: Convention) -> bool:
    cooperation = convention.cooperation
    return (
        cooperation_permissions.can_view(user, cooperation)
        and can_read(user, visibility=convention.visibility, role=role_in(user, cooperation.pk))
    ) or is_finance_contact(user, convention)


def can_edit(user, convention: Convention) -> bool:
    return cooperation_permissions.can_edit(user, convention.cooperation)


def parties_answered_for(user, convention: Convention) -> QuerySet[ConventionParty]:
    """The parties whose uses `user` declares and whose statements `user` reads: every party
    for a coordinator, their own party for a finance contact, none for the others."""
    parties = convention.parties.select_related("party__organisation")
    if can_edit(user, convention):
        return parties
    if not user.is_authenticated:
        return parties.none()
    return parties.filter(finance_contact=user)


def can_answer_for(user, party: ConventionParty) -> bool:
    return can_edit(user, party.convention) or (
        user.is_authenticated and party.finance_contact_id == user.pk
    )


def get_convention_for_user(user, pk: int, *, edit: bool = False) -> Convention:
    convention = Convention.objects.select_related("cooperation").filter(pk=pk).first()
    if convention is None or not can_view(user, convention):
        raise Http404
    if edit and not can_edit(user, convention):
        raise PermissionDenied
    return convention


def get_year_for_user(user, convention_pk: int, year: int, *, edit: bool = False) -> AllocationYear:
    convention = get_convention_for_user(user, convention_pk, edit=edit)
    allocation_year = convention.years.filter(year=year).first()
    if allocation_year is None:
        raise Http404
    allocation_year.convention = convention
    return allocation_year


def get_party_of(convention: Convention, pk: int) -> ConventionParty:
    """A party of `convention` (404 otherwise), for the pages and endpoints that name one."""
    member = convention.parties.select_related("party__organisation").filter(pk=pk).first()
    if member is None:
        raise Http404
    member.convention = convention
    return member
