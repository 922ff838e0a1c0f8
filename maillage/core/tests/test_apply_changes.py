"""`core.services.apply_changes`, the one way every service updates an object."""

from decimal import Decimal

import pytest
from reversion.models import Version

from maillage.core.services import apply_changes
from maillage.projects.models import Project
from maillage.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
FIELDS = ("title", "total_cost", "summary")


def test_an_equal_value_is_no_change_and_records_nothing(cooperation):
    project = ProjectFactory.create(cooperation=cooperation, total_cost=Decimal("500000.00"))
    changed = apply_changes(
        actor=None,
        obj=project,
        changes={"total_cost": "500000", "title": project.title},
        allowed=FIELDS,
        comment="rien",
    )
    assert changed == []
    assert not Version.objects.get_for_object(project).exists()


def test_only_the_changed_columns_are_written(cooperation):
    """Two people edit different fields of the same project: both changes stay."""
    project = ProjectFactory.create(cooperation=cooperation, title="Avant", summary="Avant")
    mine, theirs = Project.objects.get(pk=project.pk), Project.objects.get(pk=project.pk)
    apply_changes(actor=None, obj=mine, changes={"title": "Titre"}, allowed=FIELDS, comment="a")
    apply_changes(
        actor=None, obj=theirs, changes={"summary": "Résumé"}, allowed=FIELDS, comment="b"
    )
    project.refresh_from_db()
    assert (project.title, project.summary) == ("Titre", "Résumé")
    assert Version.objects.get_for_object(project).count() == 2


def test_a_field_the_service_does_not_allow_is_refused(cooperation):
    project = ProjectFactory.create(cooperation=cooperation)
    with pytest.raises(ValueError, match="status"):
        apply_changes(
            actor=None, obj=project, changes={"status": "engaged"}, allowed=FIELDS, comment="x"
        )
    project.refresh_from_db()
    assert project.status != "engaged"


def test_a_value_the_field_cannot_hold_is_a_validation_error_on_that_field(cooperation):
    from django.core.exceptions import ValidationError

    project = ProjectFactory.create(cooperation=cooperation)
    with pytest.raises(ValidationError) as error:
        apply_changes(
            actor=None, obj=project, changes={"total_cost": "beaucoup"}, allowed=FIELDS, comment="x"
        )
    assert "total_cost" in error.value.message_dict
