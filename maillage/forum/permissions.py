"""Who reads, writes and moderates the forum.

A space is read like a cooperation's other contents (its visibility, within the cooperation's
own); a platform space is public. Whoever may read a space writes in it once signed in.
Its cooperation's coordinators moderate it (the staff the platform's, and every space)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from maillage.accounts.selectors import role_in
from maillage.cooperations import permissions as cooperation_permissions
from maillage.cooperations.models import Cooperation
from maillage.core.permissions import can_read, is_staff
from maillage.forum.models import Post, Report, Space, Thread


def can_read_space(user, space: Space) -> bool:
    if space.cooperation is None:
        return True  # public (Space.clean)
    return cooperation_permissions.can_view(user, space.cooperation) and can_read(
        user, visibility=space.visibility, role=role_in(user, space.cooperation.pk)
    )


def can_post(user, space: Space) -> bool:
    return bool(user is not None and user.is_authenticated) and can_read_space(user, space)


def can_moderate(user, space: Space) -> bool:
    return can_manage_spaces(user, space.cooperation)


def can_manage_spaces(user, cooperation: Cooperation | None) -> bool:
    """A cooperation's spaces: its coordinators (and the staff); the platform's: the staff."""
    if cooperation is None:
        return is_staff(user)
    return cooperation_permissions.can_edit(user, cooperation)


def edit_deadline(post: Post):
    return post.created_at + timedelta(minutes=settings.FORUM_EDIT_MINUTES)


def can_edit_post(user, post: Post) -> bool:
    """Its author, for a while after posting, while the post is shown and the thread open."""
    return (
        user is not None
        and user.is_authenticated
        and post.author_id == user.pk
        and not post.hidden
        and not post.thread.locked
        and timezone.now() <= edit_deadline(post)
    )


def can_mark_solved(user, thread: Thread) -> bool:
    return bool(
        user is not None and user.is_authenticated and thread.author_id == user.pk
    ) or can_moderate(user, thread.space)


def get_space_for_user(user, pk: int, *, moderate: bool = False) -> Space:
    """The space if the user may read it (404 otherwise, so nothing leaks); PermissionDenied
    when `moderate` is asked of someone who may only read it."""
    space = Space.objects.select_related("cooperation", "working_group", "theme").filter(pk=pk)
    found = space.first()
    if found is None or not can_read_space(user, found):
        raise Http404
    if moderate and not can_moderate(user, found):
        raise PermissionDenied
    return found


def get_thread_for_user(user, pk: int, *, moderate: bool = False) -> Thread:
    thread = Thread.objects.select_related("space__cooperation", "author").filter(pk=pk).first()
    if thread is None or not can_read_space(user, thread.space):
        raise Http404
    if moderate and not can_moderate(user, thread.space):
        raise PermissionDenied
    return thread


def get_post_for_user(user, pk: int) -> Post:
    post = Post.objects.select_related("thread__space__cooperation", "author").filter(pk=pk).first()
    if post is None or not can_read_space(user, post.thread.space):
        raise Http404
    return post


def get_report_for_user(user, pk: int) -> Report:
    """A report, for the moderators of its space (404 to whoever may not read the space)."""
    report = Report.objects.select_related("post__thread__space__cooperation").filter(pk=pk).first()
    if report is None or not can_read_space(user, report.post.thread.space):
        raise Http404
    if not can_moderate(user, report.post.thread.space):
        raise PermissionDenied
    return report
