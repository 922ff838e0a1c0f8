import factory

from maillage.cooperations.enums import CooperationKind
from maillage.cooperations.models import Cooperation
from maillage.core.enums import Visibility


class CooperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperation

    title = factory.Sequence(lambda n: f"Coopération n° {n}")
    slug = factory.Sequence(lambda n: f"cooperation-{n}")
    kind = CooperationKind.RECIPROCITY_CONTRACT
    summary = "Une coopération entre une ville et sa campagne."
    visibility = Visibility.PARTNERS
