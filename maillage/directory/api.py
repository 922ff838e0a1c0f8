from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, ModelSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.core.api import ERROR_RESPONSES, reference_in
from maillage.core.schemas import model_typed
from maillage.directory import permissions, selectors, services
from maillage.directory.models import Organisation, Person
from maillage.directory.permissions import get_organisation_for_user, get_person_for_user
from maillage.territories.models import Territory

router = Router(tags=["annuaire"])


# An organisation's own columns in the API (the logo is uploaded on the page).
ORGANISATION_COLUMNS = [name for name in services.ORGANISATION_FIELDS if name != "logo"]


@model_typed
class OrganisationOut(ModelSchema):
    class Meta:
        model = Organisation
        fields = ["id", *ORGANISATION_COLUMNS]


class PositionOut(Schema):
    id: int
    person_id: int
    person: str
    organisation_id: int
    organisation: str
    title: str
    kind: str
    start_date: str | None
    end_date: str | None


class OrganisationDetailOut(OrganisationOut):
    positions: list[PositionOut] | None


# A person's (the user account is linked by the person, on the page).
PERSON_COLUMNS = [name for name in services.PERSON_FIELDS if name != "user"]


@model_typed
class OrganisationIn(ModelSchema):
    confirm_duplicate: bool = False

    class Meta:
        model = Organisation
        fields = ORGANISATION_COLUMNS


@model_typed
class OrganisationPatch(ModelSchema):
    confirm_duplicate: bool = False

    class Meta:
        model = Organisation
        fields = ORGANISATION_COLUMNS
        fields_optional = "__all__"


@model_typed
class PersonOut(ModelSchema):
    erased: bool
    email: str | None = Field(
        description="Null where no cooperation shared with the reader justifies showing it."
    )
    phone: str | None = Field(
        description="Null where no cooperation shared with the reader justifies showing it."
    )

    class Meta:
        model = Person
        fields = ["id", "first_name", "last_name"]

    @staticmethod
    def resolve_erased(person) -> bool:
        return person.erased_at is not None

    @staticmethod
    def resolve_email(person) -> str | None:
        return person.email if getattr(person, "contact_shown", False) else None

    @staticmethod
    def resolve_phone(person) -> str | None:
        return person.phone if getattr(person, "contact_shown", False) else None


def _shown(person: Person, user) -> Person:
    """The person with `contact_shown` set for `user` (PersonOut reads it)."""
    person.contact_shown = permissions.can_see_contact(user, person)  # type: ignore[attr-defined]
    return person


@model_typed
class PersonIn(ModelSchema):
    class Meta:
        model = Person
        fields = PERSON_COLUMNS


@model_typed
class PersonPatch(ModelSchema):
    class Meta:
        model = Person
        fields = PERSON_COLUMNS
        fields_optional = "__all__"


def _position(p) -> dict:
    return {
        "id": p.pk,
        "person_id": p.person_id,
        "person": str(p.person),
        "organisation_id": p.organisation_id,
        "organisation": p.organisation.name,
        "title": p.title,
        "kind": p.kind,
        "start_date": p.start_date.isoformat() if p.start_date else None,
        "end_date": p.end_date.isoformat() if p.end_date else None,
    }


def _organisation(request, organisation) -> dict:
    positions = None
    if permissions.can_see_people(request.user):
        positions = [
            _position(p)
            for p in selectors.organisation_positions(organisation).select_related("organisation")
        ]
    return {**OrganisationOut.from_orm(organisation).dict(), "positions": positions}


def _territory(data: dict) -> dict:
    """Replace the territory's id by the territory (an unknown id is a 400 on `territory_id`)."""
    reference_in(data, "territory", Territory)
    return data


@router.get(
    "/organisations",
    auth=optional_user_auth,
    response={200: list[OrganisationOut], **ERROR_RESPONSES},
    summary="Structures",
)
@paginate
def organisation_list(request: HttpRequest, filters: Query[selectors.OrganisationFilters]):
    return selectors.organisation_list(filters)


@router.get(
    "/organisations/{organisation_id}",
    auth=optional_user_auth,
    response={200: OrganisationDetailOut, **ERROR_RESPONSES},
)
def organisation_detail(request: HttpRequest, organisation_id: int):
    return _organisation(request, get_organisation_for_user(request.user, organisation_id))


@router.post("/organisations", response={201: OrganisationDetailOut, **ERROR_RESPONSES})
def organisation_create(request: HttpRequest, payload: OrganisationIn):
    data = _territory(payload.dict())
    organisation = services.organisation_create(actor=authenticated_user(request), **data)
    return Status(201, _organisation(request, organisation))


@router.patch(
    "/organisations/{organisation_id}", response={200: OrganisationDetailOut, **ERROR_RESPONSES}
)
def organisation_update(request: HttpRequest, organisation_id: int, payload: OrganisationPatch):
    user = authenticated_user(request)
    organisation = get_organisation_for_user(user, organisation_id, edit=True)
    data = _territory(payload.dict(exclude_unset=True))
    services.organisation_update(actor=user, organisation=organisation, **data)
    return _organisation(request, organisation)


@router.get(
    "/people",
    response={200: list[PersonOut], **ERROR_RESPONSES},
    summary="Personnes (membres seulement)",
)
@paginate
def person_list(request: HttpRequest, search: str = ""):
    if not permissions.can_see_people(authenticated_user(request)):
        raise Http404
    return selectors.person_list(request.user, search=search)


@router.get("/people/{person_id}", response={200: PersonOut, **ERROR_RESPONSES})
def person_detail(request: HttpRequest, person_id: int):
    user = authenticated_user(request)
    return _shown(get_person_for_user(user, person_id), user)


@router.post("/people", response={201: PersonOut, **ERROR_RESPONSES})
def person_create(request: HttpRequest, payload: PersonIn):
    user = authenticated_user(request)
    return Status(201, _shown(services.person_create(actor=user, **payload.dict()), user))


@router.patch("/people/{person_id}", response={200: PersonOut, **ERROR_RESPONSES})
def person_update(request: HttpRequest, person_id: int, payload: PersonPatch):
    user = authenticated_user(request)
    person = get_person_for_user(user, person_id, edit=True)
    person = services.person_update(actor=user, person=person, **payload.dict(exclude_unset=True))
    return _shown(person, user)


@router.get(
    "/people/{person_id}/export", response={200: None, **ERROR_RESPONSES}, summary="Exporter (RGPD)"
)
def person_export(request: HttpRequest, person_id: int):
    user = authenticated_user(request)
    person = get_person_for_user(user, person_id)
    return HttpResponse(
        services.person_export(actor=user, person=person), content_type="application/json"
    )


@router.post(
    "/people/{person_id}/erase",
    response={200: PersonOut, **ERROR_RESPONSES},
    summary="Effacer (RGPD)",
)
def person_erase(request: HttpRequest, person_id: int):
    user = authenticated_user(request)
    person = get_person_for_user(user, person_id)
    return _shown(services.person_erase(actor=user, person=person), user)
