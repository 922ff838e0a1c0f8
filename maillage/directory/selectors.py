from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, QuerySet
from ninja import Field

from maillage.core.filters import ListFilters
from maillage.core.text import fold
from maillage.directory.enums import OrganisationKind
from maillage.directory.models import Organisation, Person, Position
from maillage.directory.permissions import contact_shown_q


class OrganisationFilters(ListFilters):
    """The filters of the directory's organisations (its page, `GET /organisations`)."""

    search: str = Field(default="", description="Nom ou SIREN, sans accents ni majuscules")
    siren: str = ""
    kind: OrganisationKind | None = None

    PAGE_PARAMS = {"q": "search", "siren": "siren", "nature": "kind"}


def organisation_list(filters: OrganisationFilters | None = None) -> QuerySet[Organisation]:
    filters = filters or OrganisationFilters()
    organisations = Organisation.objects.select_related("territory").search(filters.search)
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.siren:
        organisations = organisations.filter(siren=filters.siren)
    return organisations.annotate(position_count=Count("positions")).order_by("search_name")


def organisation_positions(organisation: Organisation) -> QuerySet[Position]:
    return organisation.positions.select_related("person").order_by(
        "end_date", "person__search_name"
    )


def person_list(reader, *, search: str = "") -> QuerySet[Person]:
    """The people of the directory, each with `contact_shown`: whether `reader` may read their
    e-mail and phone (permissions.contact_shown_q), in the same query."""
    people = Person.objects.filter(erased_at__isnull=True).annotate(
        contact_shown=ExpressionWrapper(contact_shown_q(reader), output_field=BooleanField())
    )
    if search:
        people = people.filter(search_name__contains=fold(search))
    return people.prefetch_related(
        Prefetch("positions", queryset=Position.objects.current().select_related("organisation"))
    ).order_by("search_name")


def likely_duplicates(
    *, name: str, siren: str = "", territory_id: int | None = None, exclude_pk: int | None = None
) -> list[Organisation]:
    """Organisations that may be the one being entered: the same SIREN, or the same name once
    accents, case, punctuation and articles are set aside, in the same territory."""
    candidates = Organisation.objects.none()
    if siren:
        candidates = candidates | Organisation.objects.filter(siren=siren)
    folded = fold(name)
    for article in ("le ", "la ", "les ", "l "):
        if folded.startswith(article):
            folded = folded[len(article) :]
    if folded:
        same_name = Organisation.objects.filter(search_name__endswith=folded)
        if territory_id is not None:
            same_name = same_name.filter(territory_id=territory_id)
        candidates = candidates | same_name
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return list(candidates.distinct()[:10])


def organisation_by_siret(siret: str) -> Organisation | None:
    """The organisation of an establishment: by its SIRET, else by the SIREN it begins with
    (the directory often holds the organisation, not each establishment)."""
    if len(siret) != 14 or not siret.isdigit():
        return None
    exact = Organisation.objects.filter(siret=siret).first()
    return exact or Organisation.objects.filter(siren=siret[:9]).order_by("pk").first()
