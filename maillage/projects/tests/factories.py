import factory

from maillage.projects.models import Project


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"P{n:03d}")
    title = factory.Sequence(lambda n: f"Projet n° {n}")
    visibility = factory.LazyAttribute(lambda project: project.cooperation.visibility)
