"""A convention's year from its opening to its statements, and every rule the services hold."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maillage.accounts.tests.factories import UserFactory
from maillage.core.exceptions import Conflict
from maillage.mutualisation import selectors, services
from maillage.mutualisation.enums import YearStatus
from maillage.mutualisation.models import DeclaredUse, KeyFigure, KeyTerm, Statement
from maillage.mutualisation.services import DeclaredUnits
from maillage.mutualisation.tests.factories import convention_between, item_costing

pytestmark = pytest.mark.django_db


def _declare(actor, year, item, party, actual, forecast=None):
    services.uses_declare(
        actor=actor,
        year=year,
        party=party,
        uses={item: DeclaredUnits(forecast=forecast, actual=actual)},
    )


def test_closing_a_year_issues_statements_that_add_up_and_recompute_the_same(claire, ads):
    _convention, year, item, (_agglo, a, b) = ads
    _declare(claire, year, item, a, Decimal(10), forecast=Decimal(20))
    _declare(claire, year, item, b, Decimal(30), forecast=Decimal(20))
    services.advance_add(
        actor=claire, year=year, party=a, amount=Decimal("1000"), paid_on="2024-06-30"
    )
    allocation = services.year_close(actor=claire, year=year)
    statements = {s.party_id: s for s in selectors.issued_statements(year)}
    assert year.status == YearStatus.CLOSED and year.version == 1
    assert statements[a.pk].due + statements[b.pk].due == Decimal("8000.01")  # to the cent
    assert statements[a.pk].due == Decimal("4000.01")  # the odd cent: the larger remainder…
    assert statements[a.pk].balance == Decimal("3000.01")
    assert statements[a.pk].lines[0]["components"][0] == {
        "component": "staff",
        "source": "accounts",
        "amount": "3500.00",
    }
    # The referential moves on; the closed year keeps the populations it used.
    a.party.organisation.territory.population = 100
    a.party.organisation.territory.save()
    again = selectors.allocation_of(year)
    assert [s.due for s in again.statements] == [s.due for s in allocation.statements]
    assert again.statement_of(a.pk).due == statements[a.pk].due


def test_a_closed_year_refuses_every_change_and_a_correction_is_a_new_version(claire, ads):
    _convention, year, item, (_agglo, a, b) = ads
    _declare(claire, year, item, a, Decimal(10))
    _declare(claire, year, item, b, Decimal(30))
    services.year_close(actor=claire, year=year)
    for change in (
        lambda: services.key_set(actor=claire, year=year, item=item, terms={"use": 100}),
        lambda: _declare(claire, year, item, a, Decimal(40)),
        lambda: services.cost_add(
            actor=claire, year=year, item=item, component="staff", source="budget", amount=1
        ),
        lambda: services.year_close(actor=claire, year=year),
    ):
        with pytest.raises(Conflict):
            change()
    with pytest.raises(ValidationError) as error:
        services.year_reopen(actor=claire, year=year, reason=" ")
    assert "reason" in error.value.message_dict
    services.year_reopen(actor=claire, year=year, reason="Erreur de saisie des dossiers de B")
    _declare(claire, year, item, b, Decimal(10))
    services.year_close(actor=claire, year=year)
    versions = list(selectors.statement_versions(year, b))
    assert [s.version for s in versions] == [2, 1]
    assert versions[0].reason == "Erreur de saisie des dossiers de B"
    assert versions[0].due != versions[1].due
    assert [s.version for s in selectors.issued_statements(year)] == [2, 2, 2]  # Agglo's too


def test_a_new_year_starts_from_the_last_and_changing_it_leaves_the_closed_one_alone(claire, ads):
    convention, year, item, (_agglo, a, b) = ads
    _declare(claire, year, item, a, Decimal(10))
    _declare(claire, year, item, b, Decimal(30))
    services.year_close(actor=claire, year=year)
    closed = {s.party_id: s.due for s in selectors.issued_statements(year)}
    next_year = services.year_open(actor=claire, convention=convention, year=2025)
    assert next_year.costs.count() == 2 and next_year.key_terms.count() == 2
    assert {u.party_id: u.forecast for u in next_year.uses.all()} == {a.pk: 10, b.pk: 30}
    services.key_set(actor=claire, year=next_year, item=item, terms={"use": 100})
    _declare(claire, next_year, item, a, Decimal(1))
    _declare(claire, next_year, item, b, Decimal(1))
    assert {s.party_id: s.due for s in selectors.allocation_of(year).statements} == closed
    assert selectors.allocation_of(next_year).statement_of(a.pk).due == Decimal("4000.01")
    with pytest.raises(ValidationError):
        services.year_open(actor=claire, convention=convention, year=2025)


def test_a_key_that_is_wrong_is_refused_with_its_reason_and_nothing_written(claire, ads):
    convention, year, item, (agglo, a, b) = ads
    _other, (stranger,) = convention_between(convention.cooperation, {"Ailleurs": 10})
    before = list(KeyTerm.objects.values_list("method", "weight"))
    wrong: list[tuple[dict, dict, str, str]] = [
        ({"population": 60, "use": 50}, {}, "terms", "110"),
        ({"fixed": 100}, {"fixed": {a: 70, b: 20}}, "figures", "90"),
        ({"fixed": 100}, {"fixed": {a: 120, b: -20}}, "figures", "négative"),
        ({"fixed": 100}, {"fixed": {a: 50, stranger: 50}}, "figures", "Ailleurs"),
        ({"fixed": 100}, {"fixed": {a: 50, agglo: 50}}, "figures", "Agglo"),
        ({"area": 100}, {}, "figures", "Surface"),
        ({"votes": 100}, {}, "terms", "votes"),
        ({"use": "beaucoup"}, {}, "terms", "beaucoup"),
    ]
    for terms, figures, field, said in wrong:
        with pytest.raises(ValidationError) as error:
            services.key_set(actor=claire, year=year, item=item, terms=terms, figures=figures)
        assert said in " ".join(error.value.message_dict[field]), (terms, figures)
    assert list(KeyTerm.objects.values_list("method", "weight")) == before
    assert not KeyFigure.objects.exists()


def test_a_finance_contact_declares_its_own_uses_only(claire, ads, nadia):
    _convention, year, item, (agglo, a, b) = ads
    services.convention_party_update(actor=claire, member=a, finance_contact=nadia)
    _declare(nadia, year, item, a, Decimal(12))
    with pytest.raises(PermissionDenied):
        _declare(nadia, year, item, b, Decimal(12))
    with pytest.raises(PermissionDenied):
        _declare(UserFactory(), year, item, a, Decimal(1))
    with pytest.raises(ValidationError):
        _declare(nadia, year, item, a, Decimal(-1))
    not_shared = item_costing(year, agglo, "Véhicule")
    not_shared.sharing_parties.set([b])
    with pytest.raises(ValidationError):
        services.uses_declare(
            actor=nadia,
            year=year,
            party=a,
            uses={
                item: DeclaredUnits(actual=Decimal(99)),
                not_shared: DeclaredUnits(actual=Decimal(1)),
            },
        )
    assert list(DeclaredUse.objects.values_list("party", "actual")) == [(a.pk, Decimal(12))]


def test_a_year_that_cannot_be_computed_is_not_closed_and_says_why(claire, ads):
    _convention, year, item, (_agglo, a, _b) = ads
    _declare(claire, year, item, a, Decimal(10))
    with pytest.raises(Conflict) as error:
        services.year_close(actor=claire, year=year)
    assert "usage non déclaré par Commune B" in str(error.value)
    year.refresh_from_db()
    assert year.is_open and year.version == 0 and not Statement.objects.exists()


def test_only_coordinators_edit_a_convention(ads, oscar, nadia):
    convention, year, item, _parties = ads
    for user in (oscar, nadia):
        with pytest.raises(PermissionDenied):
            services.key_set(actor=user, year=year, item=item, terms={"use": 100})
        with pytest.raises(PermissionDenied):
            services.year_close(actor=user, year=year)
        with pytest.raises(PermissionDenied):
            services.convention_update(actor=user, convention=convention, title="Autre")


def test_what_has_issued_statements_is_kept(claire, ads):
    convention, year, item, (agglo, a, b) = ads
    _declare(claire, year, item, a, Decimal(10))
    _declare(claire, year, item, b, Decimal(30))
    services.year_close(actor=claire, year=year)
    for deletion in (
        lambda: services.convention_delete(actor=claire, convention=convention),
        lambda: services.item_delete(actor=claire, item=item),
        lambda: services.convention_party_remove(actor=claire, member=b),
        lambda: services.convention_party_remove(actor=claire, member=agglo),
    ):
        with pytest.raises(Conflict):
            deletion()
