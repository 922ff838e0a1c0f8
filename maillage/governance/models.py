import secrets

import reversion
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.enums import Visibility
from maillage.core.models import TimeStampedModel, VisibilityField, require_reachable
from maillage.governance.enums import (
    AttendanceStatus,
    BodyKind,
    College,
    DecisionKind,
    MandatePosition,
    MeetingKind,
    MinutesStatus,
    RegistrationStatus,
    WhenFull,
)


@reversion.register()
class Body(TimeStampedModel):
    """A governance body of a cooperation (comité de pilotage, comité de suivi…), with its
    composition and its meeting rule ("at least N times per year")."""

    cooperation = models.ForeignKey(
        "cooperations.Cooperation", on_delete=models.CASCADE, related_name="bodies"
    )
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=BodyKind.choices)
    purpose = models.TextField(_("rôle"), blank=True)
    composition = models.TextField(
        _("composition"), blank=True, help_text=_("Quelles parties y siègent, combien de sièges.")
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        _("réunions par an (au moins)"), null=True, blank=True
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum"), null=True, blank=True, help_text=_("Membres présents ou représentés requis.")
    )
    visibility = VisibilityField()

    class Meta:
        verbose_name = _("instance")
        verbose_name_plural = _("instances")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:body", kwargs={"slug": self.cooperation.slug, "pk": self.pk})

    def clean(self) -> None:
        require_reachable(self)


@reversion.register()
class BodyMember(TimeStampedModel):
    """A mandate: a person sitting on a body for an organisation, with a position and dates."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="mandates",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure représentée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mandates",
    )
    position = models.CharField(
        _("fonction"),
        max_length=16,
        choices=MandatePosition.choices,
        default=MandatePosition.MEMBER,
    )
    college = models.CharField(
        _("collège"),
        max_length=8,
        choices=College.choices,
        blank=True,
        help_text=_("Pour un comité à double quorum (comité de programmation LEADER)."),
    )
    voting = models.BooleanField(_("voix délibérative"), default=True)
    start_date = models.DateField(_("début du mandat"), null=True, blank=True)
    end_date = models.DateField(_("fin du mandat"), null=True, blank=True)

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats")
        ordering = ["position", "person__last_name"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_position_display()})"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Le mandat finit avant de commencer.")})


MAX_QUESTIONS = 10


@reversion.register()
class Meeting(TimeStampedModel):
    """A meeting of a body, of a working group, or a standalone event of a cooperation, with
    its registration rules — or a public event of an organisation that is not a cooperation
    (a resource centre's training session): `organiser` instead of `cooperation`."""

    cooperation = models.ForeignKey(
        "cooperations.Cooperation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
    )
    organiser = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure organisatrice"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Pour l’événement public d’une structure, hors de toute coopération."),
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("instance"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    working_group = models.ForeignKey(
        "cooperations.WorkingGroup",
        verbose_name=_("groupe de travail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    title = models.CharField(_("intitulé"), max_length=255)
    kind = models.CharField(
        _("type"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.MEETING
    )
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    place = models.TextField(_("lieu"), blank=True)
    video_url = models.URLField(_("lien de visioconférence"), blank=True)
    description = models.TextField(_("programme"), blank=True)
    visibility = VisibilityField()
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    registration_deadline = models.DateTimeField(_("inscriptions jusqu’au"), null=True, blank=True)
    registration_condition = models.TextField(
        _("condition de participation"),
        blank=True,
        help_text=_("Ex. : cotisation annuelle à l’association ; chaque inscrit la confirme."),
    )
    registration_questions = models.TextField(
        _("questions aux inscrits"),
        blank=True,
        help_text=_(
            "Une question par ligne (10 au plus) ; chaque inscrit y répond. "
            "Ex. : « Votre fonction ? », « Régime alimentaire ? »"
        ),
    )
    open_registration = models.BooleanField(
        _("inscriptions ouvertes au public"),
        default=False,
        help_text=_("Les visiteurs sans compte s’inscrivent et confirment par un lien."),
    )
    when_full = models.CharField(
        _("quand c’est complet"),
        max_length=16,
        choices=WhenFull.choices,
        default=WhenFull.WAITING_LIST,  # nobody turned away while a seat may free up
    )
    documents = models.ManyToManyField(
        "cooperations.Document",
        verbose_name=_("documents"),
        related_name="meetings",
        blank=True,
        help_text=_("Documents de la coopération joints à la réunion (ordre du jour, supports…)."),
    )

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cooperation__isnull=False, organiser__isnull=True)
                | models.Q(cooperation__isnull=True, organiser__isnull=False),
                name="meeting_of_a_cooperation_or_an_organiser",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.cooperation is None:
            return reverse("governance:event", kwargs={"pk": self.pk})
        return reverse("governance:meeting", kwargs={"slug": self.cooperation.slug, "pk": self.pk})

    @property
    def is_organisation_event(self) -> bool:
        """An organisation's public event: no cooperation, no body, no minutes."""
        return self.cooperation_id is None

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("La réunion finit avant de commencer.")})
        if self.cooperation_id is None:
            if self.organiser_id is None:
                raise ValidationError(
                    _("Une réunion est celle d’une coopération ou d’une structure.")
                )
            if self.visibility != Visibility.PUBLIC or self.body_id or self.working_group_id:
                raise ValidationError(
                    _("L’événement d’une structure est public, sans instance ni groupe de travail.")
                )
        require_reachable(self)
        if self.open_registration and self.visibility != Visibility.PUBLIC:
            raise ValidationError(
                {
                    "open_registration": _(
                        "Seule une réunion publique s’ouvre aux inscriptions du public : "
                        "les visiteurs ne verraient pas celle-ci."
                    )
                }
            )
        for field in ("body", "working_group"):
            related = getattr(self, field)
            if related is not None and related.cooperation_id != self.cooperation_id:
                raise ValidationError({field: _("Cet élément appartient à une autre coopération.")})

    @property
    def held(self) -> bool:
        """Begun already (`selectors.held_q` is the same rule in SQL): its decisions can be
        recorded; before, it is only planned."""
        return self.start <= timezone.now()

    @property
    def questions(self) -> list[str]:
        """The organiser's questions to each registrant, in order."""
        lines = (line.strip() for line in self.registration_questions.splitlines())
        return [line for line in lines if line][:MAX_QUESTIONS]

    @property
    def registration_open(self) -> bool:
        deadline = self.registration_deadline or self.start
        return timezone.now() <= deadline


class Registration(TimeStampedModel):
    """A registration to a meeting: by a user, or by a visitor who confirms by e-mail."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("adresse e-mail"))
    organisation = models.CharField(_("structure"), max_length=200, blank=True)
    status = models.CharField(_("statut"), max_length=16, choices=RegistrationStatus.choices)
    condition_accepted = models.BooleanField(_("condition acceptée"), default=False)
    token = models.CharField(max_length=64, unique=True, editable=False)
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} — {self.meeting}"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)


@reversion.register()
class Decision(TimeStampedModel):
    """A decision of a body, numbered per body, linked to what it changes."""

    body = models.ForeignKey(
        Body, verbose_name=_("instance"), on_delete=models.CASCADE, related_name="decisions"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("réunion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    number = models.PositiveIntegerField(_("numéro"), editable=False)
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=16, choices=DecisionKind.choices)
    text = models.TextField(_("texte"))
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("projets"), related_name="decisions", blank=True
    )
    proposals = models.ManyToManyField(
        "cooperations.Proposal", verbose_name=_("pistes"), related_name="decisions", blank=True
    )
    strategy_nodes = models.ManyToManyField(
        "cooperations.StrategyNode",
        verbose_name=_("éléments de stratégie"),
        related_name="decisions",
        blank=True,
    )

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["-date", "-number"]
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="decision_number")]

    def __str__(self) -> str:
        return f"{self.body.name} n° {self.number}"

    def clean(self) -> None:
        """A decision records what was decided: at a meeting already held, on a day already
        come (the projects it changes carry its date as their status's)."""
        if self.meeting is not None and not self.meeting.held:
            raise ValidationError(
                {
                    "meeting": _(
                        "Cette réunion n’a pas encore eu lieu : enregistrez la décision une fois "
                        "la réunion tenue."
                    )
                }
            )
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("Une décision ne se date pas dans l’avenir.")})


@reversion.register()
class Minutes(TimeStampedModel):
    """The minutes of a meeting: drafted, circulated to the members, approved at a later
    meeting, then published with the chosen visibility (its history is kept)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("compte rendu"))
    status = models.CharField(
        _("statut"), max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    approved_at = models.ForeignKey(
        Meeting,
        verbose_name=_("approuvé lors de"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_minutes",
    )
    visibility = VisibilityField()

    class Meta:
        verbose_name = _("compte rendu")
        verbose_name_plural = _("comptes rendus")

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def next_status(self) -> str | None:
        """The workflow's next step (draft → circulated → approved → published); None once
        published."""
        order = list(MinutesStatus.values)
        position = order.index(self.status) + 1
        return order[position] if position < len(order) else None

    @property
    def editable(self) -> bool:
        """Its text may change until it is approved: then it is the record."""
        return self.status in (MinutesStatus.DRAFT, MinutesStatus.CIRCULATED)


class Attendance(TimeStampedModel):
    """Who attended a meeting, for which organisation; quorum is counted from it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("présence"), max_length=16, choices=AttendanceStatus.choices)
    represented_by = models.CharField(_("représenté·e par"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_status_display()}"


@reversion.register()
class AgendaItem(TimeStampedModel):
    """An item of a meeting's agenda, pointing to what it discusses."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    title = models.CharField(_("point"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("projets"), related_name="agenda_items", blank=True
    )
    proposals = models.ManyToManyField(
        "cooperations.Proposal", verbose_name=_("pistes"), related_name="agenda_items", blank=True
    )
    strategy_nodes = models.ManyToManyField(
        "cooperations.StrategyNode",
        verbose_name=_("éléments de stratégie"),
        related_name="agenda_items",
        blank=True,
    )

    class Meta:
        verbose_name = _("point de l’ordre du jour")
        verbose_name_plural = _("ordre du jour")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(TimeStampedModel):
    """The secret address of a user's own meetings feed, for calendar applications that cannot
    sign in. It reveals only that user's meeting list; resetting it revokes the old address."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = _("flux d’agenda personnel")
        verbose_name_plural = _("flux d’agenda personnels")

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("governance:feed_ics", kwargs={"token": self.token})
