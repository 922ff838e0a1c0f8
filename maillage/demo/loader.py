from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.services import membership_set, user_create
from maillage.cooperations import services
from maillage.cooperations.enums import WorkingGroupKind
from maillage.cooperations.models import Cooperation, Invitation
from maillage.cooperations.services import cooperation_create
from maillage.core.commands import run_imports
from maillage.core.imports import Importer
from maillage.demo import data
from maillage.demo.conventions import load_conventions
from maillage.demo.forum import load_forum
from maillage.demo.funding import load_funds
from maillage.demo.news import load_news, load_resources
from maillage.demo.observatory import draw_party_outlines, load_observatory
from maillage.directory.models import Organisation, Person
from maillage.directory.services import organisation_create, person_create, position_add
from maillage.governance import services as governance_services
from maillage.portal.services import resource_create
from maillage.projects import services as project_services
from maillage.projects.models import ExchangeRate, Programme, Project
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


PARIS = ZoneInfo("Europe/Paris")
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
        # INSEE's country codes: flows to Switzerland name it 99140.
        kind=TerritoryKind.COUNTRY,
        code="99140",
        country=Country.SWITZERLAND,
        name="Suisse",
    )
    france = Territory.objects.create(
        kind=TerritoryKind.COUNTRY, code="99100", country=Country.FRANCE, name="France"
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


def _territories(codes: list[str]) -> list[Territory]:
    """Official codes, or `name:` for the composed areas the demo creates."""
    found = []
    for code in codes:
        if code.startswith("name:"):
            found.append(Territory.objects.get(name=code.removeprefix("name:")))
        else:
            found.extend(territories_from_codes(code))
    return found


def _strategy(cooperation: Cooperation, nodes: list, themes: dict, parent=None) -> dict:
    """Create strategy nodes depth first; returns them by title."""
    by_title = {}
    for code, title, description, theme_names, children, *level in nodes:
        node = services.strategy_node_create(
            actor=None,
            cooperation=cooperation,
            parent=parent,
            title=title,
            description=description,
            code="" if code == "-" else code,
            manual_code=bool(code),
            level_label=level[0] if level else "",
            themes=[themes[name] for name in theme_names],
        )
        by_title[title] = node
        by_title.update(_strategy(cooperation, children, themes, node))
    return by_title


def _representatives(group, count: int, start: int, organisations: list[Organisation]) -> None:
    for number in range(start, start + count):
        person = person_create(
            actor=None,
            first_name="Représentant·e",
            last_name=f"n° {number}",
            note=data.GENERATED_REPRESENTATIVE,
        )
        services.working_group_member_add(
            actor=None,
            group=group,
            person=person,
            organisation=organisations[number % len(organisations)],
        )


def load_cooperation_details(cooperation: Cooperation, details: dict) -> None:
    """A seed cooperation's stage path, period, parties, milestones, documents, strategy,
    working groups and proposals, through the services."""
    organisations = {o.name: o for o in Organisation.objects.all()}
    first, *later = details["stages"]
    Cooperation.objects.filter(pk=cooperation.pk).update(stage=first[0])
    cooperation.stage_changes.update(stage=first[0], entered_on=_date(first[1]))
    for stage, entered_on in later:
        services.cooperation_stage_set(
            actor=None, cooperation=cooperation, stage=stage, entered_on=_date(entered_on)
        )
    cooperation.refresh_from_db()
    period = details.get("period", {})
    changes: dict[str, Any] = {
        "start_date": _date(period.get("start_date")),
        "duration_years": period.get("duration_years"),
    }
    for name in ("description", "strategy_levels"):
        if name in details:
            changes[name] = details[name]
    services.cooperation_update(
        actor=None,
        cooperation=cooperation,
        territories=_territories(details["territories"]),
        **changes,
    )
    for name, role, signatory_title, signatory in details.get("parties", []):
        services.party_add(
            actor=None,
            cooperation=cooperation,
            organisation=organisations[name],
            role=role,
            signatory_title=signatory_title,
            signatory=Person.objects.get(first_name=signatory[0], last_name=signatory[1])
            if signatory
            else None,
        )
    for milestone in details.get("milestones", []):
        services.milestone_create(
            actor=None,
            cooperation=cooperation,
            **{**milestone, "date": _date(milestone.get("date"))},
        )
    for title in details.get("references", []):
        # The seeds name these documents without providing them: references without a file.
        services.document_add(actor=None, cooperation=cooperation, kind="reference", title=title)
    themes = {
        name: services.theme_create(
            actor=None, cooperation=cooperation, name=name, description=description
        )
        for name, description in details.get("themes", [])
    }
    nodes = _strategy(cooperation, details.get("strategy", []), themes)
    groups = {}
    start = 1
    for facts in details.get("groups", []):
        group = services.working_group_create(
            actor=None, cooperation=cooperation, name=facts["name"], theme=themes[facts["theme"]]
        )
        representing = [organisations[name] for name in details["representing"]]
        _representatives(group, facts["representatives"], start, representing)
        start += facts["representatives"]
        groups[facts["name"]] = group
    for name in details.get("tables", []):
        groups[name] = services.working_group_create(
            actor=None, cooperation=cooperation, name=name, kind=WorkingGroupKind.THEMATIC_TABLE
        )
    for number in range(1, details.get("generated_groups", 0) + 1):
        services.working_group_create(
            actor=None,
            cooperation=cooperation,
            name=f"Groupe de travail n° {number}",
            description=data.GENERATED_GROUP,
        )
    for group, title, status, node_titles in details.get("proposals", []):
        services.proposal_create(
            actor=None,
            cooperation=cooperation,
            title=title,
            working_group=groups[group],
            status=status,
            strategy_nodes=[nodes[node] for node in node_titles],
            visibility=cooperation.visibility,
        )


def load_projects(cooperations: dict[str, Cooperation]) -> None:
    """The seed projects, their financing plans (illustrative) and the Cambrésis portfolio."""
    organisations = {o.name: o for o in Organisation.objects.all()}
    programmes = {p.code: p for p in Programme.objects.all()}
    valid_from, rate, source = data.CHF_RATE
    ExchangeRate.objects.create(
        currency="CHF", valid_from=date.fromisoformat(valid_from), rate=Decimal(rate), source=source
    )
    for slug, projects in data.PROJECTS.items():
        cooperation = cooperations[slug]
        for code, title, owner, status, structuring, proposal, lines in projects:
            project = project_services.project_create(
                actor=None,
                cooperation=cooperation,
                code=code,
                title=title,
                owner=organisations[owner],
                status=status,
                structuring=structuring,
                visibility=cooperation.visibility,
                proposal=cooperation.proposals.get(title=proposal) if proposal else None,
                strategy_nodes=cooperation.proposals.get(title=proposal).strategy_nodes.all()
                if proposal
                else [],
                description=data.ILLUSTRATIVE if lines else "",
            )
            for funder, programme, amount, currency, line_status in lines:
                project_services.financing_add(
                    actor=None,
                    project=project,
                    funder=organisations[funder],
                    programme=programmes[programme],
                    amount=Decimal(amount),
                    currency=currency,
                    status=line_status,
                )
    load_cambresis_portfolio(cooperations["cambresis"], organisations)


def load_project_contacts(cooperations: dict[str, Cooperation]) -> None:
    """The demo accounts that are the contact of projects: each role shows what it is for."""
    for account in data.ACCOUNTS:
        user = User.objects.get(email=account["email"])
        for slug, codes in account.get("contact_of", {}).items():
            for project in cooperations[slug].projects.filter(code__in=codes):
                project_services.project_update(
                    actor=None, project=project, contacts=[*project.contacts.all(), user]
                )


def load_cambresis_portfolio(cooperation: Cooperation, organisations: dict) -> None:
    """280 projects: the 12 departmental major works (3 named), the named territory projects,
    the rest generated and labelled; the first 91 engaged, the others programmed."""
    departement = organisations["Département du Nord"]
    epci = [
        organisations["Communauté d’agglomération de Cambrai"],
        organisations["Communauté d’agglomération du Caudrésis et du Catésis"],
        organisations["Communauté de communes du Pays Solesmois"],
    ]
    rows: list[tuple[str, Organisation, bool, str]] = []
    for number in range(data.CAMBRESIS_STRUCTURING):
        if number < len(data.CAMBRESIS_MAJOR_WORKS):
            rows.append((data.CAMBRESIS_MAJOR_WORKS[number], departement, True, ""))
        else:
            title = f"Grande maîtrise d’ouvrage départementale n° {number + 1}"
            rows.append((title, departement, True, data.GENERATED_PROJECT))
    rows += [(title, organisations[owner], False, "") for title, owner in data.CAMBRESIS_NAMED]
    for number in range(len(rows) + 1, data.CAMBRESIS_TOTAL + 1):
        rows.append(
            (
                f"Projet du plan d’actions n° {number}",
                epci[number % 3],
                False,
                data.GENERATED_PROJECT,
            )
        )
    for index, (title, owner, structuring, description) in enumerate(rows):
        project_services.project_create(
            actor=None,
            cooperation=cooperation,
            code=f"{index + 1:03d}",
            title=title,
            owner=owner,
            structuring=structuring,
            description=description,
            visibility=cooperation.visibility,
            status="engaged" if index < data.CAMBRESIS_ENGAGED else "ready",
            status_changed_on=date(2011, 7, 7),
        )


def _moment(day: str, time: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time_of_day.fromisoformat(time), tzinfo=PARIS)


def load_governance(cooperations: dict[str, Cooperation]) -> None:
    """Cap Rural's exploration session (an event of its own, on its page) and the Brest–COB
    comité de suivi."""
    facts: dict[str, Any] = dict(data.CAP_RURAL_SESSION)
    cap_rural = Organisation.objects.get(name=facts.pop("organiser"))
    session = governance_services.event_create(
        actor=None,
        organiser=cap_rural,
        start=_moment(*facts.pop("start")),
        end=_moment(*facts.pop("end")),
        registration_deadline=_moment(*facts.pop("registration_deadline")),
        description=f"{facts.pop('description')}\n{_programme_lines()}",
        **facts,
    )
    resource_create(
        actor=None,
        cooperation=None,
        organisation=cap_rural,
        kind="presentation",
        title="Programme de la session d’exploration (texte)",
        date=session.start.date(),
        themes="réciprocité, ville-campagne",
        file=ContentFile(_programme(session).encode(), name="programme-session.txt"),
    )
    brest = cooperations["brest-cob"]
    committee: dict[str, Any] = dict(data.BREST_COMMITTEE)
    members = committee.pop("members")
    body = governance_services.body_create(
        actor=None, cooperation=brest, visibility=brest.visibility, **committee
    )
    organisations = {o.name: o for o in Organisation.objects.all()}
    for (first_name, last_name), organisation, position in members:
        governance_services.body_member_add(
            actor=None,
            body=body,
            person=Person.objects.get(first_name=first_name, last_name=last_name),
            organisation=organisations[organisation],
            position=position,
        )
    sittings = {}
    for day in data.BREST_COMMITTEE_MEETINGS:
        sittings[int(day[:4])] = governance_services.meeting_create(
            actor=None,
            cooperation=brest,
            body=body,
            title=f"{body.name} {day[:4]}",
            start=_moment(day, "14:00"),
            end=_moment(day, "17:00"),
            place="Carhaix-Plouguer",
            description=data.DEMO_DATE,
            visibility=brest.visibility,
        )
    for year, code, kind, text, status in data.BREST_DECISIONS:
        sitting = sittings[year]
        governance_services.decision_record(
            actor=None,
            body=body,
            meeting=sitting,
            date=sitting.start.date(),
            kind=kind,
            text=text,
            projects=[Project.objects.get(cooperation=brest, code=code)],
            project_status=status,
        )
    minutes = governance_services.minutes_save(
        actor=None,
        meeting=sittings[2017],
        text=data.BREST_MINUTES_2017,
        visibility=brest.visibility,
    )
    for status, approved_at in (
        ("circulated", None),
        ("approved", sittings[2018]),
        ("published", None),
    ):
        governance_services.minutes_advance(
            actor=None, minutes=minutes, status=status, approved_at=approved_at
        )
    _bodies_with_meetings(cooperations)


def _programme_lines() -> str:
    """Cap Rural's programme, a numbered line per speech and its speakers below."""
    lines = []
    for number, (title, speakers) in enumerate(data.CAP_RURAL_AGENDA, start=1):
        lines.append(f"{number}. {title}")
        if speakers:
            lines.append(f"   {speakers}")
    return "\n".join(lines)


def _programme(meeting) -> str:
    """An event's programme as plain text (a demo document)."""
    lines = [meeting.title, f"{meeting.start:%d/%m/%Y %H:%M} – {meeting.end:%H:%M}", meeting.place]
    return "\n".join([*lines, data.GENERATED_DOCUMENT, "", _programme_lines()]) + "\n"


def _bodies_with_meetings(cooperations: dict[str, Cooperation]) -> None:
    """The Cambrésis bodies and its 8 partnership conferences; the CTJ's bodies and Matinée."""
    cambresis = cooperations["cambresis"]
    bodies = {}
    for name, kind, purpose in data.CAMBRESIS_BODIES:
        bodies[name] = governance_services.body_create(
            actor=None,
            cooperation=cambresis,
            name=name,
            kind=kind,
            purpose=purpose,
            visibility=cambresis.visibility,
        )
    for number, day in enumerate(data.CAMBRESIS_CONFERENCES, start=1):
        governance_services.meeting_create(
            actor=None,
            cooperation=cambresis,
            body=bodies["Conférence partenariale"],
            title=f"Conférence partenariale n° {number}",
            kind="conference",
            start=_moment(day, "09:30"),
            end=_moment(day, "12:30"),
            description=data.DEMO_DATE.replace("(au moins une fois par an)", "(8 conférences)"),
            visibility=cambresis.visibility,
        )
    arc = cooperations["arc-jurassien"]
    for name, kind, purpose in data.CTJ_BODIES:
        governance_services.body_create(
            actor=None,
            cooperation=arc,
            name=name,
            kind=kind,
            purpose=purpose,
            visibility=arc.visibility,
        )
    matinee = dict(data.CTJ_MATINEE)
    day = matinee.pop("day")
    governance_services.meeting_create(
        actor=None,
        cooperation=arc,
        start=_moment(day, "09:00"),
        end=_moment(day, "12:30"),
        visibility=arc.visibility,
        **matinee,
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_demo(*, password: str) -> list[DemoAccount]:
    """Create the demo through the same services as the interface, as the system."""
    load_territories()
    load_observatory()
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
    for slug, details in data.DETAILS.items():
        load_cooperation_details(cooperations[slug], details)
    load_projects(cooperations)
    load_project_contacts(cooperations)
    load_governance(cooperations)
    load_conventions(cooperations)
    load_funds(cooperations, {user.email: user for user in User.objects.all()})
    load_invitations(cooperations)
    load_news(cooperations)
    load_resources(cooperations)
    load_forum(cooperations)
    draw_party_outlines()
    return accounts


def load_invitations(cooperations: dict[str, Cooperation]) -> None:
    """Invitations waiting on the members page: sent through the service, then dated back."""
    sender = User.objects.get(email=data.INVITATIONS_SENDER)
    for facts in data.INVITATIONS:
        invitation = services.invitation_create(
            actor=sender,
            cooperation=cooperations[facts["cooperation"]],
            email=facts["email"],
            role=facts["role"],
        )
        sent = timezone.now() - timedelta(days=facts["days_ago"])
        Invitation.objects.filter(pk=invitation.pk).update(created_at=sent)


def demo_accounts() -> list[DemoAccount]:
    return [DemoAccount(a["email"], a["label"]) for a in data.ACCOUNTS]
