"""The strategy tree: automatic and typed codes, moves, deletion, copy."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maillage.cooperations import services
from maillage.cooperations.models import StrategyNode
from maillage.cooperations.selectors import flatten, strategy_tree
from maillage.cooperations.tests.factories import CooperationFactory
from maillage.core.exceptions import Conflict

pytestmark = pytest.mark.django_db


def codes(cooperation) -> list[tuple[str, str]]:
    return [(item.node.code, item.node.title) for item in flatten(strategy_tree(cooperation))]


def add(cooperation, title, parent=None, **kwargs):
    return services.strategy_node_create(
        actor=None, cooperation=cooperation, title=title, parent=parent, **kwargs
    )


@pytest.fixture
def tree(cooperation):
    """Axe 1 (1.1, 1.2), Axe 2 (2.1 with 2.1.1)."""
    one = add(cooperation, "Axe un")
    add(cooperation, "Un-un", one)
    add(cooperation, "Un-deux", one)
    two = add(cooperation, "Axe deux")
    two_one = add(cooperation, "Deux-un", two)
    add(cooperation, "Deux-un-un", two_one)
    return {n.title: n for n in StrategyNode.objects.all()}


def test_codes_follow_positions(cooperation, tree):
    assert codes(cooperation) == [
        ("1", "Axe un"),
        ("1.1", "Un-un"),
        ("1.2", "Un-deux"),
        ("2", "Axe deux"),
        ("2.1", "Deux-un"),
        ("2.1.1", "Deux-un-un"),
    ]


def test_levels_are_named_by_the_cooperation(cooperation, tree):
    cooperation.strategy_levels = "Enjeu / Mission"
    cooperation.save()
    levels = [(item.node.code, item.level) for item in flatten(strategy_tree(cooperation))]
    assert levels[:2] == [("1", "Enjeu"), ("1.1", "Mission")]
    assert levels[-1] == ("2.1.1", "Mission")  # deeper than named: the last name


def test_moving_a_subtree_renumbers_it_and_its_old_siblings(claire, cooperation, tree):
    services.strategy_node_move(
        actor=claire, node=tree["Un-un"], parent=tree["Axe deux"], position=0
    )
    assert codes(cooperation) == [
        ("1", "Axe un"),
        ("1.1", "Un-deux"),
        ("2", "Axe deux"),
        ("2.1", "Un-un"),
        ("2.2", "Deux-un"),
        ("2.2.1", "Deux-un-un"),
    ]


def test_reordering_roots_changes_every_code_below(claire, cooperation, tree):
    services.strategy_node_move(actor=claire, node=tree["Axe deux"], parent=None, position=0)
    assert [code for code, _title in codes(cooperation)] == ["1", "1.1", "1.1.1", "2", "2.1", "2.2"]


def test_a_node_cannot_move_under_itself(claire, tree):
    with pytest.raises(ValidationError) as error:
        services.strategy_node_move(
            actor=claire, node=tree["Axe deux"], parent=tree["Deux-un-un"], position=0
        )
    assert "parent" in error.value.message_dict
    assert StrategyNode.objects.get(pk=tree["Axe deux"].pk).parent is None


def test_typed_codes_are_kept_and_children_follow_them(cooperation):
    axis = add(cooperation, "Vivre-ensemble", code="4")
    objective = add(cooperation, "Objectif", axis, code="4.1")
    action = add(cooperation, "Action", objective)
    unnumbered = add(cooperation, "Sans numéro", axis, manual_code=True)
    action.refresh_from_db()
    assert action.code == "4.1.1"
    assert unnumbered.code == ""
    assert unnumbered.manual_code


def test_a_typed_code_already_used_is_refused_and_nothing_written(claire, cooperation, tree):
    with pytest.raises(ValidationError) as error:
        add(cooperation, "Doublon", code="1.2")
    assert "code" in error.value.message_dict
    assert not StrategyNode.objects.filter(title="Doublon").exists()


def test_deleting_removes_the_subtree_and_closes_the_gap(claire, cooperation, tree):
    services.strategy_node_delete(actor=claire, node=tree["Axe un"])
    assert codes(cooperation) == [("1", "Axe deux"), ("1.1", "Deux-un"), ("1.1.1", "Deux-un-un")]


def test_only_coordinators_edit_the_strategy(etienne, tree):
    with pytest.raises(PermissionDenied):
        services.strategy_node_move(actor=etienne, node=tree["Axe deux"], parent=None, position=0)


def test_a_strategy_is_copied_with_its_themes_into_an_empty_one(alix, cooperation, tree):
    theme = services.theme_create(actor=None, cooperation=cooperation, name="Santé")
    services.strategy_node_update(actor=alix, node=tree["Deux-un"], title="Deux-un", themes=[theme])
    cooperation.strategy_levels = "Enjeu / Mission"
    cooperation.save()
    target = CooperationFactory.create()
    assert services.strategy_copy(actor=alix, source=cooperation, target=target) == 6
    assert codes(target) == codes(cooperation)
    copied = target.strategy_nodes.get(title="Deux-un")
    assert [t.name for t in copied.themes.all()] == ["Santé"]
    assert copied.themes.get().cooperation == target
    target.refresh_from_db()
    assert target.strategy_levels == "Enjeu / Mission"
    with pytest.raises(Conflict):
        services.strategy_copy(actor=alix, source=cooperation, target=target)


def test_copying_needs_to_see_the_source(claire, cooperation, tree):
    hidden = CooperationFactory.create(visibility="restricted")
    add(hidden, "Secret")
    with pytest.raises(PermissionDenied):
        services.strategy_copy(actor=claire, source=hidden, target=cooperation)


def test_the_move_buttons_steps(claire, cooperation, tree):
    services.strategy_node_step(actor=claire, node=tree["Un-deux"], direction="up")
    assert codes(cooperation)[1:3] == [("1.1", "Un-deux"), ("1.2", "Un-un")]
    services.strategy_node_step(actor=claire, node=tree["Un-un"], direction="in")
    assert ("1.1.1", "Un-un") in codes(cooperation)
    services.strategy_node_step(actor=claire, node=tree["Un-un"], direction="out")
    assert ("1.2", "Un-un") in codes(cooperation)
    services.strategy_node_step(actor=claire, node=tree["Axe un"], direction="up")  # already first
    assert codes(cooperation)[0] == ("1", "Axe un")
    with pytest.raises(ValidationError):
        services.strategy_node_step(actor=claire, node=tree["Axe un"], direction="sideways")


def test_the_api_takes_a_step_too(client, claire, cooperation, tree):
    client.force_login(claire)
    response = client.post(
        f"/api/v1/cooperations/{cooperation.slug}/strategy/{tree['Axe deux'].pk}/move",
        {"direction": "up"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [n["code"] for n in response.json() if n["parent"] is None] == ["1", "2"]
    assert response.json()[0]["title"] == "Axe deux"


def test_after_adding_in_place_the_add_form_offers_the_new_item_as_a_parent(
    client, claire, cooperation
):
    client.force_login(claire)
    response = client.post(
        f"/cooperations/{cooperation.slug}/strategie/ajouter/",
        {"title": "Tourisme de proximité"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    new = cooperation.strategy_nodes.get(title="Tourisme de proximité")
    assert 'id="node-form-new"' in html and 'hx-swap-oob="true"' in html
    assert f'<option value="{new.pk}"' in html
    assert 'value="Tourisme de proximité"' not in html  # the form starts afresh


def test_an_update_changes_only_what_it_is_given(claire, cooperation, tree):
    """The code rule lives in the service (the API used to rebuild it): a title alone keeps a
    typed code; an empty code returns to the automatic one; a typed code is kept as typed."""
    node = tree["Un-deux"]
    services.strategy_node_update(actor=claire, node=node, code="1.9")
    services.strategy_node_update(actor=claire, node=node, title="Un-deux bis")
    node.refresh_from_db()
    assert (node.code, node.manual_code, node.title) == ("1.9", True, "Un-deux bis")
    services.strategy_node_update(actor=claire, node=node, code="")
    node.refresh_from_db()
    assert (node.code, node.manual_code) == ("1.2", False)
