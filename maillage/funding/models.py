"""Funds and their calls for projects: a fund's envelopes and rules, its calls, the
applications made to them, their assessment, the committee's decision, the convention and the
payments.

A grant decided here is a financing line of a project of the cooperation's portfolio: the
application keeps the line it created, and the services change both together.
"""

import secrets
from decimal import Decimal

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.models import DOCUMENT_EXTENSIONS, DOCUMENT_MAX_MEGABYTES
from maillage.core.models import TimeStampedModel, VisibilityField, require_reachable
from maillage.core.validators import MaxFileSize
from maillage.directory.enums import OrganisationKind
from maillage.funding.enums import (
    ApplicationStatus,
    EnvelopePeriod,
    ExpenseCategory,
    Outcome,
    PaymentKind,
    QuestionKind,
    Stage,
)
from maillage.projects.enums import Currency
from maillage.projects.models import money_field
from maillage.territories.enums import Country

POSITIVE = [MinValueValidator(Decimal("0.01"))]
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


def kinds_valid(value: list) -> None:
    unknown = sorted(set(value) - set(OrganisationKind.values))
    if not isinstance(value, list) or unknown:
        raise ValidationError(_("Nature de structure inconnue : %(kinds)s.") % {"kinds": unknown})


@reversion.register()
class Fund(TimeStampedModel):
    """A fund a cooperation runs, with the rules every application is checked against."""

    cooperation = models.ForeignKey(
        "cooperations.Cooperation",
        verbose_name=_("coopération"),
        on_delete=models.CASCADE,
        related_name="funds",
    )
    name = models.CharField(_("nom"), max_length=200)
    code = models.SlugField(
        _("code"), max_length=20, help_text=_("Préfixe des numéros de dossier, ex. : FPPT.")
    )
    description = models.TextField(_("présentation"), blank=True)
    managing_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisme gestionnaire"),
        on_delete=models.PROTECT,
        related_name="managed_funds",
    )
    committee = models.ForeignKey(
        "governance.Body",
        verbose_name=_("comité de sélection"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funds",
        help_text=_("L’instance qui décide des aides (comité de programmation, bureau…)."),
    )
    double_quorum = models.BooleanField(
        _("double quorum"),
        default=False,
        help_text=_(
            "La moitié au moins des membres votants présents, et parmi eux la moitié au moins "
            "du collège privé (comité de programmation LEADER)."
        ),
    )
    currency = models.CharField(
        _("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    envelope_period = models.CharField(
        _("enveloppes"),
        max_length=10,
        choices=EnvelopePeriod.choices,
        default=EnvelopePeriod.YEARLY,
    )
    # The rules, checked on every application before it can be submitted.
    max_aid = money_field(_("aide maximale par projet"), null=True, blank=True, validators=POSITIVE)
    min_aid = money_field(_("aide minimale par projet"), null=True, blank=True, validators=POSITIVE)
    max_budget = money_field(
        _("budget maximal d’un projet"), null=True, blank=True, validators=POSITIVE
    )
    max_aid_rate = models.DecimalField(
        _("taux d’aide maximal (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
        help_text=_("Part maximale des dépenses éligibles que l’aide peut couvrir."),
    )
    eligible_territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("territoires éligibles"),
        blank=True,
        related_name="+",
        help_text=_(
            "Un projet doit toucher au moins l’un d’eux (ou un territoire qu’il contient)."
        ),
    )
    eligible_applicant_kinds = models.JSONField(
        _("natures de porteurs éligibles"),
        default=list,
        blank=True,
        validators=[kinds_valid],
        help_text=_("Vide : toutes."),
    )
    cross_border = models.BooleanField(
        _("partenaires des deux côtés de la frontière"),
        default=False,
        help_text=_("Le porteur et ses partenaires doivent être d’au moins deux pays."),
    )
    expenses_after_receipt = models.BooleanField(
        _("dépenses éligibles après l’accusé de réception"),
        default=False,
        help_text=_("Une dépense antérieure au dépôt du dossier n’est pas éligible (LEADER)."),
    )
    strategy_nodes = models.ManyToManyField(
        "cooperations.StrategyNode",
        verbose_name=_("orientations servies"),
        blank=True,
        related_name="funds",
    )
    visibility = VisibilityField()

    class Meta:
        verbose_name = _("fonds")
        verbose_name_plural = _("fonds")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "code"], name="fund_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding:fund", kwargs={"pk": self.pk})

    def clean(self) -> None:
        require_reachable(self)
        if self.min_aid and self.max_aid and self.min_aid > self.max_aid:
            raise ValidationError({"min_aid": _("L’aide minimale dépasse l’aide maximale.")})


@reversion.register()
class Envelope(TimeStampedModel):
    """What a funder puts in a fund, for a year or for the programme, in the fund's currency."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="envelopes")
    funder = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("financeur"),
        on_delete=models.PROTECT,
        related_name="fund_envelopes",
    )
    year = models.PositiveSmallIntegerField(
        _("année"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Vide pour une enveloppe de tout le programme."),
    )
    amount = money_field(_("montant"), validators=POSITIVE)
    rate_on = models.DateField(
        _("taux de change du"),
        null=True,
        blank=True,
        help_text=_(
            "La date du taux qui convertit l’enveloppe en euros (devise autre que l’euro)."
        ),
    )
    note = models.CharField(_("précision"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("enveloppe")
        verbose_name_plural = _("enveloppes")
        ordering = [models.F("year").asc(nulls_first=True), "pk"]

    def __str__(self) -> str:
        return f"{self.funder} {self.year or ''} {self.amount}"

    def clean(self) -> None:
        period = self.fund.envelope_period
        if period == EnvelopePeriod.YEARLY and self.year is None:
            raise ValidationError({"year": _("Les enveloppes de ce fonds sont annuelles.")})
        if period == EnvelopePeriod.PROGRAMME and self.year is not None:
            raise ValidationError(
                {"year": _("Ce fonds a une enveloppe pour tout le programme : pas d’année.")}
            )


@reversion.register()
class Measure(TimeStampedModel):
    """A fiche-action (LEADER) or measure of a fund: its selection grid and pass threshold."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    strategy_nodes = models.ManyToManyField(
        "cooperations.StrategyNode",
        verbose_name=_("orientations"),
        blank=True,
        related_name="fund_measures",
    )
    pass_threshold = models.DecimalField(
        _("note minimale"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("Ex. : 10 points sur 23."),
    )

    class Meta:
        verbose_name = _("fiche-action")
        verbose_name_plural = _("fiches-actions")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["fund", "code"], name="measure_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


@reversion.register()
class Criterion(TimeStampedModel):
    """A line of a measure's selection grid."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    label = models.CharField(_("critère"), max_length=255)
    max_points = models.DecimalField(
        _("points maximum"), max_digits=6, decimal_places=2, validators=POSITIVE
    )

    class Meta:
        verbose_name = _("critère de sélection")
        verbose_name_plural = _("grille de sélection")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class CallQuerySet(models.QuerySet["Call"]):
    def open_at(self, moment) -> "CallQuerySet":
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


@reversion.register()
class Call(TimeStampedModel):
    """A call for projects (appel à projets) of a fund, open between two moments."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="calls")
    title = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("présentation"), blank=True)
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("clôture"))
    two_steps = models.BooleanField(
        _("en deux temps"),
        default=False,
        help_text=_(
            "Une courte déclaration d’intention d’abord ; le dossier complet sur invitation."
        ),
    )
    measures = models.ManyToManyField(
        Measure, verbose_name=_("fiches-actions"), blank=True, related_name="calls"
    )
    documents = models.ManyToManyField(
        "cooperations.Document",
        verbose_name=_("documents à télécharger"),
        blank=True,
        related_name="calls",
        help_text=_("Règlement, formulaires, modèles."),
    )
    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:call", kwargs={"pk": self.pk})

    @property
    def year(self) -> int:
        return timezone.localtime(self.opens_at).year

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("La clôture doit suivre l’ouverture.")})


@reversion.register()
class Question(TimeStampedModel):
    """A question a call asks beyond the common ones (a small form builder): text, number,
    a choice in a list, or a file (a required attachment)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    label = models.CharField(_("question"), max_length=255)
    help_text = models.CharField(_("aide"), max_length=255, blank=True)
    kind = models.CharField(_("type de réponse"), max_length=8, choices=QuestionKind.choices)
    choices = models.TextField(
        _("choix possibles"), blank=True, help_text=_("Un par ligne, pour un choix dans une liste.")
    )
    required = models.BooleanField(_("obligatoire"), default=True)

    class Meta:
        verbose_name = _("question de l’appel")
        verbose_name_plural = _("questions de l’appel")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.kind == QuestionKind.CHOICE and len(self.options()) < 2:
            raise ValidationError({"choices": _("Donnez au moins deux choix, un par ligne.")})


def answer_path(answer: "Answer", filename: str) -> str:
    return f"funding/{answer.application_id}/{secrets.token_hex(8)}/{filename}"


@reversion.register()
class Application(TimeStampedModel):
    """An application (dossier) to a call: drafted and submitted by its applicant, screened,
    assessed and decided by the fund's staff and committee, then contracted and paid."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("fiche-action"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    number = models.CharField(_("numéro"), max_length=40, blank=True, editable=False)
    applicant = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("porteur"),
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    contact_name = models.CharField(_("personne à contacter"), max_length=200)
    contact_email = models.EmailField(_("adresse e-mail de contact"))
    title = models.CharField(_("intitulé du projet"), max_length=255)
    summary = models.TextField(_("résumé"))
    expected_results = models.TextField(_("résultats attendus"), blank=True)
    territories = models.ManyToManyField(
        "territories.Territory", verbose_name=_("territoires"), blank=True, related_name="+"
    )
    start_date = models.DateField(_("début du projet"), null=True, blank=True)
    end_date = models.DateField(_("fin du projet"), null=True, blank=True)
    requested_amount = money_field(_("aide demandée"), validators=POSITIVE)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        editable=False,
    )
    stage = models.CharField(
        _("étape"), max_length=8, choices=Stage.choices, default=Stage.FULL, editable=False
    )
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("avis"), max_length=12, choices=Outcome.choices, blank=True, editable=False
    )
    granted_amount = money_field(_("aide accordée"), null=True, blank=True, editable=False)
    conditions = models.TextField(_("conditions"), blank=True, editable=False)
    decided_on = models.DateField(_("décidé le"), null=True, blank=True, editable=False)
    decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("décision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    convention_signed_on = models.DateField(
        _("convention signée le"), null=True, blank=True, editable=False
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet du portefeuille"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="fund_applications",
    )
    financing_line = models.OneToOneField(
        "projects.FinancingLine",
        verbose_name=_("ligne de financement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="fund_application",
    )

    class Meta:
        verbose_name = _("dossier de candidature")
        verbose_name_plural = _("dossiers de candidature")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.number or _('brouillon')} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("funding:application", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Le projet finit avant de commencer.")})
        if self.measure and self.measure.fund_id != self.call.fund_id:
            raise ValidationError({"measure": _("Cette fiche-action est celle d’un autre fonds.")})


@reversion.register()
class ApplicationPartner(TimeStampedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    country = models.CharField(_("pays"), max_length=2, choices=Country.choices)
    role = models.CharField(_("rôle dans le projet"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="application_partner_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.country})"


@reversion.register()
class BudgetLine(TimeStampedModel):
    """An expense line of an application's budget."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget")
    category = models.CharField(_("catégorie"), max_length=16, choices=ExpenseCategory.choices)
    label = models.CharField(_("dépense"), max_length=255)
    amount = money_field(_("montant"), validators=POSITIVE)
    currency = models.CharField(
        _("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    eligible = models.BooleanField(_("éligible"), default=True)

    class Meta:
        verbose_name = _("ligne de budget")
        verbose_name_plural = _("budget")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.label} {self.amount} {self.currency}"


@reversion.register()
class OtherFunding(TimeStampedModel):
    """A line of an application's financing plan besides this fund's aid."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="other_funding"
    )
    funder = models.CharField(_("financeur"), max_length=255)
    amount = money_field(_("montant"), validators=POSITIVE)
    currency = models.CharField(
        _("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )

    class Meta:
        verbose_name = _("autre financement")
        verbose_name_plural = _("autres financements")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.funder} {self.amount} {self.currency}"


@reversion.register()
class Answer(TimeStampedModel):
    """An application's answer to one of its call's questions."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("réponse"), blank=True)
    number = models.DecimalField(
        _("nombre"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    file = models.FileField(
        _("fichier"),
        upload_to=answer_path,
        blank=True,
        validators=[
            FileExtensionValidator(DOCUMENT_EXTENSIONS),
            MaxFileSize(DOCUMENT_MAX_MEGABYTES),
        ],
    )

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.shown}"

    @property
    def shown(self) -> str:
        if self.question.kind == QuestionKind.FILE:
            return self.file.name.rsplit("/", 1)[-1] if self.file else ""
        if self.question.kind == QuestionKind.NUMBER:
            return "" if self.number is None else f"{self.number.normalize():f}"
        return self.text

    @property
    def given(self) -> bool:
        return bool(self.shown)


class StatusChange(models.Model):
    """The journal of an application: every change of status, by whom, when and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    status_before = models.CharField(
        _("statut avant"), max_length=12, choices=ApplicationStatus.choices, blank=True
    )
    status_after = models.CharField(
        _("statut après"), max_length=12, choices=ApplicationStatus.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("journal du dossier")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.status_before} → {self.status_after}"


@reversion.register()
class Review(TimeStampedModel):
    """A reviewer's assessment of an application: a score per criterion of its grid, or a
    declared conflict of interest (then no score)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructeur"),
        on_delete=models.PROTECT,
        related_name="fund_reviews",
    )
    conflict = models.BooleanField(_("conflit d’intérêts déclaré"), default=False)
    conflict_note = models.CharField(_("nature du conflit"), max_length=255, blank=True)
    comment = models.TextField(_("avis"), blank=True)
    total = models.DecimalField(
        _("note"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("rendu le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_each")
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.reviewer}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, validators=NOT_NEGATIVE
    )
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


def payment_path(payment: "Payment", filename: str) -> str:
    return f"funding/{payment.application_id}/{secrets.token_hex(8)}/{filename}"


@reversion.register()
class Payment(TimeStampedModel):
    """A payment request of a granted application, checked then paid."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(_("nature"), max_length=12, choices=PaymentKind.choices)
    requested_amount = money_field(_("montant demandé"), validators=POSITIVE)
    expenses_total = money_field(
        _("dépenses justifiées"), null=True, blank=True, validators=NOT_NEGATIVE
    )
    expenses_from = models.DateField(_("dépenses du"), null=True, blank=True)
    expenses_to = models.DateField(_("dépenses au"), null=True, blank=True)
    statement = models.FileField(
        _("état des dépenses et justificatifs"),
        upload_to=payment_path,
        blank=True,
        validators=[
            FileExtensionValidator(DOCUMENT_EXTENSIONS),
            MaxFileSize(DOCUMENT_MAX_MEGABYTES),
        ],
        help_text=_("Un seul fichier (PDF, tableur ou archive des pièces scannées en PDF)."),
    )
    checked_amount = money_field(
        _("montant retenu"), null=True, blank=True, validators=NOT_NEGATIVE, editable=False
    )
    paid_amount = money_field(
        _("montant versé"), null=True, blank=True, validators=NOT_NEGATIVE, editable=False
    )
    paid_on = models.DateField(_("versé le"), null=True, blank=True, editable=False)
    note = models.TextField(_("observations"), blank=True)

    class Meta:
        verbose_name = _("demande de paiement")
        verbose_name_plural = _("demandes de paiement")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requested_amount}"

    def clean(self) -> None:
        if self.expenses_from and self.expenses_to and self.expenses_to < self.expenses_from:
            raise ValidationError({"expenses_to": _("La période finit avant de commencer.")})
