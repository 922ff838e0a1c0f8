import secrets

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.models import DOCUMENT_EXTENSIONS, DOCUMENT_MAX_MEGABYTES
from maillage.core.enums import TaskStatus
from maillage.core.models import (
    SearchableModel,
    TimeStampedModel,
    VisibilityField,
    require_reachable,
)
from maillage.core.validators import MaxFileSize
from maillage.projects.enums import (
    CLOSED_STATUSES,
    SHARED_STATUS,
    Currency,
    FinancingStatus,
    IndicatorKind,
    JournalKind,
    ProjectStatus,
)


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    """An amount or a measured value: up to a thousand billion, with cents."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Programme(models.Model):
    """A funding programme or fund (LEADER, FEDER, Interreg, CPER, DETR, DSIL, FPPT,
    self-financing…): a list the platform's staff keep."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("nom"), max_length=120)

    class Meta:
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExchangeRate(models.Model):
    """What one unit of a currency is worth in euros from a date (the rate totals use)."""

    currency = models.CharField(_("devise"), max_length=3, choices=Currency.choices)
    valid_from = models.DateField(_("valable à partir du"))
    rate = models.DecimalField(_("valeur en euros"), max_digits=12, decimal_places=6)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("taux de change")
        verbose_name_plural = _("taux de change")
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="one_rate_per_day")
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} EUR ({self.valid_from:%d/%m/%Y})"


def late_q() -> Q:
    """The "late" rule as a condition: end date passed, neither completed nor abandoned."""
    return Q(end_date__lt=timezone.localdate()) & ~Q(status__in=CLOSED_STATUSES)


def is_late(end_date, status: str) -> bool:
    """The same rule on one project's values."""
    return bool(end_date and end_date < timezone.localdate() and status not in CLOSED_STATUSES)


class ProjectQuerySet(models.QuerySet["Project"]):
    def late(self) -> "ProjectQuerySet":
        return self.filter(late_q())


@reversion.register()
class Project(SearchableModel):
    """A project (fiche action) of a cooperation's portfolio."""

    cooperation = models.ForeignKey(
        "cooperations.Cooperation",
        verbose_name=_("coopération"),
        on_delete=models.CASCADE,
        related_name="projects",
    )
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("intitulé"), max_length=300)
    summary = models.TextField(_("résumé"), blank=True)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("porteur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_projects",
    )
    partners = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("partenaires"),
        related_name="partner_projects",
        blank=True,
    )
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("référents"),
        related_name="contact_projects",
        blank=True,
        help_text=_("Les personnes qui peuvent modifier le projet."),
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("territoires"),
        related_name="projects",
        blank=True,
    )
    strategy_nodes = models.ManyToManyField(
        "cooperations.StrategyNode",
        verbose_name=_("rattachement à la stratégie"),
        related_name="projects",
        blank=True,
    )
    themes = models.ManyToManyField(
        "cooperations.Theme", verbose_name=_("thématiques"), related_name="projects", blank=True
    )
    proposal = models.ForeignKey(
        "cooperations.Proposal",
        verbose_name=_("piste d’origine"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    structuring = models.BooleanField(_("projet structurant"), default=False)
    tags = models.CharField(
        _("mots-clés"), max_length=255, blank=True, help_text=_("Séparés par des virgules.")
    )
    visibility = VisibilityField()
    status = models.CharField(
        _("statut"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.IDEA
    )
    status_changed_on = models.DateField(_("statut depuis le"), null=True, blank=True)
    blocked = models.BooleanField(_("bloqué"), default=False)
    to_discuss = models.BooleanField(_("à discuter"), default=False)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    total_cost = money_field(
        _("coût total"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(
        _("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["cooperation", "code"], name="project_code")]
        indexes = [models.Index(fields=["cooperation", "status"])]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def searchable_text(self) -> str:
        return f"{self.code} {self.title} {self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"slug": self.cooperation.slug, "code": self.code})

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fin précède le début.")})
        require_reachable(self)

    @property
    def shared_status(self) -> str:
        return SHARED_STATUS[ProjectStatus(self.status)]

    @property
    def late(self) -> bool:
        return is_late(self.end_date, self.status)

    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


@reversion.register()
class JournalEntry(TimeStampedModel):
    """A dated line of a project's journal: a status change (with its comment), a progress
    note, a decision."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="journal")
    kind = models.CharField(_("type"), max_length=16, choices=JournalKind.choices)
    date = models.DateField(_("date"))
    status_before = models.CharField(
        _("statut avant"), max_length=16, choices=ProjectStatus.choices, blank=True
    )
    status_after = models.CharField(
        _("statut après"), max_length=16, choices=ProjectStatus.choices, blank=True
    )
    text = models.TextField(_("texte"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


@reversion.register()
class ProjectStep(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("étape"), max_length=255)
    planned_date = models.DateField(_("date prévue"), null=True, blank=True)
    actual_date = models.DateField(_("date réelle"), null=True, blank=True)

    class Meta:
        verbose_name = _("étape du projet")
        verbose_name_plural = _("étapes du projet")
        ordering = [models.F("planned_date").asc(nulls_last=True), "pk"]

    def __str__(self) -> str:
        return self.title


@reversion.register()
class FinancingLine(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="financing")
    funder = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("financeur"),
        on_delete=models.PROTECT,
        related_name="financing_lines",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("dispositif"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financing_lines",
    )
    amount = money_field(_("montant"), validators=[MinValueValidator(0)])
    currency = models.CharField(
        _("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=FinancingStatus.choices,
        default=FinancingStatus.PLANNED,
    )
    requested_on = models.DateField(_("demandé le"), null=True, blank=True)
    granted_on = models.DateField(_("accordé le"), null=True, blank=True)
    paid_on = models.DateField(_("versé le"), null=True, blank=True)
    first_year = models.PositiveSmallIntegerField(_("première année"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("dernière année"), null=True, blank=True)

    class Meta:
        verbose_name = _("ligne de financement")
        verbose_name_plural = _("plan de financement")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.funder} {self.amount} {self.currency}"

    def clean(self) -> None:
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("La dernière année précède la première.")})


@reversion.register()
class Indicator(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("nom"), max_length=200)
    unit = models.CharField(_("unité"), max_length=40, blank=True)
    kind = models.CharField(
        _("type"), max_length=16, choices=IndicatorKind.choices, default=IndicatorKind.OUTPUT
    )
    baseline = money_field(_("valeur de départ"), null=True, blank=True)
    target = money_field(_("cible"), null=True, blank=True)
    target_date = models.DateField(_("échéance de la cible"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


@reversion.register()
class IndicatorValue(TimeStampedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    date = models.DateField(_("date"))
    value = money_field(_("valeur"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("valeur d’indicateur")
        verbose_name_plural = _("valeurs d’indicateur")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.value} ({self.date:%d/%m/%Y})"


def project_document_path(document: "ProjectDocument", filename: str) -> str:
    return f"projects/{document.project_id}/{secrets.token_hex(8)}/{filename}"


@reversion.register()
class ProjectDocument(TimeStampedModel):
    """A document of a project (application file, study, deliberation, photo…), stored through
    Django's storage API with the same type and size limits as a cooperation's documents."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=255)
    file = models.FileField(
        _("fichier"),
        upload_to=project_document_path,
        validators=[
            FileExtensionValidator(DOCUMENT_EXTENSIONS),
            MaxFileSize(DOCUMENT_MAX_MEGABYTES),
        ],
    )
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("document du projet")
        verbose_name_plural = _("documents du projet")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class PlanImport(TimeStampedModel):
    """An action plan sent through the page, checked (a dry run) and then written by the task
    worker: a big or hostile file must not hold a web worker for minutes. The upload stays in
    storage (`path`) between the check and the confirmation, and is deleted once written."""

    cooperation = models.ForeignKey(
        "cooperations.Cooperation", on_delete=models.CASCADE, related_name="plan_imports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_imports"
    )
    path = models.CharField(_("fichier déposé"), max_length=500)
    dry_run = models.BooleanField(_("vérification seulement"), default=True)
    create_organisations = models.BooleanField(_("créer les structures inconnues"), default=False)
    status = models.CharField(
        _("état"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.QUEUED
    )
    rows = models.PositiveIntegerField(_("lignes lues"), default=0)
    counts = models.JSONField(_("décompte"), default=dict, blank=True)
    problems = models.JSONField(_("erreurs"), default=list, blank=True)
    new_organisations = models.JSONField(_("structures inconnues"), default=list, blank=True)
    error = models.TextField(_("échec"), blank=True)

    class Meta:
        verbose_name = _("import de plan d’actions")
        verbose_name_plural = _("imports de plans d’actions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def working(self) -> bool:
        return self.status in (TaskStatus.QUEUED, TaskStatus.RUNNING)

    @property
    def written(self) -> bool:
        return self.status == TaskStatus.DONE and not self.dry_run and not self.problems
