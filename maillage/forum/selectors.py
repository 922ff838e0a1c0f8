"""The forum's reads: the spaces a reader may read, a space's threads with their unread
markers, a thread's posts, the moderators' open reports — each in a fixed number of queries."""

import re
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Value
from ninja import Field

from maillage.accounts.models import Membership, User
from maillage.cooperations.models import Cooperation
from maillage.cooperations.selectors import contents_readable_q
from maillage.core.enums import Role, Visibility
from maillage.core.filters import ListFilters
from maillage.core.permissions import is_staff
from maillage.forum.models import Post, ReadMark, Report, Space, Thread

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 30


def readable_spaces(user) -> QuerySet[Space]:
    """`permissions.can_read_space` for every space at once."""
    visible = Cooperation.objects.visible_to(user).values("pk")
    return Space.objects.filter(
        Q(cooperation__isnull=True) | (Q(cooperation__in=visible) & contents_readable_q(user))
    )


def space_list(user, *, cooperation: Cooperation | None = None) -> QuerySet[Space]:
    """The spaces with their number of threads and their last activity, the platform's first
    then by cooperation (one query)."""
    spaces = readable_spaces(user)
    if cooperation is not None:
        spaces = spaces.filter(cooperation=cooperation)
    return (
        spaces.select_related("cooperation", "working_group", "theme")
        .annotate(threads_count=Count("threads"), last_activity=Max("threads__last_post_at"))
        .order_by("cooperation__title", "title", "pk")
    )


class ThreadFilters(ListFilters):
    """The filters of a space's threads (its page and `GET /forum/spaces/{id}/threads`)."""

    search: str = Field(default="", max_length=200, description="Dans le sujet")
    unsolved: bool = Field(default=False, description="Seulement les sujets non résolus")

    PAGE_PARAMS = {"q": "search", "non-resolus": "unsolved"}
    PAGE_VALUES = {"unsolved": {"oui": "true"}}


def thread_list(user, space: Space, filters: ThreadFilters) -> QuerySet[Thread]:
    """A space's threads, pinned first then the latest active, each with `unread` (a post
    newer than what the reader read; nothing is unread to a visitor) — one query a page."""
    threads = space.threads.select_related("author", "last_poster")
    if filters.search:
        threads = threads.filter(title__icontains=filters.search)
    if filters.unsolved:
        threads = threads.filter(solution__isnull=True)
    if user.is_authenticated:
        read = ReadMark.objects.filter(
            user=user, thread=OuterRef("pk"), read_at__gte=OuterRef("last_post_at")
        )
        threads = threads.annotate(unread=~Exists(read))
    else:
        threads = threads.annotate(unread=Value(False))
    return threads.order_by("-pinned", "-last_post_at", "-pk")


def posts_of(thread: Thread) -> QuerySet[Post]:
    return thread.posts.select_related("thread", "author", "hidden_by", "quote__author").order_by(
        "created_at", "pk"
    )


def page_of_post(thread: Thread, post_id: int) -> int:
    """The page of the thread a post is on (a notification's link opens it)."""
    post = thread.posts.filter(pk=post_id).values("created_at").first()
    if post is None:
        return 1
    before = thread.posts.filter(
        Q(created_at__lt=post["created_at"]) | Q(created_at=post["created_at"], pk__lt=post_id)
    ).count()
    return before // POSTS_PER_PAGE + 1


def open_reports(space: Space) -> QuerySet[Report]:
    return (
        Report.objects.filter(post__thread__space=space, handled_at__isnull=True)
        .select_related("post__thread", "post__author", "reporter")
        .order_by("created_at", "pk")
    )


def readable_posts(user) -> QuerySet[Post]:
    """The posts a reader may read: of the readable spaces, not hidden (the search)."""
    return Post.objects.filter(
        hidden_at__isnull=True, thread__space__in=readable_spaces(user).values("pk")
    )


@dataclass(frozen=True)
class ThreadState:
    """What the thread page needs to know of the reader."""

    subscribed: bool
    can_post: bool
    can_moderate: bool
    can_mark_solved: bool


def moderated_spaces(user) -> QuerySet[Space]:
    """`permissions.can_moderate` for every space at once: where a moderator may move a thread."""
    spaces = Space.objects.select_related("cooperation").order_by("cooperation__title", "title")
    if is_staff(user):
        return spaces
    coordinated = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("cooperation")
    return spaces.filter(cooperation__in=coordinated)


def moderators_of(space: Space) -> QuerySet[User]:
    """Who moderates a space (`permissions.can_moderate`): its cooperation's coordinators, the
    staff for the platform's (the staff moderate every space, but are not told of each)."""
    if space.cooperation_id is None:
        return User.objects.filter(is_staff=True, is_active=True)
    coordinators = Membership.objects.filter(
        cooperation=space.cooperation_id, role=Role.COORDINATOR
    )
    return User.objects.filter(is_active=True, pk__in=coordinators.values("user"))


def space_readers(space: Space) -> QuerySet[User]:
    """The active accounts that may read a space (`permissions.can_read_space` for every user
    at once): whom to notify of what is written there."""
    users = User.objects.filter(is_active=True)
    if space.cooperation_id is None:
        return users
    members = Membership.objects.filter(cooperation=space.cooperation_id)
    allowed = {
        Visibility.PUBLIC: Q(),
        Visibility.PARTNERS: Q(is_staff=True) | Q(pk__in=members.values("user")),
        Visibility.RESTRICTED: Q(is_staff=True)
        | Q(pk__in=members.filter(role=Role.COORDINATOR).values("user")),
    }
    cooperation = space.cooperation
    assert cooperation is not None  # noqa: S101 - for the type checker
    return users.filter(allowed[Visibility(cooperation.visibility)]).filter(
        allowed[Visibility(space.visibility)]
    )


MENTION = re.compile(r"@([^\W\d_][\w'’-]*)\s+([^\W\d_][\w'’-]*)")


def mentioned(space: Space, body: str) -> QuerySet[User]:
    """The readers of the space a post names as "@Prénom Nom" (one query)."""
    names = Q()
    for first, last in {match.groups() for match in MENTION.finditer(body)}:
        names |= Q(first_name__iexact=first, last_name__iexact=last)
    if not names:
        return User.objects.none()
    return space_readers(space).filter(names)
