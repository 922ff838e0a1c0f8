from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.cooperations import permissions, selectors
from maillage.cooperations.enums import CooperationKind, Stage
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.cooperations.selectors import contents_readable_q
from maillage.core import search as core_search
from maillage.core.exceptions import Conflict
from maillage.core.panels import render_panels
from maillage.core.views import confirm_page, file_download, form_page, list_filters
from maillage.portal import permissions as news_permissions
from maillage.portal import search as portal_search
from maillage.portal import selectors as news_selectors
from maillage.portal import services as news_services
from maillage.portal.enums import ResourceKind
from maillage.portal.forms import NewsForm, ResourceForm

PAGE_SIZE = 20


def home(request):
    """The cooperations list: filters by kind, stage, territory and party, and a search."""
    filters = list_filters(request, selectors.CooperationFilters)
    cooperations = selectors.cooperation_list(user=request.user, filters=filters)
    page = Paginator(cooperations, PAGE_SIZE).get_page(request.GET.get("page"))
    territories, organisations = selectors.filter_choices()
    return render(
        request,
        "portal/home.html",
        {
            "page_obj": page,
            "kinds": CooperationKind.choices,
            "stages": Stage.choices,
            "territories": territories,
            "organisations": organisations,
            "filters": filters,
            "filtered": filters.active(),
            "can_create": permissions.can_create(request.user),
            "signed_in": request.user.is_authenticated,
            "sections": news_selectors.home_sections(request.user),
            "home_panels": render_panels("portal.home", request, None),
        },
    )


def legal(request):
    return render(request, "portal/legal.html")


def privacy(request):
    return render(request, "portal/privacy.html")


def accessibility(request):
    return render(request, "portal/accessibility.html")


def search(request):
    """One search box over everything the reader may read (core.search), by type and by
    cooperation, a page at a time."""
    form = portal_search.SearchForm(request.GET or None)
    results, page = None, None
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("q", "").strip():
        number = _page_number(request.GET.get("page"))
        results = core_search.search(
            request.user,
            data["q"],
            source=data["type"] or None,
            cooperation_id=data["cooperation"],
            offset=(number - 1) * portal_search.PAGE_SIZE,
            limit=portal_search.PAGE_SIZE,
        )
        counted: Any = _Counted(results.total, results.hits)
        paginator = Paginator(counted, portal_search.PAGE_SIZE)
        page = paginator.get_page(number)
        if page.number != number:  # beyond the last page: the last one
            results = core_search.search(
                request.user,
                data["q"],
                source=data["type"] or None,
                cooperation_id=data["cooperation"],
                offset=(page.number - 1) * portal_search.PAGE_SIZE,
                limit=portal_search.PAGE_SIZE,
            )
        page.object_list = results.hits
    return render(
        request,
        "portal/search.html",
        {
            "form": form,
            "results": results,
            "page_obj": page,
            "cooperations": portal_search.named_cooperations(results.by_cooperation)
            if results
            else [],
            "chosen_type": data.get("type", ""),
        },
    )


def _page_number(text: str | None) -> int:
    number = int(text) if text and text.isdigit() else 1
    return max(1, min(number, portal_search.MAX_OFFSET // portal_search.PAGE_SIZE))


class _Counted:
    """A page of hits the paginator counts as the whole (its total is already known)."""

    def __init__(self, total: int, hits: list):
        self.total, self.hits = total, hits

    def count(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.hits


# News -----------------------------------------------------------------------------------------


def news_list(request):
    """Published news, the latest first, of the platform or of one cooperation; the drafts
    the reader may write, apart."""
    cooperation = None
    slug = request.GET.get("cooperation")
    if slug:
        cooperation = get_cooperation_for_user(request.user, slug)
    news = news_selectors.news_list(request.user, cooperation=cooperation)
    page = Paginator(news, PAGE_SIZE).get_page(request.GET.get("page"))
    drafts = news_selectors.news_list(request.user, cooperation=cooperation, drafts=True)[:50]
    return render(
        request,
        "portal/news_list.html",
        {
            "page_obj": page,
            "cooperation": cooperation,
            "drafts": list(drafts) if request.user.is_authenticated else [],
            "can_write": news_permissions.can_write_news(request.user, cooperation),
        },
    )


def news_detail(request, pk: int):
    news = news_permissions.get_news_for_user(request.user, pk)
    return render(
        request,
        "portal/news_detail.html",
        {
            "news": news,
            "cooperation": news.cooperation,
            "documents": news.documents.filter(contents_readable_q(request.user)),
            "can_write": news_permissions.can_write_news(request.user, news.cooperation),
        },
    )


def news_image(request, pk: int):
    """The image shown in the page (inline: a picture checked as such on upload)."""
    news = news_permissions.get_news_for_user(request.user, pk)
    if not news.image:
        raise Http404
    try:
        return FileResponse(news.image.open("rb"))
    except FileNotFoundError as error:
        raise Http404 from error


@login_required
def news_create(request):
    cooperation = None
    slug = request.GET.get("cooperation")
    if slug:
        cooperation = get_cooperation_for_user(request.user, slug)
    if not news_permissions.can_write_news(request.user, cooperation):
        raise PermissionDenied
    form = NewsForm(request.POST or None, request.FILES or None, cooperation=cooperation)
    return form_page(
        request,
        form,
        lambda data: news_services.news_create(
            actor=request.user, cooperation=cooperation, **data
        ).get_absolute_url(),
        cooperation=cooperation,
        title=_("Nouvelle actualité"),
        back=cooperation.get_absolute_url() if cooperation else reverse("portal:news_list"),
        success=_("Actualité enregistrée comme brouillon : publiez-la quand elle est prête."),
    )


@login_required
def news_edit(request, pk: int):
    news = news_permissions.get_news_for_user(request.user, pk, write=True)
    form = NewsForm(
        request.POST or None, request.FILES or None, instance=news, cooperation=news.cooperation
    )
    return form_page(
        request,
        form,
        lambda data: news_services.news_update(
            actor=request.user, news=news, **data
        ).get_absolute_url(),
        cooperation=news.cooperation,
        title=_("Modifier l’actualité"),
        back=news.get_absolute_url(),
        success=_("Actualité modifiée."),
    )


@login_required
@require_POST
def news_publish(request, pk: int):
    news = news_permissions.get_news_for_user(request.user, pk, write=True)
    try:
        if request.POST.get("action") == "withdraw":
            news_services.news_withdraw(actor=request.user, news=news)
            messages.success(request, _("L’actualité est redevenue un brouillon."))
        else:
            news_services.news_publish(actor=request.user, news=news)
            messages.success(request, _("Actualité publiée."))
    except Conflict as conflict:
        messages.error(request, str(conflict))
    return redirect(news.get_absolute_url())


@login_required
def news_delete(request, pk: int):
    news = news_permissions.get_news_for_user(request.user, pk, write=True)
    back = news.cooperation.get_absolute_url() if news.cooperation else reverse("portal:news_list")
    return confirm_page(
        request,
        cooperation=news.cooperation,
        title=_("Supprimer l’actualité « %(title)s »") % {"title": news.title},
        explanation=_("Elle disparaît des listes et du flux ; l’historique la garde."),
        action=lambda: news_services.news_delete(actor=request.user, news=news),
        back=news.get_absolute_url(),
        done=back,
        success=_("Actualité supprimée."),
    )


# The resource centre ---------------------------------------------------------------------------


def resource_list(request):
    """The resource centre: resources and the cooperations' documents, as the reader may
    read them, with filters; a cooperation's own (`?cooperation=`) offers to add one."""
    filters = list_filters(request, news_selectors.LibraryFilters)
    cooperation = None
    if filters.cooperation is not None:
        cooperation = get_cooperation_for_user(request.user, str(filters.cooperation))
    page = Paginator(news_selectors.library(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = news_selectors.library_items(page.object_list)
    return render(
        request,
        "portal/resource_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "kinds": ResourceKind.choices,
            "cooperation": cooperation,
            "can_write": news_permissions.can_write_resource(request.user, cooperation),
        },
    )


def resource_detail(request, pk: int):
    resource = news_permissions.get_resource_for_user(request.user, pk)
    return render(
        request,
        "portal/resource_detail.html",
        {
            "resource": resource,
            "cooperation": resource.cooperation,
            "territories": resource.territories.all(),
            "can_write": news_permissions.can_write_resource(request.user, resource.cooperation),
        },
    )


def resource_file(request, pk: int):
    return file_download(news_permissions.get_resource_for_user(request.user, pk).file)


@login_required
def resource_create(request):
    cooperation = None
    if request.GET.get("cooperation"):
        cooperation = get_cooperation_for_user(request.user, request.GET["cooperation"])
    if not news_permissions.can_write_resource(request.user, cooperation):
        raise PermissionDenied
    form = ResourceForm(request.POST or None, request.FILES or None, cooperation=cooperation)
    return form_page(
        request,
        form,
        lambda data: news_services.resource_create(
            actor=request.user, cooperation=cooperation, **data
        ).get_absolute_url(),
        cooperation=cooperation,
        title=_("Nouvelle ressource"),
        back=reverse("portal:resources"),
        success=_("Ressource ajoutée."),
    )


@login_required
def resource_edit(request, pk: int):
    resource = news_permissions.get_resource_for_user(request.user, pk, write=True)
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        instance=resource,
        cooperation=resource.cooperation,
    )
    return form_page(
        request,
        form,
        lambda data: news_services.resource_update(
            actor=request.user, resource=resource, **data
        ).get_absolute_url(),
        cooperation=resource.cooperation,
        title=_("Modifier la ressource"),
        back=resource.get_absolute_url(),
        success=_("Ressource modifiée."),
    )


@login_required
def resource_delete(request, pk: int):
    resource = news_permissions.get_resource_for_user(request.user, pk, write=True)
    return confirm_page(
        request,
        cooperation=resource.cooperation,
        title=_("Supprimer la ressource « %(title)s »") % {"title": resource.title},
        explanation=_("Elle disparaît du centre de ressources ; l’historique la garde."),
        action=lambda: news_services.resource_delete(actor=request.user, resource=resource),
        back=resource.get_absolute_url(),
        done=reverse("portal:resources"),
        success=_("Ressource supprimée."),
    )
