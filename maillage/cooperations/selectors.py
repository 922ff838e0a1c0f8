from django.db.models import Count, QuerySet

from maillage.cooperations.models import Cooperation


def cooperation_list(*, user, kind: str = "", search: str = "") -> QuerySet[Cooperation]:
    """The cooperations a user may see, with their member count, in two queries at most."""
    cooperations = Cooperation.objects.visible_to(user).annotate(member_count=Count("memberships"))
    if kind:
        cooperations = cooperations.filter(kind=kind)
    if search:
        cooperations = cooperations.filter(title__icontains=search) | cooperations.filter(
            short_name__icontains=search
        )
    return cooperations.order_by("title")
