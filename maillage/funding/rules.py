"""A fund's rules, checked on an application: pure, so that the page (what is missing), the
submission (refused while anything fails) and the API say the same thing in the same words.

`selectors.application_facts` gathers what the rules read from the database; `problems`
returns every rule the application breaks, each with the field it is about."""

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.utils.translation import gettext as _

from maillage.core.text import amount_formatter


@dataclass(frozen=True)
class Rules:
    currency: str
    max_aid: Decimal | None = None
    min_aid: Decimal | None = None
    max_budget: Decimal | None = None
    max_aid_rate: Decimal | None = None  # percent
    applicant_kinds: tuple[str, ...] = ()
    applicant_kind_labels: tuple[str, ...] = ()
    cross_border: bool = False
    territories: tuple[str, ...] = ()  # names of the eligible territories; empty: anywhere
    measure_required: bool = False


@dataclass(frozen=True)
class Facts:
    requested: Decimal
    budget_total: Decimal | None  # in the fund's currency; None when a rate is missing
    eligible_total: Decimal | None
    budget_lines: int
    applicant_kind: str
    countries: frozenset[str]
    in_eligible_territory: bool
    has_measure: bool
    missing_rates: tuple[str, ...] = ()
    unanswered: tuple[str, ...] = ()  # the call's required questions without an answer


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def money(value: Decimal, currency: str) -> str:
    """An amount for a sentence, in the language's format: 10 000 CHF, 1 234,50 €."""
    digits = 0 if value == value.to_integral_value() else 2
    return f"{amount_formatter(digits)(value)} {currency}"


def problems(rules: Rules, facts: Facts, *, interest: bool = False) -> list[Problem]:
    """Every rule of the fund `facts` break, in the order an applicant fills the form. An
    expression of interest (`interest`, the first step of a two-step call) is held to what it
    says: who applies, where, under which fiche-action and for how much; its partners, budget
    and answers come with the full application."""
    found = _identity_problems(rules, facts)
    if not interest:
        found += _dossier_problems(rules, facts)
    return found


def _identity_problems(rules: Rules, facts: Facts) -> list[Problem]:
    amount = partial(money, currency=rules.currency)

    found: list[Problem] = []
    if rules.applicant_kinds and facts.applicant_kind not in rules.applicant_kinds:
        found.append(
            Problem(
                "applicant",
                _("Ce fonds aide seulement : %(kinds)s.")
                % {"kinds": ", ".join(rules.applicant_kind_labels)},
            )
        )
    if rules.measure_required and not facts.has_measure:
        found.append(Problem("measure", _("Choisissez la fiche-action dont relève le projet.")))
    if rules.territories and not facts.in_eligible_territory:
        found.append(
            Problem(
                "territories",
                _("Le projet doit concerner au moins l’un de ces territoires : %(names)s.")
                % {"names": ", ".join(rules.territories)},
            )
        )
    if rules.max_aid is not None and facts.requested > rules.max_aid:
        found.append(
            Problem(
                "requested_amount",
                _("L’aide demandée (%(asked)s) dépasse le plafond du fonds : %(cap)s.")
                % {"asked": amount(facts.requested), "cap": amount(rules.max_aid)},
            )
        )
    if rules.min_aid is not None and facts.requested < rules.min_aid:
        found.append(
            Problem(
                "requested_amount",
                _("L’aide demandée (%(asked)s) est inférieure au minimum du fonds : %(floor)s.")
                % {"asked": amount(facts.requested), "floor": amount(rules.min_aid)},
            )
        )
    return found


def _dossier_problems(rules: Rules, facts: Facts) -> list[Problem]:
    amount = partial(money, currency=rules.currency)

    found: list[Problem] = []
    if rules.cross_border and len(facts.countries) < 2:
        found.append(
            Problem(
                "partners",
                _(
                    "Le projet doit réunir des partenaires des deux côtés de la frontière : "
                    "ajoutez un partenaire d’un autre pays que le porteur."
                ),
            )
        )
    for label in facts.unanswered:
        found.append(
            Problem("answers", _("Répondez à la question « %(label)s ».") % {"label": label})
        )
    if facts.budget_lines == 0:
        found.append(Problem("budget", _("Le budget ne compte aucune dépense.")))
    for currency in facts.missing_rates:
        found.append(
            Problem(
                "budget",
                _(
                    "Aucun taux de change n’est connu pour %(currency)s : le budget ne peut être "
                    "converti."
                )
                % {"currency": currency},
            )
        )
    if facts.budget_total is not None and facts.budget_lines:
        if rules.max_budget is not None and facts.budget_total > rules.max_budget:
            found.append(
                Problem(
                    "budget",
                    _("Le budget du projet (%(total)s) dépasse le maximum du fonds : %(cap)s.")
                    % {"total": amount(facts.budget_total), "cap": amount(rules.max_budget)},
                )
            )
        if facts.requested > facts.budget_total:
            found.append(
                Problem(
                    "requested_amount",
                    _("L’aide demandée dépasse le budget du projet (%(total)s).")
                    % {"total": amount(facts.budget_total)},
                )
            )
    if rules.max_aid_rate is not None and facts.eligible_total is not None and facts.budget_lines:
        ceiling = (facts.eligible_total * rules.max_aid_rate / 100).quantize(Decimal("0.01"))
        if facts.requested > ceiling:
            found.append(
                Problem(
                    "requested_amount",
                    _(
                        "L’aide demandée (%(asked)s) dépasse %(rate)s %% des dépenses éligibles, "
                        "soit %(ceiling)s."
                    )
                    % {
                        "asked": amount(facts.requested),
                        "rate": f"{rules.max_aid_rate.normalize():f}",
                        "ceiling": amount(ceiling),
                    },
                )
            )
    return found
