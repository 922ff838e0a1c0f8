from dataclasses import dataclass
from pathlib import Path

from maillage.accounts.models import User
from maillage.accounts.services import membership_set, user_create
from maillage.cooperations.models import Cooperation
from maillage.cooperations.services import cooperation_create
from maillage.core.commands import run_imports
from maillage.core.imports import Importer
from maillage.demo import data
from maillage.directory.services import organisation_create, person_create, position_add
from maillage.territories.enums import Country, TerritoryKind
from maillage.territories.importers import (
    CommunesImporter,
    DepartementsImporter,
    EpciCompositionImporter,
    EpciImporter,
    PopulationsImporter,
    RegionsImporter,
)
from maillage.territories.models import Territory, TerritoryMembership
from maillage.territories.services import area_create, territories_from_codes


@dataclass(frozen=True)
class DemoAccount:
    email: str
    label: str


def demo_is_loaded() -> bool:
    return User.objects.filter(email=data.ACCOUNTS[0]["email"]).exists()


COG = Path(__file__).resolve().parent.parent / "territories" / "data" / "cog"


def load_territories() -> None:
    """The official territories of the seed cases from the shipped INSEE extract, the Swiss
    cantons and the areas the seeds name, through the same importers and services as users."""
    steps: list[tuple[str, list[Importer]]] = [
        ("v_region_2025.csv", [RegionsImporter(actor=None)]),
        ("v_departement_2025.csv", [DepartementsImporter(actor=None)]),
        ("v_commune_2025.csv", [CommunesImporter(actor=None)]),
        (
            "Intercommunalite_Metropole_au_01-01-2025.xlsx",
            [EpciImporter(actor=None), EpciCompositionImporter(actor=None)],
        ),
        # PMUN of the 2025 file: the municipal populations of 2022 in force on 1 January 2025.
        (
            "populations_2025.csv",
            [
                PopulationsImporter(
                    actor=None, code_column="COM", population_column="PMUN", year=2022
                )
            ],
        ),
    ]
    for filename, importers in steps:
        for report in run_imports(COG / filename, importers, dry_run=False):
            if not report.ok:
                raise RuntimeError("; ".join(report.error_lines()[:5]))
    switzerland = Territory.objects.create(
        kind=TerritoryKind.COUNTRY, code="CH", country=Country.SWITZERLAND, name="Suisse"
    )
    france = Territory.objects.create(
        kind=TerritoryKind.COUNTRY, code="FR", country=Country.FRANCE, name="France"
    )
    TerritoryMembership.objects.bulk_create(
        TerritoryMembership(container=france, member=region)
        for region in Territory.objects.filter(kind=TerritoryKind.REGION)
    )
    for code, name in data.SWISS_CANTONS:
        canton = Territory.objects.create(
            kind=TerritoryKind.SWISS_CANTON, code=code, country=Country.SWITZERLAND, name=name
        )
        TerritoryMembership.objects.create(container=switzerland, member=canton)
    for area in data.AREAS:
        area_create(
            actor=None,
            kind=area["kind"],
            name=area["name"],
            description=area["description"],
            members=territories_from_codes("\n".join(area["members"])),
        )


def load_directory() -> None:
    organisations = {}
    for facts in data.ORGANISATIONS:
        fields = {k: v for k, v in facts.items() if k not in {"territory", "territory_name"}}
        if "territory" in facts:
            [fields["territory"]] = territories_from_codes(facts["territory"])
        elif "territory_name" in facts:
            fields["territory"] = Territory.objects.get(name=facts["territory_name"])
        organisations[facts["name"]] = organisation_create(
            actor=None, confirm_duplicate=True, **fields
        )
    for facts in data.PEOPLE:
        fields = {
            k: v for k, v in facts.items() if k in {"first_name", "last_name", "email", "note"}
        }
        if "account" in facts:
            fields["user"] = User.objects.get(email=facts["account"])
        person = person_create(actor=None, **fields)
        for organisation, title, kind in facts["positions"]:
            position_add(
                actor=None,
                person=person,
                organisation=organisations[organisation],
                title=title,
                kind=kind,
            )


def load_demo(*, password: str) -> list[DemoAccount]:
    """Create the demo through the same services as the interface, as the system."""
    load_territories()
    cooperations: dict[str, Cooperation] = {}
    for facts in data.COOPERATIONS:
        cooperations[facts["slug"]] = cooperation_create(actor=None, **facts)
    accounts = []
    for account in data.ACCOUNTS:
        user = user_create(
            actor=None,
            email=account["email"],
            password=password,
            first_name=account["first_name"],
            last_name=account["last_name"],
            is_staff=account.get("is_staff", False),
            email_verified=True,
        )
        if account.get("is_staff"):
            User.objects.filter(pk=user.pk).update(is_superuser=True)
        for slug, role in account["memberships"].items():
            membership_set(actor=None, cooperation=cooperations[slug], user=user, role=role)
        accounts.append(DemoAccount(account["email"], account["label"]))
    load_directory()
    return accounts


def demo_accounts() -> list[DemoAccount]:
    return [DemoAccount(a["email"], a["label"]) for a in data.ACCOUNTS]
