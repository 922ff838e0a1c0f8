"""What a fund sends: the receipt of an application (its number and date: with LEADER, the
day from which expenses are eligible), the grant's convention generated from the application
and its decision (PDF, ODT, editable before signature), and a call's applications, scores and
decisions as a spreadsheet for the committee's file."""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from maillage.core.spreadsheets import SpreadsheetFormat, spreadsheet_response
from maillage.core.text import long_date
from maillage.funding import selectors
from maillage.funding.enums import GRANTING_OUTCOMES
from maillage.funding.models import Application, Call
from maillage.funding.rules import money
from maillage.reports.charts import Chart, bar_chart
from maillage.reports.render import document_response
from maillage.reports.selectors import Row
from maillage.reports.yearly import Block, Heading, Paragraph, Table


def _facts(application: Application) -> Table:
    fund = application.call.fund
    return Table(
        _("Le dossier"),
        [_("Rubrique"), _("Valeur")],
        [
            [_("Numéro"), application.number],
            [_("Fonds"), fund.name],
            [_("Appel à projets"), application.call.title],
            [_("Porteur"), application.applicant.name],
            [_("Projet"), application.title],
            [_("Aide demandée"), money(application.requested_amount, fund.currency)],
        ],
    )


def receipt_blocks(application: Application) -> tuple[str, list[Block]]:
    fund = application.call.fund
    submitted = application.submitted_at or timezone.now()
    title = _("Accusé de réception — dossier %(number)s") % {"number": application.number}
    blocks: list[Block] = [
        Paragraph(
            _("%(body)s accuse réception du dossier déposé le %(date)s à %(time)s.")
            % {
                "body": fund.managing_body.name,
                "date": long_date(submitted),
                "time": timezone.localtime(submitted).strftime("%H:%M"),
            }
        ),
        _facts(application),
    ]
    if fund.expenses_after_receipt:
        blocks.append(
            Paragraph(
                _(
                    "Les dépenses engagées à partir du %(date)s peuvent être éligibles ; cet "
                    "accusé de réception ne vaut pas promesse d’aide."
                )
                % {"date": long_date(submitted)}
            )
        )
    else:
        blocks.append(Paragraph(_("Cet accusé de réception ne vaut pas promesse d’aide.")))
    return title, blocks


def convention_blocks(application: Application) -> tuple[str, list[Block]]:
    """The grant's convention: parties, purpose, amount and decision, conditions, period,
    payments, budget; the signature date once recorded."""
    fund = application.call.fund
    granted = application.granted_amount or Decimal(0)
    facts = selectors.application_facts(application)
    decision = application.decision
    reference = (
        _("décision n° %(number)s de « %(body)s » du %(date)s")
        % {
            "number": decision.number,
            "body": decision.body.name,
            "date": long_date(decision.date),
        }
        if decision
        else _("décision du %(date)s") % {"date": long_date(application.decided_on)}
    )
    rate = (
        f"{(granted / facts.eligible_total * 100).quantize(Decimal('0.1'))} %"
        if facts.eligible_total
        else "—"
    )
    title = _("Convention attributive d’aide — dossier %(number)s") % {"number": application.number}
    blocks: list[Block] = [
        Paragraph(
            _(
                "Entre %(body)s, gestionnaire du fonds « %(fund)s », et %(applicant)s, porteur du "
                "projet, représenté par %(contact)s."
            )
            % {
                "body": fund.managing_body.name,
                "fund": fund.name,
                "applicant": application.applicant.name,
                "contact": application.contact_name,
            }
        ),
        Heading(2, _("Article 1 — Objet")),
        Paragraph(
            _(
                "La présente convention fixe les conditions de l’aide accordée au projet "
                "« %(title)s »."
            )
            % {"title": application.title}
        ),
        Paragraph(application.summary),
        Heading(2, _("Article 2 — Montant de l’aide")),
        Paragraph(
            _(
                "Par %(reference)s, une aide de %(amount)s est accordée, soit %(rate)s des "
                "dépenses éligibles (%(eligible)s)."
            )
            % {
                "reference": reference,
                "amount": money(granted, fund.currency),
                "rate": rate,
                "eligible": money(facts.eligible_total or Decimal(0), fund.currency),
            }
        ),
        Heading(2, _("Article 3 — Conditions")),
        Paragraph(application.conditions or _("Aucune condition particulière.")),
        Heading(2, _("Article 4 — Durée")),
        Paragraph(
            _("Le projet se déroule du %(start)s au %(end)s.")
            % {
                "start": long_date(application.start_date) or "…",
                "end": long_date(application.end_date) or "…",
            }
        ),
        Heading(2, _("Article 5 — Versement")),
        Paragraph(
            _(
                "L’aide est versée sur demande du porteur, accompagnée d’un état des dépenses "
                "et des justificatifs : une avance ou des acomptes, puis le solde au vu du "
                "bilan."
            )
            + (
                " "
                + _(
                    "Seules les dépenses engagées à partir du %(date)s (accusé de réception) "
                    "sont éligibles."
                )
                % {"date": long_date(application.submitted_at)}
                if fund.expenses_after_receipt
                else ""
            )
        ),
        Table(
            _("Budget prévisionnel"),
            [_("Catégorie"), _("Dépense"), _("Montant"), _("Éligible")],
            [
                [
                    line.get_category_display(),
                    line.label,
                    money(line.amount, line.currency),
                    _("oui") if line.eligible else _("non"),
                ]
                for line in application.budget.all()
            ],
            numeric={2},
        ),
        Heading(2, _("Signatures")),
        Paragraph(
            _("Signée le %(date)s.") % {"date": long_date(application.convention_signed_on)}
            if application.convention_signed_on
            else _("Fait à …………, le …………, en deux exemplaires.")
        ),
    ]
    return title, blocks


def pot_chart(pot: selectors.Pot, currency: str) -> Chart:
    """Where a pot stands: programmed, committed, paid and left to programme."""
    label = str(pot.year) if pot.year else _("du programme")
    chart = bar_chart(
        f"enveloppe-{pot.year or 'programme'}",
        _("L’enveloppe %(pot)s en %(currency)s") % {"pot": label, "currency": currency},
        [
            Row(_("Programmé"), pot.programmed),
            Row(_("Engagé (conventions)"), pot.committed),
            Row(_("Versé"), pot.paid),
            Row(_("Reste à programmer"), max(pot.remaining, Decimal(0))),
        ],
        unit=currency,
        column=_("Montant"),
    )
    chart.summary = _(
        "Sur %(total)s, %(programmed)s sont programmés, dont %(committed)s engagés par "
        "convention et %(paid)s versés ; il reste %(remaining)s à programmer."
    ) % {
        "total": money(pot.amount, currency),
        "programmed": money(pot.programmed, currency),
        "committed": money(pot.committed, currency),
        "paid": money(pot.paid, currency),
        "remaining": money(pot.remaining, currency),
    }
    return chart


def _stem(*parts: object) -> str:
    return slugify("-".join(str(part) for part in parts))[:80] or "dossier"


def receipt_stem(application: Application) -> str:
    return _stem("accuse-reception", application.number)


def receipt_response(application: Application) -> HttpResponse:
    title, blocks = receipt_blocks(application)
    return document_response(title, blocks, "pdf", receipt_stem(application))


def convention_response(application: Application, kind: str) -> HttpResponse:
    title, blocks = convention_blocks(application)
    return document_response(title, blocks, kind, _stem("convention", application.number))


def has_convention(application: Application) -> bool:
    return application.outcome in GRANTING_OUTCOMES


def file_urls(application: Application) -> dict[str, str]:
    """The files of an application its readers may fetch, by name."""

    def url(name: str, kind: str) -> str:
        return reverse("funding:application_file", args=[application.pk, name, kind])

    files = {}
    if application.number:
        files["receipt.pdf"] = url("accuse-reception", "pdf")
    if has_convention(application):
        files["convention.pdf"] = url("convention", "pdf")
        files["convention.odt"] = url("convention", "odt")
    return files


CALL_COLUMNS = (
    _lazy("Numéro"),
    _lazy("Projet"),
    _lazy("Porteur"),
    _lazy("Fiche-action"),
    _lazy("Statut"),
    _lazy("Aide demandée"),
    _lazy("Évaluations rendues"),
    _lazy("Note moyenne"),
    _lazy("Avis"),
    _lazy("Aide accordée"),
    _lazy("Décidé le"),
    _lazy("Conditions"),
)


def call_rows(applications: QuerySet[Application]) -> list[list[Any]]:
    rows: Any = selectors.application_list(applications).order_by("number", "pk")
    return [
        [
            row.number,
            row.title,
            row.applicant.name,
            row.measure.code if row.measure else "",
            row.get_status_display(),
            row.requested_amount,
            row.review_count,
            row.average,
            row.get_outcome_display() if row.outcome else "",
            row.granted_amount,
            row.decided_on,
            row.conditions,
        ]
        for row in rows
    ]


def call_export(call: Call, fmt: SpreadsheetFormat) -> HttpResponse:
    """A call's applications with their scores and decisions (formulas neutralised)."""
    return spreadsheet_response(
        fmt,
        _stem("dossiers", call.title),
        [str(column) for column in CALL_COLUMNS],
        call_rows(call.applications.exclude(status="draft")),
    )
