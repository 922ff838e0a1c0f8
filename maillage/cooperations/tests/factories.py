import factory

from maillage.cooperations.enums import CooperationKind
from maillage.cooperations.models import Cooperation
from maillage.core.enums import Visibility
from maillage.directory.models import Organisation, Person


class CooperationFactory(factory.django.DjangoModelFactory[Cooperation]):
    class Meta:
        model = Cooperation

    title = factory.Sequence(lambda n: f"Coopération n° {n}")
    slug = factory.Sequence(lambda n: f"cooperation-{n}")
    kind = CooperationKind.RECIPROCITY_CONTRACT
    summary = "Une coopération entre une ville et sa campagne."
    visibility = Visibility.PARTNERS


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Structure n° {n}")
    kind = "association"


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    first_name = "Prénom"
    last_name = factory.Sequence(lambda n: f"Nom {n}")
