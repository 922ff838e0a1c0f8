from django.db.models import Count, Prefetch, QuerySet

from maillage.core.text import fold
from maillage.directory.models import Organisation, Person, Position


def organisation_list(
    *, search: str = "", kind: str = "", siren: str = ""
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("territory").search(search)
    if kind:
        organisations = organisations.filter(kind=kind)
    if siren:
        organisations = organisations.filter(siren=siren)
    return organisations.annotate(position_count=Count("positions")).order_by("search_name")


def organisation_positions(organisation: Organisation) -> QuerySet[Position]:
    return organisation.positions.select_related("person").order_by(
        "end_date", "person__search_name"
    )


def person_list(*, search: str = "") -> QuerySet[Person]:
    people = Person.objects.filter(erased_at__isnull=True)
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
