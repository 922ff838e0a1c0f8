"""The demo's mutualisation conventions, written through the services.

Seed 004 names the Briey–ST2b "convention d’assistance et de moyens" (its date is left blank:
"a signé le ……") and what it shares — staff, equipment, premises, some expenses — but no
figure: every amount, hour, kilometre and square metre below is illustrative, and the
conventions say so. The service commun of building-permit instruction of the agglomeration
of Cambrai is not from the seeds at all: the issue asks for one such demo EPCI.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from maillage.accounts.models import User
from maillage.cooperations.models import Cooperation, Party
from maillage.cooperations.services import party_add
from maillage.directory.models import Person
from maillage.directory.services import organisation_create
from maillage.mutualisation import services
from maillage.mutualisation.enums import (
    ComponentKind,
    ConventionKind,
    CostSource,
    ItemKind,
    KeyMethod,
    Settlement,
    WorkUnit,
)
from maillage.mutualisation.models import AllocationYear, Convention, ConventionParty, SharedItem
from maillage.territories.models import Territory

PARIS = ZoneInfo("Europe/Paris")
ILLUSTRATIVE = "Montants illustratifs (démonstration) : la source n’en donne aucun."
PAYS, ST2B = "Pays du bassin de Briey", "ST2b — syndicat mixte des transports du bassin de Briey"
CLOSED_YEARS, CURRENT_YEAR = (2023, 2024, 2025), 2026

# Briey–ST2b: each item with its unit, its key, and per year its cost components and the units
# each party used (Pays, ST2b). Closed years come from the administrative accounts, the
# current one from the budget.
BRIEY_ITEMS: list[dict[str, Any]] = [
    {
        "name": "Direction (directeur du Pays mis à disposition du ST2b)",
        "kind": ItemKind.STAFF,
        "unit": WorkUnit.FTE,
        "description": "Le directeur du Pays dirige aussi le ST2b, pour une part de son temps.",
        "person": ("Jean", "Directeur"),
        "key": {KeyMethod.FTE: 100},
        "fte": (Decimal("0.7"), Decimal("0.3")),
        "costs": {
            2023: {ComponentKind.STAFF: "68400"},
            2024: {ComponentKind.STAFF: "70100"},
            2025: {ComponentKind.STAFF: "71900"},
            2026: {ComponentKind.STAFF: "73500"},
        },
    },
    {
        "name": "Chargée de mission mobilité",
        "kind": ItemKind.STAFF,
        "unit": WorkUnit.HOURS,
        "description": "Un poste du Pays, partagé au temps passé pour chaque structure.",
        "key": {KeyMethod.USE: 100},
        "costs": {
            2023: {ComponentKind.STAFF: "48600", ComponentKind.SUPPLIES: "1200"},
            2024: {ComponentKind.STAFF: "50100", ComponentKind.SUPPLIES: "1250"},
            2025: {ComponentKind.STAFF: "51700", ComponentKind.SUPPLIES: "1300"},
            2026: {ComponentKind.STAFF: "53000", ComponentKind.SUPPLIES: "1350"},
        },
        "uses": {2023: (960, 647), 2024: (900, 707), 2025: (850, 757), 2026: (800, 807)},
    },
    {
        "name": "Bureaux au siège du Pays",
        "kind": ItemKind.PREMISES,
        "unit": WorkUnit.SQUARE_METRES,
        "description": "Loyer, charges et ménage, répartis selon la surface occupée.",
        "key": {KeyMethod.AREA: 100},
        "areas": (160, 40),
        "costs": {
            2023: {ComponentKind.OTHER: "19800", ComponentKind.CONTRACTS: "2900"},
            2024: {ComponentKind.OTHER: "20200", ComponentKind.CONTRACTS: "3000"},
            2025: {ComponentKind.OTHER: "20600", ComponentKind.CONTRACTS: "3100"},
            2026: {ComponentKind.OTHER: "21000", ComponentKind.CONTRACTS: "3150"},
        },
    },
    {
        "name": "Véhicule de service",
        "kind": ItemKind.EQUIPMENT,
        "unit": WorkUnit.KILOMETRES,
        "description": "Amortissement, carburant et assurance, au kilométrage de chacun.",
        "key": {KeyMethod.USE: 100},
        "costs": {
            year: {
                ComponentKind.RENEWAL: "4000",
                ComponentKind.SUPPLIES: fuel,
                ComponentKind.CONTRACTS: insurance,
            }
            for year, fuel, insurance in (
                (2023, "1900", "850"),
                (2024, "2100", "870"),
                (2025, "2050", "890"),
                (2026, "2000", "900"),
            )
        },
        "uses": {2023: (6500, 8200), 2024: (6100, 8900), 2025: (5900, 9100), 2026: (6000, 9000)},
    },
    {
        "name": "Frais partagés (affranchissement, reprographie, logiciels)",
        "kind": ItemKind.EXPENSE,
        "unit": WorkUnit.UNITS,
        "description": "Répartis par parts fixes, fixées par la convention.",
        "key": {KeyMethod.FIXED: 100},
        "shares": (75, 25),
        "costs": {
            2023: {ComponentKind.SUPPLIES: "5400", ComponentKind.CONTRACTS: "2200"},
            2024: {ComponentKind.SUPPLIES: "5500", ComponentKind.CONTRACTS: "2250"},
            2025: {ComponentKind.SUPPLIES: "5650", ComponentKind.CONTRACTS: "2300"},
            2026: {ComponentKind.SUPPLIES: "5800", ComponentKind.CONTRACTS: "2350"},
        },
    },
]
# The ST2b's payments on account (it pays the Pays twice a year).
BRIEY_ADVANCES = {2023: "15000", 2024: "15500", 2025: "16000", 2026: "16500"}
# 2024 was corrected after closing: the vehicle's mileage had been misread.
BRIEY_CORRECTION = (2024, 8400, "Relevé kilométrique du véhicule corrigé (8 400 km pour le ST2b)")

ADS_COSTS = {
    2024: {"staff": "182000", "supplies": "6300", "renewal": "3200", "contracts": "14400"},
    2025: {"staff": "186500", "supplies": "6500", "renewal": "3200", "contracts": "14800"},
    2026: {"staff": "191000", "supplies": "6700", "renewal": "3400", "contracts": "15200"},
}
ADS_COMMUNES = 12


def _drop_carried_costs(year: AllocationYear) -> None:
    """A new year starts with the last one's costs: the demo gives each year its own."""
    for cost in year.costs.select_related("year__convention"):
        services.cost_delete(actor=None, cost=cost)


def _cost(year: AllocationYear, item: SharedItem, component: str, amount: str) -> None:
    services.cost_add(
        actor=None,
        year=year,
        item=item,
        component=component,
        source=CostSource.BUDGET if year.year == CURRENT_YEAR else CostSource.ACCOUNTS,
        amount=Decimal(amount),
        note="" if year.year == CURRENT_YEAR else f"Compte administratif {year.year}",
    )


def _declare(
    year: AllocationYear,
    item: SharedItem,
    units: dict[ConventionParty, int],
    declared_now: tuple[ConventionParty, ...] = (),
) -> None:
    """Units actually used in a closed year; in the current one, the forecast, and the actual
    units of the parties in `declared_now` only (the others declare at the end of the year)."""
    for party, value in units.items():
        actual = year.year != CURRENT_YEAR or party in declared_now
        declared = services.DeclaredUnits(
            forecast=Decimal(value), actual=Decimal(value) if actual else None
        )
        services.uses_declare(actor=None, year=year, party=party, uses={item: declared})


def load_briey(cooperation: Cooperation) -> Convention:
    convention = services.convention_create(
        actor=None,
        cooperation=cooperation,
        title="Convention d’assistance et de moyens Pays du bassin de Briey – ST2b",
        kind=ConventionKind.ASSISTANCE,
        purpose=(
            "Mise à disposition par le Pays de personnels, de matériel et de locaux, et partage "
            "de certaines dépenses, pour partager les compétences et faire circuler "
            "l’information entre le développement durable (Pays), la mobilité (ST2b) et "
            "l’urbanisme (SCoT Nord 54). " + ILLUSTRATIVE
        ),
        date_note="date laissée en blanc dans la source (« a signé le …… »)",
        tacit_renewal=True,
        settlement=Settlement.REIMBURSEMENT,
    )
    parties = {p.organisation.name: p for p in cooperation.parties.select_related("organisation")}
    pays = services.convention_party_add(actor=None, convention=convention, party=parties[PAYS])
    st2b = services.convention_party_add(
        actor=None,
        convention=convention,
        party=parties[ST2B],
        finance_contact=User.objects.get(email="observateur@maillage.test"),
    )
    items = {
        facts["name"]: services.item_create(
            actor=None,
            convention=convention,
            name=facts["name"],
            kind=facts["kind"],
            unit=facts["unit"],
            provider=pays,
            person=Person.objects.get(first_name=facts["person"][0], last_name=facts["person"][1])
            if "person" in facts
            else None,
            description=facts["description"],
        )
        for facts in BRIEY_ITEMS
    }
    for year_number in (*CLOSED_YEARS, CURRENT_YEAR):
        year = services.year_open(actor=None, convention=convention, year=year_number)
        _drop_carried_costs(year)
        for facts in BRIEY_ITEMS:
            item = items[facts["name"]]
            for component, amount in facts["costs"][year_number].items():
                _cost(year, item, component, amount)
            figures: dict[str, dict[ConventionParty, Decimal | int]] = {}
            if "fte" in facts:
                figures[KeyMethod.FTE] = dict(zip((pays, st2b), facts["fte"], strict=True))
            if "areas" in facts:
                figures[KeyMethod.AREA] = dict(zip((pays, st2b), facts["areas"], strict=True))
            if "shares" in facts:
                figures[KeyMethod.FIXED] = dict(zip((pays, st2b), facts["shares"], strict=True))
            services.key_set(actor=None, year=year, item=item, terms=facts["key"], figures=figures)
            if "uses" in facts:
                used = facts["uses"][year_number]
                _declare(year, item, {pays: used[0], st2b: used[1]}, declared_now=(pays,))
        services.advance_add(
            actor=None,
            year=year,
            party=st2b,
            amount=Decimal(BRIEY_ADVANCES[year_number]),
            paid_on=date(year_number, 6, 30),
        )
        if year_number in CLOSED_YEARS:
            services.year_close(actor=None, year=year)
    corrected, kilometres, reason = BRIEY_CORRECTION
    year = convention.years.get(year=corrected)
    coordinator = User.objects.get(email="coordination@maillage.test")
    services.year_reopen(actor=coordinator, year=year, reason=reason)
    _declare(year, items["Véhicule de service"], {st2b: kilometres})
    services.year_close(actor=coordinator, year=year)
    return convention


def _commune_parties(cooperation: Cooperation, epci: Territory) -> list[Party]:
    communes = Territory.objects.communes_under(epci).order_by("-population", "name")
    parties = []
    for commune in communes[:ADS_COMMUNES]:
        organisation = organisation_create(
            actor=None,
            confirm_duplicate=True,
            name=("Commune d’" if commune.name[0] in "AEIOUYÉÈÊÎÔ" else "Commune de ")
            + commune.name,
            kind="local_authority",
            territory=commune,
        )
        parties.append(
            party_add(
                actor=None, cooperation=cooperation, organisation=organisation, role="signatory"
            )
        )
    return parties


def load_ads(cooperation: Cooperation) -> Convention:
    """The agglomeration instructs its communes' building permits; each commune pays by the
    files instructed for it, deducted from its attribution de compensation."""
    epci = Territory.objects.get(kind="epci", code="200068500")
    convention = services.convention_create(
        actor=None,
        cooperation=cooperation,
        title="Service commun d’instruction des autorisations du droit des sols (ADS)",
        kind=ConventionKind.COMMON_SERVICE,
        purpose=(
            "Le service instruit les permis de construire, d’aménager et de démolir et les "
            "déclarations préalables des communes adhérentes (L5211-4-2 du CGCT). Exemple de "
            "démonstration : montants et nombres de dossiers illustratifs."
        ),
        signed_on=date(2023, 12, 14),
        start_date=date(2024, 1, 1),
        tacit_renewal=True,
        settlement=Settlement.COMPENSATION,
    )
    agglomeration = cooperation.parties.get(organisation__siren="200068500")
    provider = services.convention_party_add(actor=None, convention=convention, party=agglomeration)
    communes = [
        services.convention_party_add(actor=None, convention=convention, party=party)
        for party in _commune_parties(cooperation, epci)
    ]
    item = services.item_create(
        actor=None,
        convention=convention,
        name="Instruction ADS",
        kind=ItemKind.SERVICE,
        unit=WorkUnit.FILES,
        provider=provider,
        sharing_parties=communes,
        description="Trois instructeurs, leurs postes et le logiciel d’instruction.",
    )
    populations = {
        party.pk: getattr(party.party.organisation.territory, "population", 0) or 0
        for party in communes
    }
    for year_number, costs in ADS_COSTS.items():
        year = services.year_open(actor=None, convention=convention, year=year_number)
        _drop_carried_costs(year)
        for component, amount in costs.items():
            _cost(year, item, component, amount)
        services.key_set(actor=None, year=year, item=item, terms={KeyMethod.USE: 100})
        # Files instructed: about one per 60 inhabitants, varying from year to year.
        _declare(
            year,
            item,
            {
                party: max(4, populations[party.pk] // 60) + (rank * 7 + year_number) % 11
                for rank, party in enumerate(communes)
            },
        )
        if year_number != CURRENT_YEAR:
            services.year_close(actor=None, year=year)
    return convention


def _date_closings_back(convention: Convention) -> None:
    """Closed as a finance officer would: each year in the March after it (a correction in the
    June), not all on the day the demo was loaded. Dated back as the invitations are."""
    for year in convention.years.exclude(version=0):
        for version in range(1, year.version + 1):
            moment = datetime(
                year.year + 1, 3 if version == 1 else 6, 14 + version, 10, tzinfo=PARIS
            )
            year.statements.filter(version=version).update(issued_at=moment)
        AllocationYear.objects.filter(pk=year.pk).update(closed_at=moment)


def load_conventions(cooperations: dict[str, Cooperation]) -> None:
    for convention in (
        load_briey(cooperations["briey-st2b"]),
        load_ads(cooperations["ads-cambrai"]),
    ):
        _date_closings_back(convention)
