from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core.exceptions import Conflict
from maillage.core.views import (
    add_service_errors,
    confirm_page,
    file_download,
    form_page,
    list_filters,
)
from maillage.forum import permissions, selectors, services
from maillage.forum.forms import (
    MoveForm,
    PostEditForm,
    ReasonForm,
    ReplyForm,
    SpaceForm,
    ThreadForm,
)
from maillage.forum.models import Subscription


def index(request):
    """Every space the reader may read: the platform's themes, then each cooperation's."""
    spaces = list(selectors.space_list(request.user))
    return render(
        request,
        "forum/index.html",
        {
            "platform_spaces": [space for space in spaces if space.cooperation is None],
            "cooperation_spaces": [space for space in spaces if space.cooperation is not None],
            "can_create": permissions.can_manage_spaces(request.user, None),
        },
    )


def space_detail(request, pk: int):
    space = permissions.get_space_for_user(request.user, pk)
    filters = list_filters(request, selectors.ThreadFilters)
    page = Paginator(
        selectors.thread_list(request.user, space, filters), selectors.THREADS_PER_PAGE
    ).get_page(request.GET.get("page"))
    can_moderate = permissions.can_moderate(request.user, space)
    return render(
        request,
        "forum/space.html",
        {
            "space": space,
            "cooperation": space.cooperation,
            "page_obj": page,
            "filters": filters,
            "can_post": permissions.can_post(request.user, space),
            "can_moderate": can_moderate,
            "reports": list(selectors.open_reports(space)) if can_moderate else [],
        },
    )


def _cooperation_of_request(request):
    slug = request.GET.get("cooperation")
    return get_cooperation_for_user(request.user, slug) if slug else None


@login_required
def space_create(request):
    cooperation = _cooperation_of_request(request)
    if not permissions.can_manage_spaces(request.user, cooperation):
        raise PermissionDenied
    form = SpaceForm(request.POST or None, cooperation=cooperation)
    return form_page(
        request,
        form,
        lambda data: services.space_create(
            actor=request.user, cooperation=cooperation, **data
        ).get_absolute_url(),
        cooperation=cooperation,
        title=_("Nouvel espace de discussion"),
        back=cooperation.get_absolute_url() if cooperation else reverse("forum:index"),
        success=_("Espace de discussion ouvert."),
    )


@login_required
def space_edit(request, pk: int):
    space = permissions.get_space_for_user(request.user, pk, moderate=True)
    form = SpaceForm(request.POST or None, instance=space, cooperation=space.cooperation)
    return form_page(
        request,
        form,
        lambda data: services.space_update(
            actor=request.user, space=space, **data
        ).get_absolute_url(),
        cooperation=space.cooperation,
        title=_("Modifier l’espace de discussion"),
        back=space.get_absolute_url(),
        success=_("Espace de discussion modifié."),
    )


@login_required
def space_delete(request, pk: int):
    space = permissions.get_space_for_user(request.user, pk, moderate=True)
    return confirm_page(
        request,
        cooperation=space.cooperation,
        title=_("Supprimer l’espace « %(title)s »") % {"title": space.title},
        explanation=_("Ses sujets et leurs messages sont supprimés avec lui."),
        action=lambda: services.space_delete(actor=request.user, space=space),
        back=space.get_absolute_url(),
        done=reverse("forum:index"),
        success=_("Espace de discussion supprimé."),
    )


@login_required
def thread_create(request, pk: int):
    space = permissions.get_space_for_user(request.user, pk)
    if not permissions.can_post(request.user, space):
        raise PermissionDenied
    form = ThreadForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda data: services.thread_create(
            actor=request.user, space=space, **data
        ).get_absolute_url(),
        cooperation=space.cooperation,
        title=_("Nouveau sujet dans « %(space)s »") % {"space": space.title},
        back=space.get_absolute_url(),
        success=_("Sujet ouvert : vous serez prévenu·e des réponses."),
    )


def thread_detail(request, pk: int):
    """The thread's posts a page at a time (`?message=` opens the page of that post); the
    reply form at the end (`?citer=` quotes a post); POST replies."""
    thread = permissions.get_thread_for_user(request.user, pk)
    space = thread.space
    can_post = permissions.can_post(request.user, space)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_post:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            quote = thread.posts.filter(pk=data["quote"]).first() if data["quote"] else None
            try:
                post = services.post_reply(
                    actor=request.user,
                    thread=thread,
                    body=data["body"],
                    quote=quote,
                    attachment=data["attachment"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except Conflict as conflict:
                form.add_error(None, str(conflict))
            else:
                messages.success(request, _("Réponse publiée."))
                return redirect(post.get_absolute_url())
    posts = selectors.posts_of(thread)
    number = request.GET.get("page")
    if request.GET.get("message", "").isdigit():
        number = str(selectors.page_of_post(thread, int(request.GET["message"])))
    page = Paginator(posts, selectors.POSTS_PER_PAGE).get_page(number)
    shown = list(page.object_list)
    quoted = None
    if request.GET.get("citer", "").isdigit():
        quoted = thread.posts.filter(pk=request.GET["citer"], hidden_at__isnull=True).first()
        if quoted is not None and not form.is_bound:
            form = ReplyForm(initial={"quote": quoted.pk})
    if request.user.is_authenticated and request.method == "GET":
        services.mark_read(user=request.user, thread=thread)
    state = selectors.ThreadState(
        subscribed=request.user.is_authenticated
        and Subscription.objects.filter(user=request.user, thread=thread).exists(),
        can_post=can_post,
        can_moderate=permissions.can_moderate(request.user, space),
        can_mark_solved=permissions.can_mark_solved(request.user, thread),
    )
    return render(
        request,
        "forum/thread.html",
        {
            "thread": thread,
            "space": space,
            "cooperation": space.cooperation,
            "page_obj": page,
            "form": form,
            "quoted": quoted,
            "state": state,
            "opening_post_id": shown[0].pk if page.number == 1 and shown else None,
            "editable": {
                post.pk for post in shown if permissions.can_edit_post(request.user, post)
            },
        },
    )


@login_required
def post_edit(request, pk: int):
    post = permissions.get_post_for_user(request.user, pk)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    return form_page(
        request,
        form,
        lambda data: services.post_edit(
            actor=request.user, post=post, body=data["body"]
        ).get_absolute_url(),
        cooperation=post.thread.space.cooperation,
        title=_("Modifier votre message"),
        back=post.get_absolute_url(),
        success=_("Message modifié."),
    )


def post_attachment(request, pk: int):
    post = permissions.get_post_for_user(request.user, pk)
    if post.hidden and not permissions.can_moderate(request.user, post.thread.space):
        raise Http404
    return file_download(post.attachment)


@login_required
def post_report(request, pk: int):
    post = permissions.get_post_for_user(request.user, pk)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.report_create(
            actor=request.user, post=post, reason=data["reason"]
        ).post.get_absolute_url(),
        cooperation=post.thread.space.cooperation,
        title=_("Signaler un message à la modération"),
        back=post.get_absolute_url(),
        success=_("Merci : la modération examinera ce message."),
    )


@login_required
def post_hide(request, pk: int):
    post = permissions.get_post_for_user(request.user, pk)
    if not permissions.can_moderate(request.user, post.thread.space):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.post_hide(
            actor=request.user, post=post, reason=data["reason"]
        ).get_absolute_url(),
        cooperation=post.thread.space.cooperation,
        title=_("Masquer un message"),
        back=post.get_absolute_url(),
        success=_("Message masqué."),
    )


@login_required
@require_POST
def post_show(request, pk: int):
    post = permissions.get_post_for_user(request.user, pk)
    try:
        services.post_show(actor=request.user, post=post)
        messages.success(request, _("Message de nouveau visible."))
    except Conflict as conflict:
        messages.error(request, str(conflict))
    return redirect(post.get_absolute_url())


THREAD_ACTIONS: dict[str, tuple[dict[str, bool], Any]] = {
    "lock": ({"locked": True}, _("Sujet fermé : il ne reçoit plus de réponse.")),
    "unlock": ({"locked": False}, _("Sujet rouvert.")),
    "pin": ({"pinned": True}, _("Sujet épinglé en tête de l’espace.")),
    "unpin": ({"pinned": False}, _("Sujet désépinglé.")),
}


@login_required
@require_POST
def thread_moderate(request, pk: int):
    thread = permissions.get_thread_for_user(request.user, pk, moderate=True)
    action = THREAD_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Action inconnue."))
    else:
        changes, done = action
        services.thread_moderate(
            actor=request.user,
            thread=thread,
            locked=changes.get("locked"),
            pinned=changes.get("pinned"),
        )
        messages.success(request, str(done))
    return redirect(thread.get_absolute_url())


@login_required
def thread_move(request, pk: int):
    thread = permissions.get_thread_for_user(request.user, pk, moderate=True)
    form = MoveForm(
        request.POST or None, spaces=selectors.moderated_spaces(request.user), thread=thread
    )
    return form_page(
        request,
        form,
        lambda data: services.thread_moderate(
            actor=request.user, thread=thread, space=data["space"]
        ).get_absolute_url(),
        cooperation=thread.space.cooperation,
        title=_("Déplacer le sujet « %(title)s »") % {"title": thread.title},
        back=thread.get_absolute_url(),
        success=_("Sujet déplacé."),
    )


@login_required
@require_POST
def thread_solve(request, pk: int):
    thread = permissions.get_thread_for_user(request.user, pk)
    post_id = request.POST.get("post", "")
    post = thread.posts.filter(pk=post_id).first() if post_id.isdigit() else None
    if post_id and post is None:
        raise Http404
    try:
        services.thread_solve(actor=request.user, thread=thread, post=post)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Sujet marqué comme résolu.") if post else _("Sujet de nouveau ouvert.")
        )
    return redirect(thread.get_absolute_url())


@login_required
@require_POST
def thread_follow(request, pk: int):
    thread = permissions.get_thread_for_user(request.user, pk)
    if request.POST.get("action") == "unfollow":
        services.unsubscribe(actor=request.user, thread=thread)
        messages.success(request, _("Vous ne suivez plus ce sujet."))
    else:
        services.subscribe(actor=request.user, thread=thread)
        messages.success(request, _("Vous serez prévenu·e des réponses à ce sujet."))
    return redirect(thread.get_absolute_url())


@login_required
@require_POST
def report_handle(request, pk: int):
    report = permissions.get_report_for_user(request.user, pk)
    try:
        services.report_handle(actor=request.user, report=report)
        messages.success(request, _("Signalement traité."))
    except Conflict as conflict:
        messages.error(request, str(conflict))
    return redirect(report.post.thread.space.get_absolute_url())
