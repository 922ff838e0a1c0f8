"""A small-projects fund on the FPPT's rules and an application to it, for the tests and the
benchmark: (fund, its open call, an applicant's draft)."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from maillage.cooperations.models import Cooperation
from maillage.directory.models import Organisation
from maillage.funding import services
from maillage.funding.enums import EnvelopePeriod
from maillage.funding.models import Application, Call, Fund
from maillage.projects.models import ExchangeRate
from maillage.territories.models import Territory, TerritoryMembership

_codes = itertools.count(80000)
# A SIRET whose Luhn key is right (the SIREN 130 025 265 and NIC 00013).
SIRET = "13002526500013"


def territory(name: str, kind: str = "commune", country: str = "FR", inside=None) -> Territory:
    place = Territory.objects.create(kind=kind, code=str(next(_codes)), name=name, country=country)
    if inside is not None:
        TerritoryMembership.objects.create(container=inside, member=place, source="manual")
    return place


def organisation(name: str, kind: str = "association", place: Territory | None = None, **fields):
    return Organisation.objects.create(name=name, kind=kind, territory=place, **fields)


def small_projects_fund(cooperation: Cooperation, **fields) -> Fund:
    """The FPPT's rules: 10 000 CHF at most per project, a budget of 100 000 CHF at most,
    partners on both sides of the border, the proximity territory; envelopes of the year:
    50 000 CHF (Swiss side), 25 000 (Région), 25 000 (State)."""
    proximity = territory("Territoire de proximité", kind="custom_area")
    managing = organisation("Conférence TransJurassienne", kind="joint_syndicate", siret=SIRET)
    fund = services.fund_create(
        actor=None,
        cooperation=cooperation,
        name="Fonds petits projets",
        code="fppt",
        managing_body=managing,
        currency="CHF",
        envelope_period=EnvelopePeriod.YEARLY,
        max_aid=Decimal(10000),
        max_budget=Decimal(100000),
        cross_border=True,
        eligible_territories=[proximity],
        **fields,
    )
    year = timezone.localdate().year
    for name, amount in (("Côté suisse", 50000), ("Région", 25000), ("État", 25000)):
        services.envelope_add(
            actor=None,
            fund=fund,
            funder=organisation(name, kind="state_service"),
            year=year,
            amount=Decimal(amount),
            rate_on=dt.date(year, 1, 1),
        )
    ExchangeRate.objects.get_or_create(
        currency="CHF", valid_from=dt.date(2000, 1, 1), defaults={"rate": Decimal("1.05")}
    )
    return fund


def open_call(fund: Fund, **fields) -> Call:
    now = timezone.now()
    return services.call_create(
        actor=None,
        fund=fund,
        title=fields.pop("title", "Appel de l’année"),
        opens_at=fields.pop("opens_at", now - dt.timedelta(days=10)),
        closes_at=fields.pop("closes_at", now + dt.timedelta(days=20)),
        **fields,
    )


def draft(call: Call, user, *, requested="8000", budget="40000", partner=True) -> Application:
    """A draft that meets every rule of the fund (a French applicant in the proximity
    territory, a Swiss partner, 8 000 CHF asked for a 40 000 CHF budget)."""
    area = call.fund.eligible_territories.get()
    applicant = organisation(f"Association {next(_codes)}", place=territory("Morteau", inside=area))
    application = services.application_create(
        actor=user,
        call=call,
        applicant=applicant,
        contact_name="Camille Porteur",
        contact_email="camille@exemple.test",
        title="Rencontres musicales transfrontalières",
        summary="Trois concerts des deux côtés de la frontière.",
        requested_amount=Decimal(requested),
        territories=list(Territory.objects.filter(memberships_as_member__container=area)),
    )
    services.budget_line_add(
        actor=user,
        application=application,
        category="services",
        label="Cachets et technique",
        amount=Decimal(budget),
        currency="CHF",
    )
    if partner:
        swiss = organisation(
            "Ville du Locle", kind="swiss_authority", place=territory("Le Locle", country="CH")
        )
        services.partner_add(actor=user, application=application, organisation=swiss, country="CH")
    return application
