import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maillage.cooperations.models import Cooperation
from maillage.cooperations.services import (
    cooperation_create,
    cooperation_delete,
    cooperation_update,
)
from maillage.core.exceptions import Conflict
from maillage.core.history import deleted_versions, history_for, restore_deleted

pytestmark = pytest.mark.django_db


def test_staff_creates_a_cooperation_and_the_history_says_who(alix):
    cooperation = cooperation_create(
        actor=alix, title="Contrat de territoire du Cambrésis", kind="territorial_contract"
    )

    assert cooperation.slug == "contrat-de-territoire-du-cambresis"
    [entry] = history_for(cooperation)
    assert entry.actor == str(alix)
    assert entry.comment == "Création de la coopération"
    assert {change.field for change in entry.changes} >= {"title", "kind", "slug"}


def test_a_member_who_coordinates_nothing_cannot_create(paula):
    with pytest.raises(PermissionDenied):
        cooperation_create(actor=paula, title="X", kind="other")


def test_a_coordinator_starts_a_cooperation_and_coordinates_it(claire):
    created = cooperation_create(actor=claire, title="Nouvelle", kind="other")
    assert created.memberships.get(user=claire).role == "coordinator"


def test_a_taken_slug_is_a_conflict_and_writes_nothing(alix, cooperation):
    with pytest.raises(Conflict):
        cooperation_create(actor=alix, title="Autre", kind="other", slug=cooperation.slug)
    assert Cooperation.objects.count() == 1


def test_an_unknown_kind_is_refused_with_the_field_named(alix):
    with pytest.raises(ValidationError) as error:
        cooperation_create(actor=alix, title="X", kind="not-a-kind")
    assert "kind" in error.value.message_dict
    assert not Cooperation.objects.exists()


def test_the_coordinator_updates_and_the_history_shows_before_and_after(claire, cooperation):
    cooperation_update(actor=claire, cooperation=cooperation, title="Brest métropole ↔ Pays COB")

    latest = history_for(cooperation)[0]
    assert latest.actor == str(claire)
    assert latest.comment == "Modification de la coopération"
    assert {c.field: c.after for c in latest.changes}["title"] == "Brest métropole ↔ Pays COB"


def test_history_shows_the_previous_value_once_there_is_one(claire, alix):
    cooperation = cooperation_create(actor=alix, title="Avant", kind="other")
    cooperation_update(actor=alix, cooperation=cooperation, title="Après")

    [change] = history_for(cooperation)[0].changes
    assert (change.before, change.after) == ("Avant", "Après")


def test_an_update_without_change_records_nothing(alix):
    cooperation = cooperation_create(actor=alix, title="Stable", kind="other")
    cooperation_update(actor=alix, cooperation=cooperation, title="Stable")
    assert len(history_for(cooperation)) == 1


@pytest.mark.parametrize("role", ["etienne", "paula", "fanny", "oscar", "nadia"])
def test_other_roles_cannot_update(request, cooperation, role):
    with pytest.raises(PermissionDenied):
        cooperation_update(
            actor=request.getfixturevalue(role), cooperation=cooperation, title="Non"
        )
    cooperation.refresh_from_db()
    assert cooperation.title == "Brest ↔ COB"


def test_an_invalid_update_writes_nothing(claire, cooperation):
    with pytest.raises(ValidationError):
        cooperation_update(actor=claire, cooperation=cooperation, visibility="everyone")
    cooperation.refresh_from_db()
    assert cooperation.visibility == "partners"


def test_deleting_is_reversible_with_the_members(alix, claire):
    from maillage.accounts.services import membership_set
    from maillage.core.enums import Role

    cooperation = cooperation_create(actor=alix, title="Éphémère", kind="other")
    membership_set(actor=alix, cooperation=cooperation, user=claire, role=Role.COORDINATOR)
    pk = cooperation.pk

    cooperation_delete(actor=alix, cooperation=cooperation)
    assert not Cooperation.objects.filter(pk=pk).exists()

    version = deleted_versions(Cooperation).get(object_id=str(pk))
    restored = restore_deleted(actor=alix, version=version, comment="Restauration")
    assert isinstance(restored, Cooperation)
    assert restored.title == "Éphémère"
    assert restored.memberships.get().user == claire
    assert history_for(restored)[0].comment == "Restauration"


def test_only_staff_delete(claire, cooperation):
    with pytest.raises(PermissionDenied):
        cooperation_delete(actor=claire, cooperation=cooperation)


def test_the_closed_stage_reads_as_a_stage_not_as_a_button():
    """The stage "Close" fell through to Django's own translation: it read "Fermer" (a verb)."""
    from django.utils import translation

    from maillage.cooperations.enums import Stage

    with translation.override("fr"):
        assert str(Stage.CLOSED.label) == "Close"
    with translation.override("en"):
        assert str(Stage.CLOSED.label) == "Closed"
