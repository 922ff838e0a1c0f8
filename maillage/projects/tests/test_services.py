from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from maillage.cooperations.tests.factories import CooperationFactory, OrganisationFactory
from maillage.projects import selectors, services
from maillage.projects.models import ExchangeRate, JournalEntry, Programme, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cooperation, claire):
    return services.project_create(actor=claire, cooperation=cooperation, title="Chaufferie bois")


def test_codes_follow_and_are_unique_in_a_cooperation(claire, cooperation, project):
    assert project.code == "001"
    assert services.project_create(actor=claire, cooperation=cooperation, title="B").code == "002"
    with pytest.raises(ValidationError) as error:
        services.project_create(actor=claire, cooperation=cooperation, title="C", code="001")
    assert "code" in error.value.message_dict
    other = CooperationFactory.create()
    assert (
        services.project_create(actor=None, cooperation=other, title="D", code="001").code == "001"
    )


def test_only_coordinators_create_projects(paula, cooperation):
    with pytest.raises(PermissionDenied):
        services.project_create(actor=paula, cooperation=cooperation, title="X")


def test_contacts_edit_their_project_and_change_its_status(paula, etienne, project, claire):
    services.project_update(actor=claire, project=project, contacts=[paula])
    services.project_update(actor=paula, project=project, summary="Résumé")
    with pytest.raises(PermissionDenied):
        services.project_update(actor=etienne, project=project, summary="Autre")
    entry = services.project_status_set(
        actor=paula, project=project, status="engaged", comment="Marché notifié"
    )
    assert entry is not None
    assert (entry.status_before, entry.status_after, entry.author) == ("idea", "engaged", paula)
    project.refresh_from_db()
    assert project.status == "engaged" and project.status_changed_on == timezone.localdate()
    assert services.project_status_set(actor=paula, project=project, status="engaged") is None


def test_an_unknown_status_is_refused_and_nothing_written(claire, project):
    with pytest.raises(ValidationError):
        services.project_status_set(actor=claire, project=project, status="done")
    assert project.journal.count() == 1


def test_bulk_status_writes_one_journal_entry_per_changed_project(claire, cooperation, project):
    other = services.project_create(
        actor=claire, cooperation=cooperation, title="B", status="engaged"
    )
    count = services.project_bulk_status(
        actor=claire,
        cooperation=cooperation,
        projects=[project, other],
        status="engaged",
        comment="CP",
    )
    assert count == 1
    assert JournalEntry.objects.filter(project=project, status_after="engaged", text="CP").exists()
    assert not JournalEntry.objects.filter(project=other, text="CP").exists()


def test_an_end_before_the_start_is_refused(claire, project):
    with pytest.raises(ValidationError) as error:
        services.project_update(
            actor=claire, project=project, start_date=date(2024, 1, 1), end_date=date(2023, 1, 1)
        )
    assert "end_date" in error.value.message_dict


def test_late_projects_are_found_by_their_end_date(claire, cooperation, project):
    yesterday = timezone.localdate() - timedelta(days=1)
    services.project_update(actor=claire, project=project, end_date=yesterday)
    done = services.project_create(
        actor=claire, cooperation=cooperation, title="Fini", end_date=yesterday, status="completed"
    )
    assert list(Project.objects.late()) == [project]
    assert project.late and not done.late
    counts = selectors.portfolio_counts(claire, cooperation, selectors.PortfolioFilters())
    assert counts.late == 1 and counts.total == 2


def test_links_must_belong_to_the_cooperation(claire, cooperation, project):
    other = CooperationFactory.create()
    from maillage.cooperations.services import theme_create

    foreign = theme_create(actor=None, cooperation=other, name="Ailleurs")
    with pytest.raises(ValidationError):
        services.project_update(actor=claire, project=project, themes=[foreign])


def test_the_financing_plan_converts_chf_at_the_stated_rate(claire, project):
    services.project_update(actor=claire, project=project, total_cost=Decimal("100000"))
    ExchangeRate.objects.create(
        currency="CHF", valid_from=date(2025, 1, 1), rate=Decimal("1.05"), source="BCE"
    )
    region, canton = (
        OrganisationFactory.create(name="Région"),
        OrganisationFactory.create(name="Canton"),
    )
    leader = Programme.objects.get(code="leader")
    services.financing_add(
        actor=claire,
        project=project,
        funder=region,
        programme=leader,
        amount=Decimal("50000"),
        status="granted",
    )
    services.financing_add(
        actor=claire,
        project=project,
        funder=canton,
        amount=Decimal("20000"),
        currency="CHF",
        status="requested",
    )
    plan = selectors.financing_plan(project, on=date(2025, 6, 1))
    assert plan.by_status["granted"] == Decimal("50000")
    assert plan.by_status["requested"] == Decimal("21000.00")
    assert plan.total_eur == Decimal("71000.00")
    assert plan.gap == Decimal("29000.00")
    assert [(name, share) for name, _amount, share in plan.by_funder] == [
        ("Région", Decimal("70.4")),
        ("Canton", Decimal("29.6")),
    ]
    assert [(r.currency, r.rate, r.source) for r in plan.rates_used] == [
        ("CHF", Decimal("1.050000"), "BCE")
    ]
    before_rate = selectors.financing_plan(project, on=date(2024, 6, 1))
    assert before_rate.missing_rates == ["CHF"]


def test_negative_amounts_are_refused(claire, project):
    with pytest.raises(ValidationError) as error:
        services.financing_add(
            actor=claire, project=project, funder=OrganisationFactory.create(), amount=Decimal("-1")
        )
    assert "amount" in error.value.message_dict


def test_indicator_progress_toward_its_target(claire, project):
    indicator = services.indicator_add(
        actor=claire,
        project=project,
        name="Logements rénovés",
        baseline=Decimal(10),
        target=Decimal(110),
    )
    services.indicator_value_add(
        actor=claire, indicator=indicator, date=date(2025, 1, 1), value=Decimal(60)
    )
    values = list(indicator.values.all())
    assert selectors.indicator_progress(indicator, values) == Decimal("50.0")


def test_deleting_a_project_is_reversible(alix, claire, project):
    from maillage.core.history import deleted_versions, restore_deleted

    services.financing_add(
        actor=claire, project=project, funder=OrganisationFactory.create(), amount=Decimal(1)
    )
    services.project_delete(actor=claire, project=project)
    assert not Project.objects.exists()
    restore_deleted(actor=alix, version=deleted_versions(Project).first(), comment="Rétabli")
    assert Project.objects.get().financing.count() == 1


def test_deleting_a_cooperation_takes_its_portfolio_and_restoring_brings_it_back(
    alix, cooperation, project
):
    from maillage.cooperations.models import Cooperation
    from maillage.cooperations.services import cooperation_delete
    from maillage.core.history import deleted_versions, restore_deleted

    services.financing_add(
        actor=None, project=project, funder=OrganisationFactory.create(), amount=Decimal(5)
    )
    cooperation_delete(actor=alix, cooperation=cooperation)
    assert not Project.objects.exists()
    restore_deleted(actor=alix, version=deleted_versions(Cooperation).first(), comment="Rétablie")
    assert Project.objects.get().financing.get().amount == Decimal(5)
