import secrets

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.models import DOCUMENT_EXTENSIONS, DOCUMENT_MAX_MEGABYTES
from maillage.core.models import TimeStampedModel, VisibilityField, require_reachable_or_public
from maillage.core.validators import MaxFileSize

POST_MAX_LENGTH = 20_000


@reversion.register()
class Space(TimeStampedModel):
    """A discussion space: of a cooperation — for one of its working groups or themes, or the
    whole of it — public or for its members; or of the platform, on a theme, public."""

    cooperation = models.ForeignKey(
        "cooperations.Cooperation",
        verbose_name=_("coopération"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forum_spaces",
    )
    working_group = models.ForeignKey(
        "cooperations.WorkingGroup",
        verbose_name=_("groupe de travail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_spaces",
    )
    theme = models.ForeignKey(
        "cooperations.Theme",
        verbose_name=_("thématique"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_spaces",
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    visibility = VisibilityField()

    class Meta:
        verbose_name = _("espace de discussion")
        verbose_name_plural = _("espaces de discussion")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:space", kwargs={"pk": self.pk})

    def clean(self) -> None:
        for field in ("working_group", "theme"):
            linked = getattr(self, field)
            if linked is not None and linked.cooperation_id != self.cooperation_id:
                raise ValidationError({field: _("Il appartient à une autre coopération.")})
        require_reachable_or_public(
            self,
            _(
                "Un espace de la plateforme est public : réservez-le aux membres d’une "
                "coopération en le lui rattachant."
            ),
        )


@reversion.register()
class Thread(TimeStampedModel):
    """A discussion in a space: its first post opens it, replies follow. `last_post_at`,
    `last_poster` and `posts_count` are kept by the services for the lists."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("sujet"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="forum_threads",
    )
    pinned = models.BooleanField(_("épinglé"), default=False)
    locked = models.BooleanField(_("fermé"), default=False)
    solution = models.ForeignKey(
        "Post",
        verbose_name=_("réponse qui résout"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_post_at = models.DateTimeField(_("dernier message le"), db_index=True)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    posts_count = models.PositiveIntegerField(_("messages"), default=0)

    class Meta:
        verbose_name = _("sujet")
        verbose_name_plural = _("sujets")
        ordering = ["-pinned", "-last_post_at", "-pk"]
        indexes = [models.Index(fields=["space", "-pinned", "-last_post_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", kwargs={"pk": self.pk})

    @property
    def solved(self) -> bool:
        return self.solution_id is not None


def attachment_path(post: "Post", filename: str) -> str:
    return f"forum/{secrets.token_hex(8)}/{filename}"


@reversion.register()
class Post(TimeStampedModel):
    """A message of a thread: the first opens it. Its author edits it for a while
    (`FORUM_EDIT_MINUTES`); moderators hide it (kept, with who and why)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="forum_posts",
    )
    body = models.TextField(_("message"), validators=[MaxLengthValidator(POST_MAX_LENGTH)])
    quote = models.ForeignKey(
        "self",
        verbose_name=_("message cité"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attachment = models.FileField(
        _("pièce jointe"),
        upload_to=attachment_path,
        blank=True,
        validators=[
            FileExtensionValidator(DOCUMENT_EXTENSIONS),
            MaxFileSize(DOCUMENT_MAX_MEGABYTES),
        ],
    )
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("masqué le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("motif"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return f"{self.thread} — {self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}?message={self.pk}#message-{self.pk}"

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None


class Report(TimeStampedModel):
    """A reader's report of an abusive post, for the moderators; once per reader and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("motif"), validators=[MaxLengthValidator(1000)])
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_reader")
        ]

    def __str__(self) -> str:
        return self.reason[:60]


class Subscription(TimeStampedModel):
    """A user told of a thread's replies (notifications, kind `forum`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_subscription_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} — {self.thread_id}"


class ReadMark(models.Model):
    """Up to when a user has read a thread: newer posts are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_marks")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_read_mark_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} — {self.thread_id}: {self.read_at}"
