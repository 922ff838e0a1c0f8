"""What a fund publishes and exports: the grants it decided in the SCDL "subventions" layout
(version 2.1.1, its Table Schema shipped in `data/`), and a call's applications, scores and
decisions as a spreadsheet."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils.translation import gettext as _

from maillage.core.exceptions import Conflict
from maillage.funding.enums import GRANTING_OUTCOMES
from maillage.funding.models import Application, Fund
from maillage.funding.selectors import COMMITTED, convert
from maillage.projects.enums import Currency
from maillage.projects.selectors import MissingRate, rates_on

SCDL_SCHEMA = Path(__file__).parent / "data" / "scdl-subventions-2.1.1.json"
SCDL_COLUMNS = (
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
)


def conventions_signed(fund: Fund) -> QuerySet[Application]:
    """The grants a convention made: what the SCDL publishes (its date is required)."""
    return (
        Application.objects.filter(
            call__fund=fund,
            outcome__in=GRANTING_OUTCOMES,
            status__in=COMMITTED,
            convention_signed_on__isnull=False,
        )
        .select_related("applicant", "decision__body")
        .annotate(
            payments_made=Count("payments", filter=Q(payments__paid_on__isnull=False)),
            first_paid=Min("payments__paid_on"),
            last_paid=Max("payments__paid_on"),
        )
        .order_by("convention_signed_on", "number")
    )


def _period(first: date | None, last: date | None, signed: date, end: date | None) -> str:
    if first and last:
        return first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"
    if end and end > signed:
        return f"{signed.isoformat()}/{end.isoformat()}"
    return signed.isoformat()


def scdl_rows(fund: Fund) -> list[dict[str, str]]:
    body = fund.managing_body
    if not body.siret:
        raise Conflict(
            _(
                "Renseignez le SIRET de %(name)s (l’organisme gestionnaire) : les données des "
                "subventions l’exigent."
            )
            % {"name": body.name}
        )
    rows = []
    grant: Any  # annotated with its payments' figures
    for grant in conventions_signed(fund):
        amount = grant.granted_amount or Decimal(0)
        if fund.currency != Currency.EUR:
            try:
                amount = convert(amount, fund.currency, Currency.EUR, rates_on(grant.decided_on))
            except MissingRate:
                raise Conflict(
                    _(
                        "Aucun taux de change %(currency)s au %(date)s : le montant en euros ne "
                        "peut être calculé."
                    )
                    % {"currency": fund.currency, "date": grant.decided_on}
                ) from None
        reference = (
            f"{grant.decision.body.name} n° {grant.decision.number}"
            if grant.decision
            else grant.number
        )
        rows.append(
            {
                "nomAttribuant": body.name,
                "idAttribuant": body.siret,
                "dateConvention": grant.convention_signed_on.isoformat(),
                "referenceDecision": reference,
                "nomBeneficiaire": grant.applicant.name,
                "idBeneficiaire": grant.applicant.siret,
                "rnaBeneficiaire": "",
                "objet": grant.title[:256],
                "montant": f"{amount:.2f}",
                "nature": "aide en numéraire",
                "conditionsVersement": "échelonné" if grant.payments_made > 1 else "unique",
                "datesPeriodeVersement": _period(
                    grant.first_paid, grant.last_paid, grant.convention_signed_on, grant.end_date
                ),
                "idRAE": "",
                "notificationUE": "non",
                "pourcentageSubvention": "1.00",
                "dispositifAide": fund.name,
            }
        )
    return rows


def scdl_csv(fund: Fund) -> str:
    """The SCDL file: UTF-8, comma-separated, a header of the schema's column names."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SCDL_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(scdl_rows(fund))
    return out.getvalue()
