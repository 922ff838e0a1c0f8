"""The demo's funds, written through the services.

The CTJ's "Fonds Petits Projets Transfrontaliers" (seed 002) with the rules its managing body
publishes (100 000 CHF a year: half from the Swiss side, a quarter each from the Région
Bourgogne-Franche-Comté and the State; 10 000 CHF at most per project, for a budget of
100 000 CHF at most; partners on both sides of the border; in one of the 4 proximity
territories), its autumn 2017 call and a call open today; and the Pays du bassin de Briey's
LEADER programme (seed 004: 1.3 M€ of European credit) with fiches-actions on its 4 enjeux
and its programming committee's double quorum. The applications are made up: their titles
say so ("dossier fictif"), and so does each applicant organisation.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from maillage.accounts.models import User
from maillage.cooperations.models import Cooperation
from maillage.directory.models import Organisation, Person
from maillage.directory.services import organisation_create
from maillage.funding import services
from maillage.funding.enums import EnvelopePeriod, Outcome, PaymentKind
from maillage.funding.models import Application, Call, Fund, Measure, StatusChange
from maillage.governance import services as governance_services
from maillage.governance.enums import AttendanceStatus, BodyKind, College
from maillage.governance.models import Meeting
from maillage.territories.models import Territory

PARIS = ZoneInfo("Europe/Paris")
MADE_UP = "Dossier fictif de démonstration."
FPPT_GRID = [
    ("Dimension transfrontalière du projet", Decimal(8)),
    ("Contribution au vivre-ensemble (axe 4)", Decimal(8)),
    ("Faisabilité et budget", Decimal(4)),
]
LEADER_GRID = [
    ("Ancrage territorial", Decimal(5)),
    ("Caractère innovant", Decimal(5)),
    ("Partenariat", Decimal(4)),
    ("Effets sur l’emploi ou les services", Decimal(5)),
    ("Développement durable", Decimal(4)),
]
FPPT_PROJECTS = [
    "Fête de la musique transfrontalière",
    "Marché de Noël franco-suisse",
    "Échanges scolaires entre classes primaires",
    "Randonnée des deux rives du Doubs",
    "Festival de théâtre amateur",
    "Rencontres des jeunes agriculteurs",
    "Chorales sans frontière",
    "Tournoi de hockey des jeunes",
    "Guide bilingue des producteurs locaux",
    "Atelier d’horlogerie pour les jeunes",
    "Ciné-club transfrontalier",
    "Course de la frontière",
    "Bibliothèque itinérante",
    "Journées du patrimoine partagé",
    "Forum des associations",
    "Conte et mémoire ouvrière",
    "Atelier photo des deux côtés",
    "Semaine de la mobilité douce",
    "Exposition sur la contrebande",
    "Jardins partagés transfrontaliers",
    "Café des langues",
    "Carnaval des enfants",
]
# Where each generated FPPT application ends up, in order (22 in all, every status).
FPPT_PATH = [
    "closed",
    "closed",
    "in_payment",
    "contracted",
    "contracted",
    "approved",
    "conditions",
    "postponed",
    "rejected",
    "withdrawn",
    "ineligible",
    "assessment",
    "assessment",
    "assessment",
    "eligible",
    "eligible",
    "returned",
    "submitted",
    "submitted",
    "draft",
    "draft",
    "approved",
]
LEADER_PROJECTS = [
    (0, "Pépinière d’entreprises artisanales", "closed"),
    (0, "Plateforme numérique des commerces de proximité", "in_payment"),
    (1, "Réhabilitation d’un îlot de logements vacants", "contracted"),
    (2, "Maison de services au public itinérante", "approved"),
    (2, "Transport à la demande vers les services de santé", "assessment"),
    (3, "Chantier d’insertion des jeunes", "postponed"),
    (3, "Fête intercommunale des solidarités", "rejected"),
    (1, "Sentiers de découverte des paysages miniers", "submitted"),
]


@dataclass
class Cast:
    staff: User
    applicant: User
    reviewers: list[User]


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


def _organisation(name: str, kind: str, territory: Territory | None = None) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    return found or organisation_create(
        actor=None, name=name, kind=kind, territory=territory, confirmed=True
    )


def _committee(cooperation: Cooperation, name: str, members: Sequence[tuple[str, str]], **fields):
    body = governance_services.body_create(
        actor=None,
        cooperation=cooperation,
        name=name,
        kind=BodyKind.STEERING_COMMITTEE,
        visibility=cooperation.visibility,
        **fields,
    )
    people = []
    for index, (college, role) in enumerate(members, start=1):
        person = Person.objects.create(first_name=role, last_name=f"(membre {index})")
        governance_services.body_member_add(actor=None, body=body, person=person, college=college)
        people.append(person)
    return body, people


def _meeting(body, day: date, present: list[Person]) -> Meeting:
    meeting = governance_services.meeting_create(
        actor=None,
        cooperation=body.cooperation,
        body=body,
        title=f"{body.name} du {day:%d/%m/%Y}",
        start=_moment(day, 14),
        end=_moment(day, 17),
        visibility=body.visibility,
    )
    for person in present:
        governance_services.attendance_record(
            actor=None, meeting=meeting, person=person, status=AttendanceStatus.PRESENT
        )
    return meeting


def _applicants(area: Territory, count: int, kind: str = "association") -> Iterator[Organisation]:
    places = list(Territory.objects.under(area).filter(kind="commune").order_by("code")[:count])
    for index in range(count):
        place = places[index % len(places)] if places else area
        yield _organisation(f"Association fictive n° {index + 1} de {place.name}", kind, place)


def _apply(
    call: Call,
    cast: Cast,
    *,
    title: str,
    applicant: Organisation,
    requested: Decimal,
    budget: Decimal,
    currency: str,
    territory: Territory,
    measure: Measure | None,
    partner: Organisation | None,
) -> Application:
    application = services.application_create(
        actor=cast.applicant,
        call=call,
        applicant=applicant,
        measure=measure,
        contact_name=cast.applicant.get_full_name(),
        contact_email=cast.applicant.email,
        title=f"{title} (dossier fictif)",
        summary=MADE_UP,
        expected_results="Participants des deux côtés, articles de presse, bilan partagé.",
        requested_amount=requested,
        territories=[territory],
    )
    half = (budget / 2).quantize(Decimal("0.01"))
    for category, label, amount in (
        ("services", "Prestations et intervenants", half),
        ("communication", "Communication et édition", budget - half),
    ):
        services.budget_line_add(
            actor=cast.applicant,
            application=application,
            category=category,
            label=label,
            amount=amount,
            currency=currency,
        )
    required = call.questions.filter(required=True, kind="text")
    if required:
        services.answers_save(
            actor=cast.applicant,
            application=application,
            answers=dict.fromkeys(required, "Une centaine de chaque côté (réponse fictive)."),
        )
    if partner is not None:
        services.partner_add(
            actor=cast.applicant,
            application=application,
            organisation=partner,
            country=partner.territory.country if partner.territory else "FR",
        )
    return application


def _date_journal_back(application: Application, start: datetime, end: date) -> None:
    """The journal's changes, written now, spread between the submission and the last step."""
    changes = list(application.status_changes.order_by("pk"))
    span = max(_moment(end, 16) - start, timedelta(hours=len(changes)))
    for index, change in enumerate(changes):
        change.at = start + span * index / max(len(changes) - 1, 1)
    StatusChange.objects.bulk_update(changes, ["at"])


def _votes(meeting: Meeting | None, outcome: str) -> services.Votes | None:
    """Made-up votes of the members present: unanimous but one abstention, or against."""
    if meeting is None:
        return None
    present = meeting.attendance.count()
    if outcome == Outcome.REJECTED:
        return services.Votes(1, present - 2, 1)
    return services.Votes(present - 1, 0, 1)


def _advance(
    application: Application,
    path: str,
    cast: Cast,
    *,
    submitted_at: datetime,
    meeting: Meeting | None,
    decided_on: date,
) -> None:
    """Take a draft along the status path to `path`."""
    if path == "draft":
        return
    services.application_submit(actor=cast.applicant, application=application, now=submitted_at)
    if path == "submitted":
        return
    if path == "returned":
        services.application_return(
            actor=cast.staff,
            application=application,
            reason="Merci de joindre les devis des prestataires.",
        )
        return
    if path == "withdrawn":
        services.application_withdraw(
            actor=cast.applicant, application=application, reason="Projet reporté par le porteur."
        )
        return
    eligible = path != "ineligible"
    services.application_screen(
        actor=cast.staff,
        application=application,
        eligible=eligible,
        reason="" if eligible else "Aucune action dans un territoire de proximité.",
    )
    if path in ("ineligible", "eligible"):
        return
    grid = list(application.measure.criteria.all()) if application.measure else []
    for number, reviewer in enumerate(cast.reviewers):
        review = services.reviewer_assign(
            actor=cast.staff, application=application, reviewer=reviewer
        )
        if path == "assessment" and number == len(cast.reviewers) - 1:
            continue  # the last reviewer has not scored yet
        scores = {
            criterion.pk: (criterion.max_points * Decimal("0.6")).quantize(Decimal(1))
            + (application.pk + number) % 2
            for criterion in grid
        }
        services.review_submit(
            actor=reviewer, review=review, scores=scores, comment="Projet solide."
        )
    if path == "assessment":
        return
    outcome = {
        "postponed": Outcome.POSTPONED,
        "rejected": Outcome.REJECTED,
        "conditions": Outcome.APPROVED_WITH_CONDITIONS,
    }.get(path, Outcome.APPROVED)
    granting = outcome in (Outcome.APPROVED, Outcome.APPROVED_WITH_CONDITIONS)
    services.application_decide(
        actor=cast.staff,
        application=application,
        outcome=outcome,
        granted_amount=(application.requested_amount * Decimal("0.9")).quantize(Decimal(1))
        if granting
        else None,
        conditions="Produire le bilan de fréquentation." if outcome.endswith("conditions") else "",
        meeting=meeting,
        on=decided_on,
        votes=_votes(meeting, outcome),
    )
    if path in ("approved", "conditions", "postponed", "rejected"):
        return
    signed = decided_on + timedelta(days=30)
    services.convention_sign(actor=cast.staff, application=application, signed_on=signed)
    if path == "contracted":
        return
    granted = application.granted_amount or Decimal(0)
    advance = (granted * Decimal("0.3")).quantize(Decimal(1))
    for kind, amount, paid_on in (
        (PaymentKind.ADVANCE, advance, signed + timedelta(days=20)),
        (PaymentKind.BALANCE, granted - advance, signed + timedelta(days=300)),
    ):
        if kind == PaymentKind.BALANCE and path == "in_payment":
            return
        payment = services.payment_request(
            actor=cast.applicant,
            application=application,
            kind=kind,
            requested_amount=amount,
            expenses_total=amount * 2,
            expenses_from=timezone.localdate(application.submitted_at),
            expenses_to=paid_on - timedelta(days=10),
        )
        services.payment_pay(
            actor=cast.staff,
            payment=payment,
            checked_amount=amount,
            paid_amount=amount,
            paid_on=paid_on,
        )


def _last_step(application: Application) -> date:
    """The day of an application's last step: its last payment, its convention, its decision,
    or a few days after its submission."""
    paid = [payment.paid_on for payment in application.payments.all() if payment.paid_on]
    if paid:
        return max(paid)
    if application.convention_signed_on or application.decided_on:
        return application.convention_signed_on or application.decided_on  # type: ignore[return-value]
    submitted = application.submitted_at or timezone.now()
    return timezone.localdate(submitted) + timedelta(days=5)


def load_fppt(cooperation: Cooperation, cast: Cast) -> Fund:
    ctj = Organisation.objects.get(name="Conférence TransJurassienne (CTJ)")
    axis = cooperation.strategy_nodes.filter(code="4").first()
    proximity = list(
        Territory.objects.filter(kind="custom_area", name__startswith="Territoire de proximité")
    )
    body, members = _committee(
        cooperation,
        "Comité de sélection du FPPT",
        [("", "Représentant suisse"), ("", "Représentant français")] * 3,
        purpose="Sélectionne les petits projets transfrontaliers, deux fois par an.",
    )
    fund = services.fund_create(
        actor=None,
        cooperation=cooperation,
        name="Fonds Petits Projets Transfrontaliers (FPPT)",
        code="fppt",
        description=(
            "Soutenir les coopérations de proximité et renforcer le vivre-ensemble (axe 4 de la "
            "stratégie) : de petits projets locaux de dimension transfrontalière, dans au moins "
            "un des 4 territoires de proximité. Deux appels par an (1er mars – 15 avril, "
            "1er octobre – 15 novembre)."
        ),
        managing_body=ctj,
        committee=body,
        currency="CHF",
        envelope_period=EnvelopePeriod.YEARLY,
        max_aid=Decimal(10000),
        max_budget=Decimal(100000),
        cross_border=True,
        eligible_territories=proximity,
        strategy_nodes=[axis] if axis else [],
        visibility=cooperation.visibility,
    )
    measure = services.measure_add(
        actor=None,
        fund=fund,
        code="FPPT",
        title="Petits projets transfrontaliers",
        pass_threshold=Decimal(10),
        strategy_nodes=[axis] if axis else [],
        criteria=FPPT_GRID,
    )
    funders = [
        (_organisation("Côté suisse (cantons de l’Arc jurassien)", "swiss_authority"), 50000),
        (_organisation("Région Bourgogne-Franche-Comté", "region"), 25000),
        (
            _organisation("État — Préfecture de région Bourgogne-Franche-Comté", "state_service"),
            25000,
        ),
    ]
    today = timezone.localdate()
    for year in (2017, today.year):
        for funder, amount in funders:
            services.envelope_add(
                actor=None,
                fund=fund,
                funder=funder,
                year=year,
                amount=Decimal(amount),
                rate_on=date(max(year, 2025), 1, 1),
                note="Équivalent en francs suisses." if funder.kind != "swiss_authority" else "",
            )
    autumn_2017 = services.call_create(
        actor=None,
        fund=fund,
        title="FPPT — appel d’automne 2017",
        description="Dépôt du 1er octobre au 15 novembre 2017.",
        opens_at=_moment(date(2017, 10, 1), 0),
        closes_at=_moment(date(2017, 11, 16), 0),
        measures=[measure],
    )
    current = services.call_create(
        actor=None,
        fund=fund,
        title=f"FPPT — appel {today.year} (ouvert pour la démonstration)",
        description=(
            "Les appels du FPPT courent du 1er mars au 15 avril et du 1er octobre au "
            "15 novembre ; celui-ci est ouvert aujourd’hui pour que la démonstration permette "
            "de déposer un dossier."
        ),
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() + timedelta(days=30),
        measures=[measure],
    )
    services.question_add(
        actor=None,
        call=current,
        label="Combien de participants attendez-vous, de chaque côté de la frontière ?",
        kind="text",
    )
    services.question_add(
        actor=None,
        call=current,
        label="Lettre d’engagement du partenaire",
        help_text="Signée par le partenaire de l’autre côté de la frontière.",
        kind="file",
        required=False,
    )
    swiss = [
        _organisation(
            name,
            "swiss_authority",
            Territory.objects.filter(code=code, kind="swiss_canton").first(),
        )
        for name, code in (
            ("Commune fictive du Locle (partenaire)", "24"),
            ("Commune fictive de Porrentruy (partenaire)", "26"),
        )
    ]
    meeting_2017 = _meeting(body, date(2017, 12, 5), members)
    meeting_now = _meeting(body, today - timedelta(days=7), members)
    applicants = list(_applicants(proximity[0], 6)) if proximity else []
    for index, (title, path) in enumerate(zip(FPPT_PROJECTS, FPPT_PATH, strict=True)):
        old = index < 11
        call = autumn_2017 if old else current
        area = proximity[index % len(proximity)]
        application = _apply(
            call,
            cast,
            title=title,
            applicant=applicants[index % len(applicants)],
            requested=Decimal(4000 + 500 * (index % 12)),
            budget=Decimal(15000 + 2500 * (index % 9)),
            currency="CHF" if index % 3 else "EUR",
            territory=area,
            measure=measure,
            partner=swiss[index % 2],
        )
        _advance(
            application,
            path,
            cast,
            submitted_at=_moment(date(2017, 10, 20), 11)
            if old
            else timezone.now() - timedelta(days=20),
            meeting=meeting_2017 if old else meeting_now,
            decided_on=date(2017, 12, 5) if old else today - timedelta(days=7),
        )
    return fund


def load_leader(cooperation: Cooperation, cast: Cast) -> Fund:
    gal = Organisation.objects.get(name="Pays du bassin de Briey")
    enjeux = list(
        cooperation.strategy_nodes.filter(parent__isnull=True)
        .exclude(code="M")
        .order_by("position")
    )
    colleges = [(College.PUBLIC, "Élu")] * 6 + [(College.PRIVATE, "Acteur privé")] * 6
    body, members = _committee(
        cooperation,
        "Comité de programmation LEADER",
        colleges,
        purpose="Sélectionne et programme les projets LEADER ; double quorum.",
    )
    fund = services.fund_create(
        actor=None,
        cooperation=cooperation,
        name="Programme LEADER du Pays du bassin de Briey",
        code="leader",
        description=(
            "1,3 million d’euros de crédits européens (FEADER) pour la stratégie du Pays. La "
            "demande d’aide précède toute dépense : l’accusé de réception ouvre l’éligibilité "
            "des dépenses. Le comité de programmation note chaque dossier selon la grille de "
            "sa fiche-action (10 points sur 23 au moins) et rend un avis."
        ),
        managing_body=gal,
        committee=body,
        double_quorum=True,
        currency="EUR",
        envelope_period=EnvelopePeriod.PROGRAMME,
        max_aid_rate=Decimal(80),
        min_aid=Decimal(3000),
        expenses_after_receipt=True,
        eligible_territories=list(cooperation.territories.all()),
        visibility=cooperation.visibility,
    )
    measures = [
        services.measure_add(
            actor=None,
            fund=fund,
            code=f"FA{number}",
            title=node.title[:255],
            pass_threshold=Decimal(10),
            strategy_nodes=[node],
            criteria=LEADER_GRID,
        )
        for number, node in enumerate(enjeux, start=1)
    ]
    services.envelope_add(
        actor=None,
        fund=fund,
        funder=_organisation("Union européenne — FEADER", "eu_body"),
        amount=Decimal(1300000),
        note="Crédits européens LEADER ; autorité de gestion : Région Grand Est.",
    )
    today = timezone.localdate()
    call = services.call_create(
        actor=None,
        fund=fund,
        title="LEADER — dépôt des demandes au fil de l’eau",
        description="Les demandes se déposent tout au long du programme, avant toute dépense.",
        opens_at=_moment(date(2023, 1, 2), 0),
        closes_at=_moment(date(today.year + 1, 12, 31), 0),
        measures=measures,
    )
    # Eight of twelve voting members present, five of them private: both quorums are met.
    meeting = _meeting(body, today - timedelta(days=420), members[:3] + members[6:11])
    area = cooperation.territories.get()
    applicants = list(_applicants(area, 4, kind="association"))
    for index, (enjeu, title, path) in enumerate(LEADER_PROJECTS):
        application = _apply(
            call,
            cast,
            title=title,
            applicant=applicants[index % len(applicants)],
            requested=Decimal(24000 + 6000 * index),
            budget=Decimal(40000 + 10000 * index),
            currency="EUR",
            territory=area,
            measure=measures[enjeu % len(measures)],
            partner=None,
        )
        submitted_at = timezone.now() - timedelta(days=500 - index)
        _advance(
            application,
            path,
            cast,
            submitted_at=submitted_at,
            meeting=meeting,
            decided_on=today - timedelta(days=420),
        )
        _date_journal_back(application, submitted_at - timedelta(days=3), _last_step(application))
    return fund


def load_funds(cooperations: dict[str, Cooperation], accounts: dict[str, Any]) -> None:
    cast = Cast(
        staff=accounts["fonds@maillage.test"],
        applicant=accounts["porteur@maillage.test"],
        reviewers=[accounts["fonds@maillage.test"], accounts["observateur@maillage.test"]],
    )
    load_fppt(cooperations["arc-jurassien"], cast)
    cast.reviewers = [accounts["fonds@maillage.test"], accounts["financeur@maillage.test"]]
    load_leader(cooperations["pays-bassin-briey"], cast)
