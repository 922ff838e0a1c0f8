from django.db.models import QuerySet

from maillage.territories.models import Territory


def territory_list(
    *,
    kind: str = "",
    code: str = "",
    parent_id: int | None = None,
    search: str = "",
    include_gone: bool = False,
) -> QuerySet[Territory]:
    territories = Territory.objects.all() if include_gone else Territory.objects.current()
    if kind:
        territories = territories.filter(kind=kind)
    if code:
        territories = territories.filter(code=code)
    if parent_id is not None:
        territories = territories.filter(memberships_as_member__container_id=parent_id)
    return territories.search(search).order_by("search_name", "code")


def parents_of(territory: Territory) -> QuerySet[Territory]:
    return Territory.objects.filter(memberships_as_container__member=territory).order_by(
        "kind", "search_name"
    )


def members_of(territory: Territory) -> QuerySet[Territory]:
    return Territory.objects.filter(memberships_as_member__container=territory).order_by(
        "kind", "search_name"
    )
