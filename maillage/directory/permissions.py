"""Organisations are public facts; people's contact details are personal data.

- Organisations: everybody reads; staff and coordinators (of any cooperation) create and edit.
- People: members of a cooperation and staff read them; anonymous visitors and accounts
  with no role never do. Staff and coordinators create and edit; a person edits their own
  contact details. Only staff export or erase a person (a data-protection request).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

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


def can_edit_person(user, person: Person) -> bool:
    if person.erased_at is not None:
        return False
    own = user.is_authenticated and person.user_id == user.pk
    return own or can_manage_directory(user)


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
