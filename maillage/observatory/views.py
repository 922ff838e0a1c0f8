"""The observatory's pages: a territory's profile (its figures beside its département's, its
région's and France's, a map of its communes, its flows), the comparison of 2 to 6
territories, and the flows between chosen territories; the last two export to csv/xlsx."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from maillage.core.spreadsheets import SpreadsheetFormat, spreadsheet_response
from maillage.observatory import selectors, services
from maillage.observatory.enums import FlowKind, FlowLevel
from maillage.observatory.maps import (
    TOO_MANY_COMMUNES,
    Map,
    pair_flow_map,
    quantile_breaks,
    territory_flow_map,
)
from maillage.observatory.models import Variable
from maillage.territories.models import Territory

DEFAULT_VARIABLE = "DENSITE"
SEARCH_RESULTS = 8


def index(request):
    return render(
        request,
        "observatory/index.html",
        {
            "datasets": selectors.datasets(),
            "variables": Variable.objects.order_by("code"),
        },
    )


def _flow_choices(request) -> tuple[str, int | None]:
    kind = request.GET.get("nature", FlowKind.HOME_WORK)
    if kind not in FlowKind.values:
        kind = FlowKind.HOME_WORK
    year = request.GET.get("annee", "")
    return kind, int(year) if year.isdigit() else None


def territory_profile(request, pk: int):
    territory = get_object_or_404(Territory, pk=pk)
    profile = selectors.profile(territory)
    variables = {row.variable.code: row.variable for _t, rows in profile.sections for row in rows}
    code = request.GET.get("variable", DEFAULT_VARIABLE).upper()
    variable = variables.get(code) or variables.get(DEFAULT_VARIABLE)
    ids = selectors.commune_ids(territory)
    too_many = len(ids) > selectors.MAP_MAX_COMMUNES
    communes = (
        [] if too_many else list(Territory.objects.filter(pk__in=ids).order_by("search_name"))
    )
    values = selectors.commune_values(ids, variable) if variable and not too_many else {}
    choropleth = (
        None
        if too_many
        else Map(
            title=(
                _("%(variable)s dans les communes de %(territory)s")
                % {"variable": variable.label, "territory": territory.name}
                if variable
                else _("Les communes de %(territory)s") % {"territory": territory.name}
            ),
            description=_(
                "Chaque commune est colorée selon sa valeur, en cinq classes de taille égale ; "
                "la légende donne les bornes de chaque classe et le tableau sous la carte toutes "
                "les valeurs."
            )
            if variable
            else _("Le contour de chaque commune."),
            outlines_url=reverse("api-v1:territory_map", args=[territory.pk])
            + (f"?variable={variable.code}" if variable else ""),
            breaks=quantile_breaks(list(values.values())),
            unit=variable.unit if variable else "",
        )
    )
    kind, year = _flow_choices(request)
    dataset = selectors.dataset_for(kind, year)
    level = request.GET.get("niveau", FlowLevel.COMMUNE)
    if level not in FlowLevel.values:
        level = FlowLevel.COMMUNE
    flows: dict = {}
    if dataset is not None:
        balance = selectors.flow_balance(territory, dataset)
        outbound = selectors.top_places(territory, dataset, level=level, limit=20)
        inbound = selectors.top_places(
            territory, dataset, direction=selectors.INBOUND, level=level, limit=20
        )
        flows = {
            "dataset": dataset,
            "balance": balance,
            "outbound": [(p, _share(p.value, balance.residents)) for p in outbound],
            "inbound": [(p, _share(p.value, balance.workers)) for p in inbound],
            "map": territory_flow_map(territory, outbound, dataset),
        }
    return render(
        request,
        "observatory/profile.html",
        {
            "territory": territory,
            "profile": profile,
            "variables": list(variables.values()),
            "variable": variable,
            "choropleth": choropleth,
            "too_many_communes": TOO_MANY_COMMUNES if too_many else "",
            "commune_values": [(c, values.get(c.pk)) for c in communes],
            "flows": flows,
            "kinds": FlowKind.choices,
            "levels": FlowLevel.choices,
            "level": level,
            "compare_url": reverse("observatory:compare") + "?" + urlencode({"t": territory.pk}),
        },
    )


def _share(value: float, total: float | None) -> float | None:
    return value / total if total else None


def _chosen_territories(request) -> list[Territory]:
    ids = [int(v) for v in request.GET.getlist("t") if v.isdigit()]
    ids = list(dict.fromkeys(ids))[: selectors.MAX_COMPARED]
    found = Territory.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _search(request, chosen: list[Territory]) -> tuple[str, list[Territory]]:
    text = request.GET.get("q", "").strip()
    if len(text) < 2 or len(chosen) >= selectors.MAX_COMPARED:
        return text, []
    return text, list(
        Territory.objects.current()
        .search(text)
        .exclude(pk__in=[t.pk for t in chosen])
        .order_by("search_name")[:SEARCH_RESULTS]
    )


def _with(chosen: list[Territory], extra: Territory | None = None, drop: int | None = None) -> str:
    ids = [t.pk for t in chosen if t.pk != drop] + ([extra.pk] if extra else [])
    return "?" + urlencode([("t", pk) for pk in ids])


def compare(request):
    chosen = _chosen_territories(request)
    text, found = _search(request, chosen)
    fmt = request.GET.get("format", "")
    comparison = selectors.comparison(chosen) if chosen else None
    if fmt and comparison is not None:
        if fmt not in set(SpreadsheetFormat):
            raise Http404
        header = [_("Indicateur"), _("Unité"), *(t.name for t in chosen), _("Source")]
        rows = [
            [row.variable.label, row.variable.unit, *row.values, row.variable.source]
            for _title, section in comparison.sections
            for row in section
        ]
        return spreadsheet_response(SpreadsheetFormat(fmt), "comparaison-territoires", header, rows)
    return render(
        request,
        "observatory/compare.html",
        {
            "chosen": [(t, _with(chosen, drop=t.pk)) for t in chosen],
            "comparison": comparison,
            "query": text,
            "found": [(t, _with(chosen, extra=t)) for t in found],
            "ids": _with(chosen),
            "can_add": len(chosen) < selectors.MAX_COMPARED,
            "max_compared": selectors.MAX_COMPARED,
            "enough": len(chosen) >= 2,
        },
    )


def flows(request):
    chosen = _chosen_territories(request)
    text, found = _search(request, chosen)
    kind, year = _flow_choices(request)
    dataset = selectors.dataset_for(kind, year)
    matrix = selectors.flow_matrix(chosen, dataset) if dataset and chosen else {}
    fmt = request.GET.get("format", "")
    if fmt and dataset is not None and chosen:
        if fmt not in set(SpreadsheetFormat):
            raise Http404
        header = [_("Résidence \\ destination"), *(t.name for t in chosen)]
        rows = [[o.name, *(matrix.get((o.pk, d.pk), 0.0) for d in chosen)] for o in chosen]
        stem = f"flux-{dataset.kind}-{dataset.year}"
        return spreadsheet_response(SpreadsheetFormat(fmt), stem, header, rows)
    return render(
        request,
        "observatory/flows.html",
        {
            "chosen": [(t, _with(chosen, drop=t.pk)) for t in chosen],
            "dataset": dataset,
            "datasets": selectors.datasets(),
            "rows": [(o, [matrix.get((o.pk, d.pk), 0.0) for d in chosen]) for o in chosen],
            "map": pair_flow_map(chosen, matrix, dataset) if dataset and chosen else None,
            "query": text,
            "found": [(t, _with(chosen, extra=t)) for t in found],
            "ids": _with(chosen),
            "kind": kind,
            "kinds": FlowKind.choices,
            "can_add": len(chosen) < selectors.MAX_COMPARED,
        },
    )


def outlines(request):
    """The outlines of several territories, as one GeoJSON FeatureCollection (maps of a
    comparison, of a cooperation's parties)."""
    ids = [int(v) for v in request.GET.getlist("id") if v.isdigit()][:50]
    territories = list(Territory.objects.filter(pk__in=ids).order_by("search_name"))
    made = services.outlines_of(territories)
    text = selectors.features(
        [(t.pk, t.code, t.name, made[t.pk].display) for t in territories if t.pk in made], {}
    )
    return HttpResponse(text, content_type="application/geo+json")
