"""`/api/v1/forum`: the spaces, threads and posts, as the pages show them, with the same rules
(`permissions`) and writes (`services`). Attachments are sent from the page."""

from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, ModelSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.cooperations.models import Theme, WorkingGroup
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core.api import ERROR_RESPONSES, object_by_id, reference_in
from maillage.core.schemas import model_typed
from maillage.forum import permissions, selectors, services
from maillage.forum.models import POST_MAX_LENGTH, Post, Space, Subscription, Thread

router = Router(tags=["forum"])


class SpaceOut(Schema):
    id: int
    title: str
    description: str
    cooperation_id: int | None
    working_group_id: int | None
    theme_id: int | None
    visibility: str
    threads_count: int
    last_activity: datetime | None


@model_typed
class SpaceIn(ModelSchema):
    cooperation_id: int | None = Field(None, description="Aucune : un espace de la plateforme")

    class Meta:
        model = Space
        fields = services.SPACE_FIELDS


@model_typed
class SpacePatch(ModelSchema):
    class Meta:
        model = Space
        fields = services.SPACE_FIELDS
        fields_optional = "__all__"


class ThreadOut(Schema):
    id: int
    space_id: int
    title: str
    author: str | None
    pinned: bool
    locked: bool
    solution_id: int | None
    posts_count: int
    last_post_at: datetime
    unread: bool = Field(False, description="Un message plus récent que la dernière lecture")

    @staticmethod
    def resolve_author(thread: Thread) -> str | None:
        return str(thread.author) if thread.author else None


class ThreadIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=POST_MAX_LENGTH)


class PostOut(Schema):
    id: int
    thread_id: int
    author: str | None
    body: str = Field(description="Vide pour un message masqué, sauf pour la modération")
    hidden: bool
    quote_id: int | None
    attachment_url: str | None
    created_at: datetime
    edited_at: datetime | None


class ReplyIn(Schema):
    body: str = Field(..., min_length=1, max_length=POST_MAX_LENGTH)
    quote_id: int | None = Field(None, description="Le message cité, de ce sujet")


class PostPatch(Schema):
    body: str = Field(..., min_length=1, max_length=POST_MAX_LENGTH)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class ModerationIn(Schema):
    locked: bool | None = None
    pinned: bool | None = None
    space_id: int | None = Field(None, description="Déplacer vers cet espace")


class SolutionIn(Schema):
    post_id: int | None = Field(None, description="Aucun : le sujet n’est plus résolu")


class SubscriptionOut(Schema):
    subscribed: bool


class ReportOut(Schema):
    id: int
    post_id: int
    thread_id: int
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_thread_id(report) -> int:
        return report.post.thread_id


def _space_out(user, pk: int) -> Space:
    return selectors.space_list(user).get(pk=pk)


def _thread_out(user, thread: Thread) -> Thread:
    """The thread as the lists show it (with `unread`), in its space of now."""
    return selectors.thread_list(user, thread.space, selectors.ThreadFilters()).get(pk=thread.pk)


def _post_out(user, post: Post, moderator: bool) -> dict:
    hidden = post.hidden
    return {
        "id": post.pk,
        "thread_id": post.thread_id,
        "author": str(post.author) if post.author else None,
        "body": "" if hidden and not moderator else post.body,
        "hidden": hidden,
        "quote_id": post.quote_id,
        "attachment_url": reverse("forum:post_attachment", args=[post.pk])
        if post.attachment and (not hidden or moderator)
        else None,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
    }


# Spaces ----------------------------------------------------------------------------------------


@router.get(
    "/forum/spaces",
    auth=optional_user_auth,
    response={200: list[SpaceOut], **ERROR_RESPONSES},
    summary="Espaces de discussion",
)
@paginate
def space_list(request: HttpRequest, cooperation: int | None = None):
    """Ceux que le lecteur peut consulter ; d’une coopération (`cooperation`)."""
    scope = get_cooperation_for_user(request.user, str(cooperation)) if cooperation else None
    return selectors.space_list(request.user, cooperation=scope)


@router.get(
    "/forum/spaces/{space_id}",
    auth=optional_user_auth,
    response={200: SpaceOut, **ERROR_RESPONSES},
)
def space_detail(request: HttpRequest, space_id: int):
    space = permissions.get_space_for_user(request.user, space_id)
    return _space_out(request.user, space.pk)


def _space_references(data: dict, cooperation) -> None:
    reference_in(data, "working_group", WorkingGroup, cooperation=cooperation)
    reference_in(data, "theme", Theme, cooperation=cooperation)


@router.post("/forum/spaces", response={201: SpaceOut, **ERROR_RESPONSES})
def space_create(request: HttpRequest, payload: SpaceIn):
    """D’une coopération (sa coordination) ou de la plateforme (l’équipe, alors public)."""
    user = authenticated_user(request)
    data = payload.dict()
    cooperation_id = data.pop("cooperation_id")
    cooperation = get_cooperation_for_user(user, str(cooperation_id)) if cooperation_id else None
    _space_references(data, cooperation)
    space = services.space_create(actor=user, cooperation=cooperation, **data)
    return Status(201, _space_out(user, space.pk))


@router.patch("/forum/spaces/{space_id}", response={200: SpaceOut, **ERROR_RESPONSES})
def space_update(request: HttpRequest, space_id: int, payload: SpacePatch):
    user = authenticated_user(request)
    space = permissions.get_space_for_user(user, space_id, moderate=True)
    data = payload.dict(exclude_unset=True)
    _space_references(data, space.cooperation)
    services.space_update(actor=user, space=space, **data)
    return _space_out(user, space.pk)


@router.delete("/forum/spaces/{space_id}", response={204: None, **ERROR_RESPONSES})
def space_delete(request: HttpRequest, space_id: int):
    user = authenticated_user(request)
    services.space_delete(
        actor=user, space=permissions.get_space_for_user(user, space_id, moderate=True)
    )
    return Status(204, None)


@router.get(
    "/forum/spaces/{space_id}/reports",
    response={200: list[ReportOut], **ERROR_RESPONSES},
    summary="Signalements à traiter (modération)",
)
@paginate
def report_list(request: HttpRequest, space_id: int):
    user = authenticated_user(request)
    return selectors.open_reports(permissions.get_space_for_user(user, space_id, moderate=True))


# Threads ---------------------------------------------------------------------------------------


@router.get(
    "/forum/spaces/{space_id}/threads",
    auth=optional_user_auth,
    response={200: list[ThreadOut], **ERROR_RESPONSES},
    summary="Sujets d’un espace",
)
@paginate
def thread_list(request: HttpRequest, space_id: int, filters: Query[selectors.ThreadFilters]):
    """Épinglés d’abord, puis le plus récemment actif ; `unread` pour le lecteur connecté."""
    space = permissions.get_space_for_user(request.user, space_id)
    return selectors.thread_list(request.user, space, filters)


@router.post("/forum/spaces/{space_id}/threads", response={201: ThreadOut, **ERROR_RESPONSES})
def thread_create(request: HttpRequest, space_id: int, payload: ThreadIn):
    """Le sujet et son premier message ; son auteur le suit."""
    user = authenticated_user(request)
    space = permissions.get_space_for_user(user, space_id)
    thread = services.thread_create(actor=user, space=space, title=payload.title, body=payload.body)
    return Status(201, _thread_out(user, thread))


@router.get(
    "/forum/threads/{thread_id}",
    auth=optional_user_auth,
    response={200: ThreadOut, **ERROR_RESPONSES},
)
def thread_detail(request: HttpRequest, thread_id: int):
    return _thread_out(request.user, permissions.get_thread_for_user(request.user, thread_id))


@router.post(
    "/forum/threads/{thread_id}/moderation",
    response={200: ThreadOut, **ERROR_RESPONSES},
    summary="Fermer, épingler ou déplacer un sujet (modération)",
)
def thread_moderate(request: HttpRequest, thread_id: int, payload: ModerationIn):
    user = authenticated_user(request)
    thread = permissions.get_thread_for_user(user, thread_id, moderate=True)
    space = object_by_id(Space, payload.space_id, "space_id")
    services.thread_moderate(
        actor=user, thread=thread, locked=payload.locked, pinned=payload.pinned, space=space
    )
    return _thread_out(user, thread)


@router.post(
    "/forum/threads/{thread_id}/solution",
    response={200: ThreadOut, **ERROR_RESPONSES},
    summary="Marquer la réponse qui résout le sujet",
)
def thread_solve(request: HttpRequest, thread_id: int, payload: SolutionIn):
    user = authenticated_user(request)
    thread = permissions.get_thread_for_user(user, thread_id)
    post = object_by_id(Post, payload.post_id, "post_id", thread=thread)
    services.thread_solve(actor=user, thread=thread, post=post)
    return _thread_out(user, thread)


@router.put(
    "/forum/threads/{thread_id}/subscription",
    response={200: SubscriptionOut, **ERROR_RESPONSES},
    summary="Suivre un sujet (être notifié des réponses)",
)
def thread_follow(request: HttpRequest, thread_id: int):
    user = authenticated_user(request)
    services.subscribe(actor=user, thread=permissions.get_thread_for_user(user, thread_id))
    return {"subscribed": True}


@router.delete(
    "/forum/threads/{thread_id}/subscription",
    response={200: SubscriptionOut, **ERROR_RESPONSES},
    summary="Ne plus suivre un sujet",
)
def thread_unfollow(request: HttpRequest, thread_id: int):
    user = authenticated_user(request)
    services.unsubscribe(actor=user, thread=permissions.get_thread_for_user(user, thread_id))
    return {"subscribed": Subscription.objects.filter(user=user, thread_id=thread_id).exists()}


# Posts -----------------------------------------------------------------------------------------


@router.get(
    "/forum/threads/{thread_id}/posts",
    auth=optional_user_auth,
    response={200: list[PostOut], **ERROR_RESPONSES},
    summary="Messages d’un sujet",
)
@paginate
def post_list(request: HttpRequest, thread_id: int):
    """Dans l’ordre ; le lecteur connecté a lu le sujet une fois la liste lue."""
    thread = permissions.get_thread_for_user(request.user, thread_id)
    moderator = permissions.can_moderate(request.user, thread.space)
    if request.user.is_authenticated:
        services.mark_read(user=request.user, thread=thread)
    return _Posts(selectors.posts_of(thread), request.user, moderator)


class _Posts:
    """A thread's posts, each written as the reader may read it, once the page is cut."""

    def __init__(self, posts, user, moderator: bool) -> None:
        self.posts, self.user, self.moderator = posts, user, moderator

    def __getitem__(self, page: slice) -> list[dict]:
        return [_post_out(self.user, post, self.moderator) for post in self.posts[page]]

    def all(self) -> "_Posts":
        return self

    def count(self) -> int:
        return self.posts.count()


@router.post("/forum/threads/{thread_id}/posts", response={201: PostOut, **ERROR_RESPONSES})
def post_reply(request: HttpRequest, thread_id: int, payload: ReplyIn):
    """409 si le sujet est fermé ; les abonnés au sujet sont notifiés."""
    user = authenticated_user(request)
    thread = permissions.get_thread_for_user(user, thread_id)
    quote = object_by_id(Post, payload.quote_id, "quote_id", thread=thread)
    post = services.post_reply(actor=user, thread=thread, body=payload.body, quote=quote)
    return Status(201, _post_out(user, post, False))


@router.patch("/forum/posts/{post_id}", response={200: PostOut, **ERROR_RESPONSES})
def post_edit(request: HttpRequest, post_id: int, payload: PostPatch):
    """Par son auteur, dans le délai de modification (409 ensuite)."""
    user = authenticated_user(request)
    post = permissions.get_post_for_user(user, post_id)
    services.post_edit(actor=user, post=post, body=payload.body)
    return _post_out(user, post, False)


@router.post(
    "/forum/posts/{post_id}/hide",
    response={200: PostOut, **ERROR_RESPONSES},
    summary="Masquer un message (modération)",
)
def post_hide(request: HttpRequest, post_id: int, payload: ReasonIn):
    user = authenticated_user(request)
    post = permissions.get_post_for_user(user, post_id)
    services.post_hide(actor=user, post=post, reason=payload.reason)
    return _post_out(user, post, True)


@router.post(
    "/forum/posts/{post_id}/show",
    response={200: PostOut, **ERROR_RESPONSES},
    summary="Afficher de nouveau un message masqué (modération)",
)
def post_show(request: HttpRequest, post_id: int):
    user = authenticated_user(request)
    post = permissions.get_post_for_user(user, post_id)
    services.post_show(actor=user, post=post)
    return _post_out(user, post, True)


@router.post(
    "/forum/posts/{post_id}/reports",
    response={201: ReportOut, **ERROR_RESPONSES},
    summary="Signaler un message à la modération",
)
def post_report(request: HttpRequest, post_id: int, payload: ReasonIn):
    """Une fois par message et par lecteur (409 ensuite)."""
    user = authenticated_user(request)
    post = permissions.get_post_for_user(user, post_id)
    return Status(201, services.report_create(actor=user, post=post, reason=payload.reason))


@router.post(
    "/forum/reports/{report_id}/handle",
    response={200: ReportOut, **ERROR_RESPONSES},
    summary="Marquer un signalement comme traité (modération)",
)
def report_handle(request: HttpRequest, report_id: int):
    user = authenticated_user(request)
    report = permissions.get_report_for_user(user, report_id)
    return services.report_handle(actor=user, report=report)
