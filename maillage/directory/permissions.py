"""Organisations are public facts; people's contact details are personal data.

- Organisations: everybody reads; staff and coordinators (of any cooperation) create and edit.
- People: members of a cooperation and staff read their names; anonymous visitors and
  accounts with no role never do. Their contact details (e-mail, phone) only where a shared
  cooperation justifies it (`contact_shown_q`). Staff and coordinators create and edit; a
  person edits their own contact details. Only staff export or erase a person (a
  data-protection request).
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from maillage.accounts.models import Membership
from maillage.accounts.selectors import roles_by_cooperation
from maillage.core.enums import Role
from maillage.core.permissions import is_staff
from maillage.directory.models import Organisation, Person


def is_member(user) -> bool:
    return is_staff(user) or bool(roles_by_cooperation(user))


def can_manage_directory(user) -> bool:
    return is_staff(user) or Role.COORDINATOR in roles_by_cooperation(user).values()


def can_see_people(user) -> bool:
    return is_member(user)


# Who is a person of which cooperation, as the apps above know it (a body's mandate, a working
# group, a party's signatory…): each function takes a queryset of cooperation ids (None: every
# cooperation) and returns the ids of their people. Registered by those apps' panels.py
# (docs/architecture.md).
PeopleOf = Callable[[QuerySet | None], QuerySet]
PEOPLE_OF_COOPERATIONS: list[PeopleOf] = []


def people_of_cooperations(function: PeopleOf) -> PeopleOf:
    if function not in PEOPLE_OF_COOPERATIONS:
        PEOPLE_OF_COOPERATIONS.append(function)
    return function


def people_through(rows: QuerySet, cooperation: str, person: str) -> None:
    """Register the people that `rows` tie to a cooperation: `cooperation` is the lookup from a
    row to its cooperation ("body__cooperation"), `person` the row's person field."""

    def people_of(cooperations: QuerySet | None) -> QuerySet:
        if cooperations is not None:
            return rows.filter(**{f"{cooperation}__in": cooperations}).values(person)
        return rows.values(person)

    people_of_cooperations(people_of)


def contact_shown_q(user) -> Q:
    """The people whose e-mail and phone `user` may read, as a condition on Person: staff,
    every one; anybody else, themselves and the people of the cooperations they are a member
    of (an account of the cooperation, or a person the apps above tie to it). A coordinator
    also sees the people tied to no cooperation yet, whom they enter to add them to one."""
    if is_staff(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    shown = Q(user=user) | people_of_q(Membership.objects.filter(user=user).values("cooperation"))
    if can_manage_directory(user):
        shown |= ~people_of_q(None)
    return shown


def people_of_q(cooperations: QuerySet | None) -> Q:
    """The people of these cooperations (a queryset of their ids; None: of any cooperation),
    as a condition on Person: their accounts' members, and whom the apps above tie to them."""
    memberships = Membership.objects.all()
    if cooperations is not None:
        memberships = memberships.filter(cooperation__in=cooperations)
    people = Q(user__in=memberships.values("user"))
    for people_of in PEOPLE_OF_COOPERATIONS:
        people |= Q(pk__in=people_of(cooperations))
    return people


def can_see_contact(user, person: Person) -> bool:
    return Person.objects.filter(contact_shown_q(user), pk=person.pk).exists()


def can_edit_person(user, person: Person) -> bool:
    if person.erased_at is not None:
        return False
    own = user.is_authenticated and person.user_id == user.pk
    return own or (can_manage_directory(user) and can_see_contact(user, person))


def can_erase_people(user) -> bool:
    return is_staff(user)


def get_organisation_for_user(user, pk: int, *, edit: bool = False) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if edit and not can_manage_directory(user):
        raise PermissionDenied
    return organisation


def get_person_for_user(user, pk: int, *, edit: bool = False) -> Person:
    if not can_see_people(user):
        # Not even whether the person exists.
        raise Http404
    person = get_object_or_404(Person, pk=pk)
    if edit and not can_edit_person(user, person):
        raise PermissionDenied
    return person
