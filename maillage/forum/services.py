"""Every write of the forum: spaces, threads and posts, moderation, reports, subscriptions
and what each reader has read. Replies notify the thread's subscribers (notifications)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.cooperations.models import Cooperation
from maillage.core import search
from maillage.core.enums import Visibility
from maillage.core.exceptions import Conflict
from maillage.core.history import delete_recorded, recorded_change
from maillage.core.services import apply_changes
from maillage.forum import permissions, selectors
from maillage.forum.models import Post, ReadMark, Report, Space, Subscription, Thread
from maillage.notifications.enums import NotificationKind
from maillage.notifications.services import notify

SPACE_FIELDS = ("title", "description", "visibility", "working_group", "theme")


# Spaces ----------------------------------------------------------------------------------------


def _require_manage(actor: User | None, cooperation: Cooperation | None) -> None:
    if actor is not None and not permissions.can_manage_spaces(actor, cooperation):
        raise PermissionDenied


def space_create(*, actor: User | None, cooperation: Cooperation | None, **fields: Any) -> Space:
    """A space of a cooperation (its coordinators open it) or of the platform (the staff)."""
    _require_manage(actor, cooperation)
    unknown = set(fields) - set(SPACE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if cooperation is None:
        fields.setdefault("visibility", Visibility.PUBLIC)
    space = Space(cooperation=cooperation, **fields)
    space.full_clean()
    with recorded_change(
        actor=actor, comment=_("Nouvel espace de discussion : %(title)s") % {"title": space.title}
    ):
        space.save()
    return space


def space_update(*, actor: User | None, space: Space, **changes: Any) -> Space:
    _require_manage(actor, space.cooperation)
    apply_changes(
        actor=actor,
        obj=space,
        changes=changes,
        allowed=SPACE_FIELDS,
        comment=_("Espace de discussion modifié : %(title)s") % {"title": space.title},
    )
    return space


def space_delete(*, actor: User | None, space: Space) -> None:
    """With its threads and posts, which the history keeps with it for a restore."""
    _require_manage(actor, space.cooperation)
    delete_recorded(
        actor=actor,
        comment=_("Espace de discussion supprimé : %(title)s") % {"title": space.title},
        obj=space,
        cascaded=_contents(Space.objects.filter(pk=space.pk)),
    )


def _contents(spaces) -> list:
    return [
        *Thread.objects.filter(space__in=spaces),
        *Post.objects.filter(thread__space__in=spaces),
    ]


def cooperation_forum_cascade(cooperation: Cooperation) -> list:
    """A cooperation's spaces, their threads and posts, deleted with it and brought back by its
    restore (`cooperations.services.DELETION_CASCADES`)."""
    spaces = Space.objects.filter(cooperation=cooperation)
    return [*spaces, *_contents(spaces)]


# Threads and posts -----------------------------------------------------------------------------


def _require_post(actor: User, space: Space) -> None:
    if not permissions.can_post(actor, space):
        raise PermissionDenied


def _checked_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Le message est vide.")})
    return body


def thread_create(*, actor: User, space: Space, title: str, body: str, attachment=None) -> Thread:
    """Open a thread with its first post; its author follows it and has read it."""
    _require_post(actor, space)
    now = timezone.now()
    thread = Thread(
        space=space,
        title=title.strip(),
        author=actor,
        last_post_at=now,
        last_poster=actor,
        posts_count=1,
    )
    thread.full_clean(exclude=["solution", "last_poster"])
    post = Post(thread=thread, author=actor, body=_checked_body(body), attachment=attachment or "")
    post.full_clean(exclude=["thread"])
    with transaction.atomic():
        thread.save()
        post.thread = thread
        post.save()
        Subscription.objects.create(user=actor, thread=thread)
        ReadMark.objects.create(user=actor, thread=thread, read_at=now)
        _notify_readers(post, actor, reply=False)
    return thread


def post_reply(
    *, actor: User, thread: Thread, body: str, quote: Post | None = None, attachment=None
) -> Post:
    """A reply, quoting a post of the thread if asked; refused in a closed thread (409). Its
    author follows the thread; the other subscribers who may still read it are notified."""
    _require_post(actor, thread.space)
    if thread.locked:
        raise Conflict(_("Ce sujet est fermé : il ne reçoit plus de réponse."))
    if quote is not None and (quote.thread_id != thread.pk or quote.hidden):
        raise ValidationError({"quote": _("On ne cite qu’un message visible de ce sujet.")})
    post = Post(
        thread=thread,
        author=actor,
        body=_checked_body(body),
        quote=quote,
        attachment=attachment or "",
    )
    post.full_clean()
    with transaction.atomic():
        post.save()
        Thread.objects.filter(pk=thread.pk).update(
            last_post_at=post.created_at, last_poster=actor, posts_count=F("posts_count") + 1
        )
        Subscription.objects.get_or_create(user=actor, thread=thread)
        ReadMark.objects.update_or_create(
            user=actor, thread=thread, defaults={"read_at": post.created_at}
        )
        _notify_readers(post, actor)
    thread.refresh_from_db()
    return post


def _notify_readers(post: Post, actor: User, *, reply: bool = True) -> None:
    """Those a post names ("@Prénom Nom") are told they are mentioned; the thread's other
    followers that a reply was posted — each among those who may read the space, once."""
    thread, space = post.thread, post.thread.space
    author = actor.get_full_name() or actor.email
    excerpt = post.body[:300]
    named = list(selectors.mentioned(space, post.body).exclude(pk=actor.pk))
    notify(
        recipients=named,
        kind=NotificationKind.FORUM,
        title=_("%(author)s vous mentionne dans « %(thread)s »")
        % {"author": author, "thread": thread.title},
        text=excerpt,
        url=post.get_absolute_url(),
        actor=actor,
    )
    if not reply:
        return  # the opening post: nobody else follows the thread yet
    followers = (
        selectors.space_readers(space)
        .filter(pk__in=thread.subscriptions.values("user"))
        .exclude(pk__in=[user.pk for user in named])
    )
    notify(
        recipients=followers,
        kind=NotificationKind.FORUM,
        title=_("Réponse dans « %(thread)s »") % {"thread": thread.title},
        text=_("%(author)s : %(excerpt)s") % {"author": author, "excerpt": excerpt},
        url=post.get_absolute_url(),
        actor=actor,
    )


def post_edit(*, actor: User, post: Post, body: str) -> Post:
    """Its author rewrites it, within the edit window (409 after: `FORUM_EDIT_MINUTES`)."""
    if post.author_id != actor.pk:
        raise PermissionDenied
    if not permissions.can_edit_post(actor, post):
        raise Conflict(_("Ce message ne peut plus être modifié."))
    post.body = _checked_body(body)
    post.full_clean()
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at", "updated_at"])
    return post


# Moderation ------------------------------------------------------------------------------------


def _require_moderate(actor: User | None, space: Space) -> None:
    if actor is not None and not permissions.can_moderate(actor, space):
        raise PermissionDenied


def post_hide(*, actor: User, post: Post, reason: str) -> Post:
    """Hidden from the readers (kept, with who and why); its reports are handled."""
    _require_moderate(actor, post.thread.space)
    if post.hidden:
        raise Conflict(_("Ce message est déjà masqué."))
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif.")})
    now = timezone.now()
    post.hidden_at, post.hidden_by, post.hidden_reason = now, actor, reason.strip()[:300]
    with transaction.atomic():
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
        post.reports.filter(handled_at__isnull=True).update(handled_at=now, handled_by=actor)
        Thread.objects.filter(pk=post.thread_id, solution=post).update(solution=None)
    return post


def post_show(*, actor: User, post: Post) -> Post:
    _require_moderate(actor, post.thread.space)
    if not post.hidden:
        raise Conflict(_("Ce message n’est pas masqué."))
    post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return post


def thread_moderate(
    *,
    actor: User,
    thread: Thread,
    locked: bool | None = None,
    pinned: bool | None = None,
    space: Space | None = None,
) -> Thread:
    """Close or reopen, pin or unpin, move to another space the moderator also moderates."""
    _require_moderate(actor, thread.space)
    if space is not None and space.pk != thread.space_id:
        _require_moderate(actor, space)
        thread.space = space
    if locked is not None:
        thread.locked = locked
    if pinned is not None:
        thread.pinned = pinned
    with recorded_change(
        actor=actor, comment=_("Modération du sujet « %(title)s »") % {"title": thread.title}
    ):
        thread.save(update_fields=["space", "locked", "pinned", "updated_at"])
        if space is not None:  # its posts are found where they now are
            search.reindex(Post, thread.posts.values_list("pk", flat=True))
    return thread


def thread_solve(*, actor: User, thread: Thread, post: Post | None) -> Thread:
    """The reply that solved it (None: not solved any more): its author or a moderator."""
    if not permissions.can_mark_solved(actor, thread):
        raise PermissionDenied
    if post is not None and (post.thread_id != thread.pk or post.hidden):
        raise ValidationError({"post": _("Choisissez un message visible de ce sujet.")})
    thread.solution = post
    thread.save(update_fields=["solution", "updated_at"])
    return thread


def report_create(*, actor: User, post: Post, reason: str) -> Report:
    """A reader signals an abusive post to the moderators (once per post)."""
    if not permissions.can_post(actor, post.thread.space):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Dites ce qui pose problème.")})
    report = Report(post=post, reporter=actor, reason=reason.strip())
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise Conflict(_("Vous avez déjà signalé ce message.")) from error
    notify(
        recipients=selectors.moderators_of(post.thread.space),
        kind=NotificationKind.FORUM,
        title=_("Message signalé dans « %(thread)s »") % {"thread": post.thread.title},
        text=report.reason[:300],
        url=post.get_absolute_url(),
        actor=actor,
    )
    return report


def report_handle(*, actor: User, report: Report) -> Report:
    _require_moderate(actor, report.post.thread.space)
    if report.handled_at is not None:
        raise Conflict(_("Ce signalement est déjà traité."))
    report.handled_at, report.handled_by = timezone.now(), actor
    report.save(update_fields=["handled_at", "handled_by", "updated_at"])
    return report


# Following and reading -------------------------------------------------------------------------


def subscribe(*, actor: User, thread: Thread) -> None:
    if not permissions.can_post(actor, thread.space):
        raise PermissionDenied
    Subscription.objects.get_or_create(user=actor, thread=thread)


def unsubscribe(*, actor: User, thread: Thread) -> None:
    Subscription.objects.filter(user=actor, thread=thread).delete()


def mark_read(*, user: User, thread: Thread) -> None:
    """Read up to its last post."""
    if user.is_authenticated:
        ReadMark.objects.update_or_create(
            user=user, thread=thread, defaults={"read_at": thread.last_post_at}
        )
