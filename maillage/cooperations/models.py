import secrets
from datetime import date, timedelta

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.enums import (
    CooperationKind,
    DocumentKind,
    MilestoneKind,
    PartyRole,
    ProposalStatus,
    Stage,
    WorkingGroupKind,
)
from maillage.core.enums import Role, Visibility
from maillage.core.models import (
    SearchableModel,
    TimeStampedModel,
    VisibilityField,
    require_reachable,
)
from maillage.core.validators import MaxFileSize, validate_raster_image
from maillage.directory.models import LOGO_EXTENSIONS

DOCUMENT_EXTENSIONS = [
    "pdf", "odt", "ods", "odp", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
    "csv", "txt", "png", "jpg", "jpeg",
]  # fmt: skip
DOCUMENT_MAX_MEGABYTES = 20
DEFAULT_LEVEL_NAMES = "Axe / Objectif / Action"
INVITATION_VALIDITY = timedelta(days=30)


def period_end(start: date, years: int) -> date:
    """The last day of a period of `years` years starting on `start` (7/7/2011 + 6 → 6/7/2017)."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February into a common year
        anniversary = start.replace(year=start.year + years, day=28) + timedelta(days=1)
    return anniversary - timedelta(days=1)


class CooperationQuerySet(models.QuerySet["Cooperation"]):
    def visible_to(self, user) -> "CooperationQuerySet":
        """Public ones for all; partners-only ones for members; restricted for coordinators."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        public = Q(visibility=Visibility.PUBLIC)
        if not user.is_authenticated:
            return self.filter(public)
        member = Q(visibility=Visibility.PARTNERS, memberships__user=user)
        coordinator = Q(
            visibility=Visibility.RESTRICTED,
            memberships__user=user,
            memberships__role=Role.COORDINATOR,
        )
        ids = self.filter(member | coordinator).values("pk")
        return self.filter(public | Q(pk__in=ids))


@reversion.register()
class Cooperation(SearchableModel):
    """A cooperation between territories: what it is, where it stands, its period, the
    territories it covers. Parties, milestones, strategy and co-construction hang from it."""

    title = models.CharField(_("intitulé"), max_length=255)
    short_name = models.CharField(_("nom court"), max_length=80, blank=True)
    slug = models.SlugField(_("identifiant d’URL"), max_length=80, unique=True)
    kind = models.CharField(_("nature"), max_length=32, choices=CooperationKind.choices)
    summary = models.TextField(_("résumé"), blank=True)
    description = models.TextField(_("description"), blank=True)
    stage = models.CharField(
        _("étape en cours"), max_length=32, choices=Stage.choices, default=Stage.DIAGNOSIS
    )
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    duration_years = models.PositiveSmallIntegerField(
        _("durée (années)"),
        null=True,
        blank=True,
        # The same bound on every database (SQLite stored 10⁹ years; a date then overflowed).
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Avec la date de début seule, la date de fin en est déduite."),
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("territoires concernés"),
        related_name="cooperations",
        blank=True,
    )
    strategy_levels = models.CharField(
        _("niveaux de la stratégie"),
        max_length=200,
        default=DEFAULT_LEVEL_NAMES,
        help_text=_("Les noms des niveaux, du plus large au plus fin, séparés par « / »."),
    )
    logo = models.FileField(
        _("logo"),
        upload_to="cooperations/logos/",
        blank=True,
        validators=[
            FileExtensionValidator(LOGO_EXTENSIONS),
            validate_raster_image,
            MaxFileSize(2),
        ],
    )
    visibility = VisibilityField()

    objects = CooperationQuerySet.as_manager()

    class Meta:
        verbose_name = _("coopération")
        verbose_name_plural = _("coopérations")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.short_name or self.title

    def searchable_text(self) -> str:
        return f"{self.title} {self.short_name}"

    def get_absolute_url(self) -> str:
        return reverse("cooperations:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.start_date and self.duration_years and not self.end_date:
            self.end_date = period_end(self.start_date, self.duration_years)
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValidationError({"end_date": _("La fin précède le début.")})
            if self.duration_years and self.end_date != period_end(
                self.start_date, self.duration_years
            ):
                raise ValidationError(
                    {
                        "duration_years": _(
                            "Du %(start)s au %(end)s, la durée n’est pas de %(years)s ans."
                        )
                        % {
                            "start": self.start_date.strftime("%d/%m/%Y"),
                            "end": self.end_date.strftime("%d/%m/%Y"),
                            "years": self.duration_years,
                        }
                    }
                )
        if not self.level_names():
            raise ValidationError({"strategy_levels": _("Nommez au moins un niveau.")})

    @property
    def computed_duration_years(self) -> int | None:
        """Whole years between start and end, when the period is made of whole years."""
        if not (self.start_date and self.end_date):
            return None
        years = round((self.end_date - self.start_date).days / 365.25)
        return years if years and period_end(self.start_date, years) == self.end_date else None

    def level_names(self) -> list[str]:
        return [name.strip() for name in self.strategy_levels.split("/") if name.strip()]

    def level_name(self, depth: int) -> str:
        names = self.level_names() or [DEFAULT_LEVEL_NAMES.split(" / ")[-1]]
        return names[min(depth, len(names) - 1)]


class StageChange(models.Model):
    """The date a cooperation entered a stage; the latest is its current stage."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.CharField(_("étape"), max_length=32, choices=Stage.choices)
    entered_on = models.DateField(_("depuis le"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("changement d’étape")
        verbose_name_plural = _("changements d’étape")
        ordering = ["pk"]  # the order they were recorded in: some dates are unknown

    def __str__(self) -> str:
        when = self.entered_on.strftime("%d/%m/%Y") if self.entered_on else "?"
        return f"{self.get_stage_display()} ({when})"


@reversion.register()
class Party(TimeStampedModel):
    """An organisation taking part in a cooperation, with its role and who signs for it."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="parties",
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territoire représenté"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parties",
    )
    role = models.CharField(_("rôle"), max_length=16, choices=PartyRole.choices)
    signatory = models.ForeignKey(
        "directory.Person",
        verbose_name=_("signataire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
    )
    signatory_title = models.CharField(
        _("qualité du signataire"), max_length=200, blank=True, help_text=_("Ex. : le Président")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("partie prenante")
        verbose_name_plural = _("parties prenantes")
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "organisation"], name="one_party_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


@reversion.register()
class Milestone(TimeStampedModel):
    """A dated step of a cooperation: study, deliberation, signature, amendment…"""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("type"), max_length=32, choices=MilestoneKind.choices)
    title = models.CharField(_("intitulé"), max_length=255)
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Laissez vide si la source ne la donne pas.")
    )
    description = models.TextField(_("description"), blank=True)
    assembly = models.CharField(
        _("assemblée"),
        max_length=255,
        blank=True,
        help_text=_("Pour une délibération : l’assemblée qui l’a approuvée."),
    )
    changes = models.TextField(
        _("ce qui change"), blank=True, help_text=_("Pour un avenant : ce qu’il modifie.")
    )

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = [models.F("date").asc(nulls_first=True), "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.kind == MilestoneKind.DELIBERATION and not self.assembly:
            raise ValidationError({"assembly": _("Indiquez l’assemblée qui a délibéré.")})
        if self.kind == MilestoneKind.AMENDMENT and not self.changes:
            raise ValidationError({"changes": _("Indiquez ce que l’avenant modifie.")})


def document_path(document: "Document", filename: str) -> str:
    return f"cooperations/{document.cooperation_id}/{secrets.token_hex(8)}/{filename}"


@reversion.register()
class Document(TimeStampedModel):
    """A document of a cooperation, attached to a milestone or standing on its own
    (reference documents may be named without a file)."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="documents")
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("étape"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    kind = models.CharField(_("type"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("titre"), max_length=255)
    file = models.FileField(
        _("fichier"),
        upload_to=document_path,
        blank=True,
        validators=[
            FileExtensionValidator(DOCUMENT_EXTENSIONS),
            MaxFileSize(DOCUMENT_MAX_MEGABYTES),
        ],
    )
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    visibility = VisibilityField()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.file and self.kind != DocumentKind.REFERENCE:
            raise ValidationError({"file": _("Joignez le fichier.")})
        require_reachable(self)


class Invitation(TimeStampedModel):
    """An invitation by e-mail to join a cooperation with a role, accepted through its link."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    @property
    def expires_at(self):
        return self.created_at + INVITATION_VALIDITY

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.expires_at


@reversion.register()
class Theme(TimeStampedModel):
    """A cross-cutting tag of a cooperation (e.g. the Brest–COB working groups' subjects)."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "name"], name="one_theme_per_name")
        ]

    def __str__(self) -> str:
        return self.name


@reversion.register()
class StrategyNode(TimeStampedModel):
    """A node of a cooperation's strategy tree (axe, objectif, action…). Its code comes from
    its position ("4.1.2") unless it was typed (`manual_code`); a typed code may be empty when
    the source gives none."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="strategy_nodes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("rang"), default=0)
    code = models.CharField(_("code"), max_length=32, blank=True)
    manual_code = models.BooleanField(_("code saisi"), default=False)
    level_label = models.CharField(
        _("niveau"),
        max_length=60,
        blank=True,
        help_text=_("Vide : le nom du niveau de sa profondeur (Axe, Objectif, Action…)."),
    )
    title = models.CharField(_("intitulé"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thématiques"), related_name="strategy_nodes", blank=True
    )

    class Meta:
        verbose_name = _("élément de stratégie")
        verbose_name_plural = _("éléments de stratégie")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse(
            "cooperations:strategy_node",
            kwargs={"slug": self.cooperation.slug, "pk": self.pk},
        )


@reversion.register()
class WorkingGroup(TimeStampedModel):
    """A working group, thematic table or workshop of the co-construction."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="working_groups"
    )
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(
        _("type"),
        max_length=16,
        choices=WorkingGroupKind.choices,
        default=WorkingGroupKind.WORKING_GROUP,
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("thématique"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_groups",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "cooperations:working_group", kwargs={"slug": self.cooperation.slug, "pk": self.pk}
        )


@reversion.register()
class WorkingGroupMember(TimeStampedModel):
    """A person in a working group and the organisation they represent there."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="working_groups",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure représentée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membre du groupe")
        verbose_name_plural = _("membres du groupe")
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="once_per_working_group")
        ]

    def __str__(self) -> str:
        return str(self.person)


@reversion.register()
class Proposal(TimeStampedModel):
    """A cooperation track (piste) put forward in the co-construction, attached to strategy
    nodes; a project may later come out of it (the project keeps the link)."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveIntegerField(_("numéro"), editable=False)
    title = models.CharField(_("intitulé"), max_length=300)
    text = models.TextField(_("texte"), blank=True)
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("groupe de travail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    author = models.ForeignKey(
        "directory.Person",
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionnée dans"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
    )
    decision_reason = models.TextField(_("motif"), blank=True)
    strategy_nodes = models.ManyToManyField(
        StrategyNode,
        verbose_name=_("rattachement à la stratégie"),
        related_name="proposals",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    visibility = VisibilityField()

    class Meta:
        verbose_name = _("piste de coopération")
        verbose_name_plural = _("pistes de coopération")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "number"], name="proposal_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "cooperations:proposal", kwargs={"slug": self.cooperation.slug, "number": self.number}
        )

    def clean(self) -> None:
        require_reachable(self)
        if self.status == ProposalStatus.MERGED and self.merged_into_id is None:
            raise ValidationError({"merged_into": _("Indiquez la piste qui l’absorbe.")})
        if self.status != ProposalStatus.MERGED:
            self.merged_into = None
        if self.merged_into_id is not None and self.merged_into_id == self.pk:
            raise ValidationError({"merged_into": _("Une piste ne peut pas s’absorber.")})
        if self.status == ProposalStatus.DECLINED and not self.decision_reason.strip():
            raise ValidationError({"decision_reason": _("Donnez le motif de l’écart.")})


class ProposalComment(TimeStampedModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("commentaire"))

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
