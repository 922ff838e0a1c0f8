"""Every read of the funding app that is more than a `.get()`: what the rules read from an
application, each envelope's figures (one figure, one place: the pages, the API and the
decision's check read `envelope_figures`), the applications of a fund with their counts per
status, and a call's ranking."""

import operator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from typing import Any, ClassVar

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from maillage.core.api import CompletedPages
from maillage.core.filters import ListFilters
from maillage.core.text import fold
from maillage.directory.models import Organisation, Position
from maillage.funding.enums import GRANTING_OUTCOMES, ApplicationStatus, EnvelopePeriod
from maillage.funding.models import (
    Answer,
    Application,
    Envelope,
    Fund,
    Payment,
    Question,
    Review,
)
from maillage.funding.rules import Facts, Rules
from maillage.projects.enums import Currency
from maillage.projects.selectors import MissingRate, RateUsed, rates_on, to_eur
from maillage.territories.enums import Country
from maillage.territories.models import Territory

CENT = Decimal("0.01")
ZERO = Decimal(0)
# Where a granted application stands: programmed from the decision, committed from the
# convention's signature.
PROGRAMMED = (
    ApplicationStatus.DECIDED,
    ApplicationStatus.CONTRACTED,
    ApplicationStatus.IN_PAYMENT,
    ApplicationStatus.CLOSED,
)
COMMITTED = (ApplicationStatus.CONTRACTED, ApplicationStatus.IN_PAYMENT, ApplicationStatus.CLOSED)


def convert(amount: Decimal, currency: str, into: str, rates: dict[str, RateUsed]) -> Decimal:
    """An amount in another currency at `rates` (through the euro), to the cent."""
    if currency == into:
        return amount
    euros = to_eur(amount, currency, rates)
    if into == Currency.EUR:
        return euros
    if into not in rates:
        raise MissingRate(into)
    return (euros / rates[into].rate).quantize(CENT, rounding=ROUND_HALF_UP)


def fund_rules(fund: Fund) -> Rules:
    from maillage.directory.enums import OrganisationKind

    kinds = tuple(fund.eligible_applicant_kinds)
    return Rules(
        currency=fund.currency,
        max_aid=fund.max_aid,
        min_aid=fund.min_aid,
        max_budget=fund.max_budget,
        max_aid_rate=fund.max_aid_rate,
        applicant_kinds=kinds,
        applicant_kind_labels=tuple(str(OrganisationKind(kind).label) for kind in kinds),
        cross_border=fund.cross_border,
        territories=tuple(fund.eligible_territories.values_list("name", flat=True)),
        measure_required=fund.measures.exists(),
    )


def country_of(organisation: Organisation) -> str:
    territory = organisation.territory
    return territory.country if territory is not None else Country.FRANCE


def in_eligible_territory(fund: Fund, application: Application) -> bool:
    eligible = list(fund.eligible_territories.all())
    if not eligible:
        return True
    inside = reduce(
        operator.or_,
        [Q(pk__in=Territory.objects.under(territory).values("pk")) for territory in eligible],
        Q(pk__in=[territory.pk for territory in eligible]),
    )
    return application.territories.filter(inside).exists()


def territory_choices(fund: Fund) -> QuerySet[Territory]:
    """The territories an application to `fund` may name: its cooperation's and the fund's
    eligible ones, with everything inside them."""
    roots = [*fund.cooperation.territories.all(), *fund.eligible_territories.all()]
    inside = reduce(
        operator.or_,
        [Q(pk__in=Territory.objects.under(territory).values("pk")) for territory in roots],
        Q(pk__in=[territory.pk for territory in roots]),
    )
    return Territory.objects.filter(inside).order_by("kind", "name")


def application_facts(application: Application, *, on=None) -> Facts:
    """What the fund's rules read from an application, its budget in the fund's currency at
    the rates in force on `on` (today)."""
    fund = application.call.fund
    rates = rates_on(on or timezone.localdate())
    total, eligible, missing = ZERO, ZERO, set()
    lines = list(application.budget.values_list("amount", "currency", "eligible"))
    for amount, currency, is_eligible in lines:
        try:
            converted = convert(amount, currency, fund.currency, rates)
        except MissingRate as error:
            missing.add(str(error))
            continue
        total += converted
        if is_eligible:
            eligible += converted
    countries = {country_of(application.applicant)}
    countries.update(application.partners.values_list("country", flat=True))
    return Facts(
        requested=application.requested_amount,
        budget_total=None if missing else total,
        eligible_total=None if missing else eligible,
        budget_lines=len(lines),
        applicant_kind=application.applicant.kind,
        countries=frozenset(countries),
        in_eligible_territory=in_eligible_territory(fund, application),
        has_measure=application.measure_id is not None,
        missing_rates=tuple(sorted(missing)),
        unanswered=tuple(unanswered_questions(application).values_list("label", flat=True)),
    )


def given_answers(application: Application) -> QuerySet[Answer]:
    """The application's answers that say something (a text, a number or a file)."""
    return application.answers.filter(Q(text__gt="") | Q(number__isnull=False) | ~Q(file=""))


def unanswered_questions(application: Application) -> QuerySet[Question]:
    answered = given_answers(application).filter(question=OuterRef("pk"))
    return application.call.questions.filter(required=True).exclude(Exists(answered))


@dataclass
class EnvelopeFigures:
    """An envelope's programmed (decided), committed (convention signed), paid and remaining
    amounts, in the fund's currency and in euros at the envelope's dated rate."""

    envelope: Envelope
    share: Decimal  # of its pot (the year's envelopes, or the programme's)
    programmed: Decimal
    committed: Decimal
    paid: Decimal
    rate: RateUsed | None = None

    @property
    def remaining(self) -> Decimal:
        return self.envelope.amount - self.programmed

    def in_euros(self, amount: Decimal) -> Decimal | None:
        if self.rate is None:
            return None
        return (amount * self.rate.rate).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def amount_eur(self) -> Decimal | None:
        return self.in_euros(self.envelope.amount)

    @property
    def remaining_eur(self) -> Decimal | None:
        return self.in_euros(self.remaining)


@dataclass
class Pot:
    """The envelopes a decision draws on: those of a year, or the programme's."""

    year: int | None
    amount: Decimal = ZERO
    programmed: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    envelopes: list[EnvelopeFigures] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.programmed


def pot_of(fund: Fund, year: int) -> int | None:
    return year if fund.envelope_period == EnvelopePeriod.YEARLY else None


def _granted_by_pot(fund: Fund) -> dict[int | None, dict[str, Decimal]]:
    """Programmed, committed and paid amounts per pot, in one query: each call of the fund
    with its sums (correlated subqueries, an index's work), folded into each call's pot (its
    year's, or the programme's)."""
    money: DecimalField = DecimalField(max_digits=14, decimal_places=2)

    def total(rows: QuerySet, by: str, column: str) -> Coalesce:
        summed = rows.order_by().values(by)
        return Coalesce(
            Subquery(summed.annotate(total=Sum(column)).values("total"), output_field=money),
            Value(ZERO),
            output_field=money,
        )

    granted = Application.objects.filter(
        call=OuterRef("pk"), outcome__in=GRANTING_OUTCOMES, status__in=PROGRAMMED
    )
    paid = Payment.objects.filter(application__call=OuterRef("pk"), paid_amount__isnull=False)
    calls = (
        fund.calls.order_by()
        .annotate(
            programmed=total(granted, "call", "granted_amount"),
            committed=total(granted.filter(status__in=COMMITTED), "call", "granted_amount"),
            paid=total(paid, "application__call", "paid_amount"),
        )
        .values("opens_at", "programmed", "committed", "paid")
    )
    figures: dict[int | None, dict[str, Decimal]] = {}
    for call in calls:
        pot = pot_of(fund, timezone.localtime(call["opens_at"]).year)
        sums = figures.setdefault(pot, {"programmed": ZERO, "committed": ZERO, "paid": ZERO})
        for name in sums:
            sums[name] += Decimal(call[name]).quantize(CENT)
    return figures


def _split(amount: Decimal, share: Decimal) -> Decimal:
    return (amount * share).quantize(CENT, rounding=ROUND_HALF_UP)


def envelope_figures(fund: Fund) -> list[Pot]:
    """Each pot of the fund (each year, or the programme) with its envelopes' figures: a pot's
    grants are drawn on its envelopes in proportion to their amounts (the FPPT's grants half
    from the Swiss side, a quarter each from the Région and the State). A fixed number of
    queries whatever the applications."""
    envelopes = list(fund.envelopes.select_related("funder"))
    by_pot = _granted_by_pot(fund)
    pots: dict[int | None, Pot] = {}
    for envelope in envelopes:
        pot = pots.setdefault(envelope.year, Pot(year=envelope.year))
        pot.amount += envelope.amount
    for year, figures in by_pot.items():
        pot = pots.setdefault(year, Pot(year=year))
        pot.programmed = figures["programmed"]
        pot.committed = figures["committed"]
        pot.paid = figures["paid"]
    rate_days = {envelope.rate_on for envelope in envelopes if envelope.rate_on}
    rates = {day: rates_on(day) for day in rate_days}
    for envelope in envelopes:
        pot = pots[envelope.year]
        share = envelope.amount / pot.amount
        rate = None
        if fund.currency == Currency.EUR:
            rate = RateUsed(Currency.EUR, Decimal(1), envelope.rate_on or timezone.localdate(), "")
        elif envelope.rate_on:
            rate = rates[envelope.rate_on].get(fund.currency)
        pot.envelopes.append(
            EnvelopeFigures(
                envelope=envelope,
                share=share,
                programmed=_split(pot.programmed, share),
                committed=_split(pot.committed, share),
                paid=_split(pot.paid, share),
                rate=rate,
            )
        )
    return sorted(pots.values(), key=lambda pot: (pot.year is not None, pot.year or 0))


def pot_for(fund: Fund, year: int) -> Pot:
    """The pot a decision on a call of `year` draws on (empty when no envelope is set)."""
    wanted = pot_of(fund, year)
    for pot in envelope_figures(fund):
        if pot.year == wanted:
            return pot
    return Pot(year=wanted)


def application_list(applications: QuerySet[Application]) -> QuerySet[Application]:
    """A list of applications with what their rows show, in a fixed number of queries. The
    reviews' count and average are correlated subqueries: computed for the rows of the page
    only, and the list's count stays a bare COUNT."""
    reviews = Review.objects.filter(application=OuterRef("pk")).order_by().values("application")
    return applications.select_related("call", "applicant", "measure").annotate(
        review_count=Coalesce(
            Subquery(
                reviews.filter(submitted_at__isnull=False).annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        average=Subquery(
            reviews.filter(conflict=False).annotate(mean=Avg("total")).values("mean"),
            output_field=DecimalField(max_digits=7, decimal_places=2),
        ),
    )


ROW_COLUMNS = (
    "id",
    "call_id",
    "number",
    "title",
    "applicant_id",
    "measure_id",
    "status",
    "submitted_at",
    "outcome",
    "requested_amount",
    "granted_amount",
    "decided_on",
    "project_id",
)


def application_rows(applications: QuerySet[Application]) -> CompletedPages:
    """A list's rows as plain values, newest first, for a paginator (the page's and the API's,
    the biggest lists of a fund): the page's ids are selected first, then only those rows are
    read, with their applicant's name, call, fiche-action and reviews' figures."""

    def complete(ids) -> list[dict[str, Any]]:
        page = list(ids)
        return list(
            application_list(Application.objects.filter(pk__in=page))
            .order_by("-pk")
            .values(
                *ROW_COLUMNS,
                "review_count",
                "average",
                applicant_name=F("applicant__name"),
                call_title=F("call__title"),
                measure_code=F("measure__code"),
            )
        )

    return CompletedPages(applications.order_by("-pk").values_list("pk", flat=True), complete)


def status_counts(applications: QuerySet[Application]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in the path's order (one query)."""
    rows = applications.order_by().values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    return [
        (status, str(label), counts.get(status, 0)) for status, label in ApplicationStatus.choices
    ]


def call_ranking(applications: QuerySet[Application]) -> QuerySet[Application]:
    """A call's applications under assessment or decided, best average score first."""
    return (
        application_list(applications)
        .exclude(
            status__in=[
                ApplicationStatus.DRAFT,
                ApplicationStatus.WITHDRAWN,
                ApplicationStatus.INELIGIBLE,
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.RETURNED,
            ]
        )
        .order_by("-average", "number")
    )


def reviews_of(application: Application) -> QuerySet[Review]:
    return application.reviews.select_related("reviewer").prefetch_related("scores__criterion")


def organisations_of_user(user, on=None) -> set[int]:
    """The organisations a user works for (their positions in force), for conflicts of
    interest."""
    day = on or timezone.localdate()
    return set(
        Position.objects.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            person__user=user,
        ).values_list("organisation_id", flat=True)
    )


def parties_of(application: Application) -> set[int]:
    """The applicant and its partners."""
    return {
        application.applicant_id,
        *application.partners.values_list("organisation_id", flat=True),
    }


def applications_reviewed_by(user) -> QuerySet[Application]:
    return application_list(
        Application.objects.filter(
            Exists(Review.objects.filter(application=OuterRef("pk"), reviewer=user))
        )
    ).select_related("call__fund")


class ApplicationFilters(ListFilters):
    """The filters of a fund's applications, for its page and its API."""

    PAGE_PARAMS: ClassVar[dict[str, str]] = {"statut": "status", "appel": "call", "q": "q"}

    status: ApplicationStatus | None = None
    call: int | None = None
    q: str = ""


def filtered_applications(
    applications: QuerySet[Application], filters: ApplicationFilters
) -> QuerySet[Application]:
    if filters.status:
        applications = applications.filter(status=filters.status)
    if filters.call:
        applications = applications.filter(call_id=filters.call)
    if filters.q.strip():
        text = filters.q.strip()
        applications = applications.filter(
            Q(number__icontains=text)
            | Q(title__icontains=text)
            | Q(applicant__search_name__contains=fold(text))
        )
    return applications


def to_decide(funds) -> QuerySet[Application]:
    """The applications a committee has before it: under assessment, or postponed, with their
    reviews' average (best first)."""
    waiting = Q(status=ApplicationStatus.ASSESSMENT) | Q(
        status=ApplicationStatus.DECIDED, outcome="postponed"
    )
    return (
        application_list(Application.objects.filter(waiting, call__fund__in=funds))
        .select_related("call__fund")
        .order_by(F("average").desc(nulls_last=True), "number")
    )


def decided_at(meeting) -> QuerySet[Application]:
    return Application.objects.filter(decision__meeting=meeting).select_related("applicant")
