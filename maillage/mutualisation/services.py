"""Every write of the mutualisation app. A year's inputs (costs, keys, uses, advances) change
only while the year is open; closing it freezes them (and the populations it read from the
referential) and issues each party's statement; a correction reopens it, with its reason, and
the next closing issues new versions beside the old ones."""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.cooperations import services as cooperation_services
from maillage.cooperations.models import Cooperation, Party
from maillage.core.exceptions import Conflict
from maillage.core.history import delete_recorded, recorded_change
from maillage.core.services import apply_changes
from maillage.mutualisation import permissions, selectors
from maillage.mutualisation.allocation import STATEMENT_FIGURES, Allocation, allocate
from maillage.mutualisation.enums import ENTERED_METHODS, KeyMethod, YearStatus
from maillage.mutualisation.models import (
    Advance,
    AllocationYear,
    Amendment,
    Convention,
    ConventionParty,
    Cost,
    DeclaredUse,
    KeyFigure,
    KeyTerm,
    Population,
    SharedItem,
    Statement,
)

CONVENTION_FIELDS = (
    "title",
    "kind",
    "purpose",
    "signed_on",
    "date_note",
    "start_date",
    "end_date",
    "tacit_renewal",
    "settlement",
    "visibility",
)
ITEM_FIELDS = ("name", "kind", "unit", "provider", "person", "description")
COST_FIELDS = ("item", "component", "source", "amount", "note")
ADVANCE_FIELDS = ("party", "amount", "paid_on", "note")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class DeclaredUnits:
    """A party's forecast and actual units of one item (None: not declared)."""

    forecast: Decimal | None = None
    actual: Decimal | None = None


@contextmanager
def _recorded(*, on: Model, actor: User | None, comment: str) -> Iterator[None]:
    """A recorded change that also appears in the history of `on`: the convention, or the
    year, whose history pages then list every change made to what hangs from them."""
    with recorded_change(actor=actor, comment=comment):
        yield
        reversion.add_to_revision(on)


def _require_edit(actor: User | None, convention: Convention) -> None:
    if actor is not None and not permissions.can_edit(actor, convention):
        raise PermissionDenied


def _require_open(year: AllocationYear) -> None:
    if not year.is_open:
        raise Conflict(
            _(
                "L’exercice %(year)s est clos : ses données sont figées. Rouvrez-le pour une "
                "correction (une nouvelle version des décomptes sera émise)."
            )
            % {"year": year.year}
        )


def _require_parties_of(convention: Convention, field: str, parties: Iterable) -> None:
    strangers = [str(p) for p in parties if p.convention_id != convention.pk]
    if strangers:
        raise ValidationError(
            {field: _("Pas partie à la convention : %(names)s.") % {"names": ", ".join(strangers)}}
        )


# Conventions, parties, amendments, items


def convention_create(*, actor: User | None, cooperation: Cooperation, **fields: Any) -> Convention:
    convention = Convention(cooperation=cooperation, **fields)
    _require_edit(actor, convention)
    convention.full_clean()
    with recorded_change(
        actor=actor, comment=_("Nouvelle convention : %(title)s") % {"title": convention.title}
    ):
        convention.save()
    return convention


def convention_update(*, actor: User, convention: Convention, **changes: Any) -> Convention:
    _require_edit(actor, convention)
    apply_changes(
        actor=actor,
        obj=convention,
        changes=changes,
        allowed=CONVENTION_FIELDS,
        comment=_("Convention modifiée : %(title)s") % {"title": convention.title},
    )
    return convention


def convention_delete(*, actor: User, convention: Convention) -> None:
    """Only a convention that never issued a statement: the issued ones are accounts."""
    _require_edit(actor, convention)
    if Statement.objects.filter(year__convention=convention).exists():
        raise Conflict(
            _("Cette convention a émis des décomptes : elle ne peut plus être supprimée.")
        )
    delete_recorded(
        actor=actor,
        obj=convention,
        cascaded=convention_parts(convention),
        comment=_("Convention supprimée : %(title)s") % {"title": convention.title},
    )


def convention_parts(convention: Convention) -> list[Model]:
    """What a convention's deletion takes with it, kept in its snapshot."""
    years = convention.years.all()
    return [
        *convention.parties.all(),
        *convention.amendments.all(),
        *convention.items.all(),
        *years,
        *Cost.objects.filter(year__in=years),
        *KeyTerm.objects.filter(year__in=years),
        *KeyFigure.objects.filter(year__in=years),
        *DeclaredUse.objects.filter(year__in=years),
        *Population.objects.filter(year__in=years),
        *Advance.objects.filter(year__in=years),
    ]


def cooperation_conventions_cascade(cooperation: Cooperation) -> list[Model]:
    """A cooperation's deletion takes its conventions (cooperations.services.DELETION_CASCADES)."""
    return [
        obj
        for convention in cooperation.conventions.all()
        for obj in (convention, *convention_parts(convention))
    ]


def convention_party_add(
    *,
    actor: User | None,
    convention: Convention,
    party: Party,
    finance_contact: User | None = None,
) -> ConventionParty:
    _require_edit(actor, convention)
    if convention.parties.filter(party=party).exists():
        raise ValidationError({"party": _("Cette structure est déjà partie à la convention.")})
    member = ConventionParty(convention=convention, party=party, finance_contact=finance_contact)
    member.full_clean()
    with _recorded(
        on=convention,
        actor=actor,
        comment=_("Partie ajoutée à la convention : %(name)s") % {"name": party.organisation},
    ):
        member.save()
    return member


def convention_party_update(
    *, actor: User, member: ConventionParty, finance_contact: User | None
) -> ConventionParty:
    _require_edit(actor, member.convention)
    apply_changes(
        actor=actor,
        obj=member,
        changes={"finance_contact": finance_contact},
        allowed=("finance_contact",),
        comment=_("Référent financier changé : %(name)s") % {"name": member},
    )
    return member


def convention_party_remove(*, actor: User, member: ConventionParty) -> None:
    """A party that provides an item or has a statement stays; its open years' inputs go."""
    _require_edit(actor, member.convention)
    if member.provided_items.exists() or member.statements.exists():
        raise Conflict(
            _(
                "%(name)s met à disposition un élément ou a reçu un décompte : elle reste partie "
                "à la convention."
            )
            % {"name": member}
        )
    if member.populations.filter(year__status=YearStatus.CLOSED).exists():
        raise Conflict(_("%(name)s figure dans un exercice clos.") % {"name": member})
    with _recorded(
        on=member.convention,
        actor=actor,
        comment=_("Partie retirée de la convention : %(name)s") % {"name": member},
    ):
        for inputs in (member.key_figures, member.uses, member.populations, member.advances):
            inputs.all().delete()
        member.delete()


def amendment_add(
    *, actor: User | None, convention: Convention, signed_on, changes: str
) -> Amendment:
    _require_edit(actor, convention)
    with _recorded(on=convention, actor=actor, comment=_("Avenant ajouté")):
        last = convention.amendments.select_for_update().aggregate(last=Max("number"))["last"]
        amendment = Amendment(
            convention=convention, number=(last or 0) + 1, signed_on=signed_on, changes=changes
        )
        amendment.full_clean()
        amendment.save()
    return amendment


def convention_document_add(*, actor: User | None, convention: Convention, **document: Any):
    """Store a document of the cooperation (type and size checked) and attach it to the
    convention (the signed convention, the impact sheet, a deliberation); deleting it is
    deleting the cooperation's document."""
    _require_edit(actor, convention)
    with _recorded(on=convention, actor=actor, comment=_("Document joint à la convention")):
        stored = cooperation_services.document_add(
            actor=actor, cooperation=convention.cooperation, **document
        )
        convention.documents.add(stored)
    return stored


def _set_sharing(item: SharedItem, sharing_parties: Iterable[ConventionParty]) -> None:
    sharing = list(sharing_parties)
    _require_parties_of(item.convention, "sharing_parties", sharing)
    item.sharing_parties.set(sharing)


def item_create(
    *,
    actor: User | None,
    convention: Convention,
    sharing_parties: Iterable[ConventionParty] = (),
    **fields: Any,
) -> SharedItem:
    _require_edit(actor, convention)
    item = SharedItem(convention=convention, **fields)
    item.full_clean()
    with _recorded(
        on=convention,
        actor=actor,
        comment=_("Élément mutualisé ajouté : %(name)s") % {"name": item.name},
    ):
        item.save()
        _set_sharing(item, sharing_parties)
    return item


def item_update(
    *,
    actor: User,
    item: SharedItem,
    sharing_parties: Iterable[ConventionParty] | None = None,
    **changes: Any,
) -> SharedItem:
    """Who shares an item changes the open years only: a closed year keeps its statements."""
    _require_edit(actor, item.convention)
    comment = _("Élément mutualisé modifié : %(name)s") % {"name": item.name}
    with _recorded(on=item.convention, actor=actor, comment=comment):
        apply_changes(actor=actor, obj=item, changes=changes, allowed=ITEM_FIELDS, comment=comment)
        if sharing_parties is not None:
            _set_sharing(item, sharing_parties)
    return item


def item_delete(*, actor: User, item: SharedItem) -> None:
    _require_edit(actor, item.convention)
    closed = item.costs.filter(year__status=YearStatus.CLOSED).exists() or (
        item.uses.filter(year__status=YearStatus.CLOSED).exists()
    )
    if closed:
        raise Conflict(
            _("« %(name)s » compte dans un exercice clos : il ne peut plus être supprimé.")
            % {"name": item.name}
        )
    with _recorded(
        on=item.convention,
        actor=actor,
        comment=_("Élément mutualisé supprimé : %(name)s") % {"name": item.name},
    ):
        for inputs in (item.costs, item.key_terms, item.key_figures, item.uses):
            inputs.all().delete()
        item.delete()


# Years and their inputs


def year_open(*, actor: User | None, convention: Convention, year: int) -> AllocationYear:
    """A new year starts from the latest earlier one: its costs (to update), its keys, and its
    declared uses as this year's forecast."""
    _require_edit(actor, convention)
    if convention.years.filter(year=year).exists():
        raise ValidationError({"year": _("L’exercice %(year)s existe déjà.") % {"year": year}})
    allocation_year = AllocationYear(convention=convention, year=year)
    allocation_year.full_clean()
    previous = convention.years.filter(year__lt=year).order_by("-year").first()
    with _recorded(
        on=convention, actor=actor, comment=_("Exercice %(year)s ouvert") % {"year": year}
    ):
        allocation_year.save()
        if previous is not None:
            _carry_over(previous, allocation_year)
    return allocation_year


def _carry_over(previous: AllocationYear, year: AllocationYear) -> None:
    Cost.objects.bulk_create(
        Cost(
            year=year,
            item_id=cost.item_id,
            component=cost.component,
            source=cost.source,
            amount=cost.amount,
            note=cost.note,
        )
        for cost in previous.costs.all()
    )
    KeyTerm.objects.bulk_create(
        KeyTerm(year=year, item_id=term.item_id, method=term.method, weight=term.weight)
        for term in previous.key_terms.all()
    )
    KeyFigure.objects.bulk_create(
        KeyFigure(
            year=year,
            item_id=figure.item_id,
            party_id=figure.party_id,
            method=figure.method,
            value=figure.value,
        )
        for figure in previous.key_figures.all()
    )
    DeclaredUse.objects.bulk_create(
        DeclaredUse(year=year, item_id=use.item_id, party_id=use.party_id, forecast=use.actual)
        for use in previous.uses.exclude(actual=None)
    )


def cost_add(*, actor: User | None, year: AllocationYear, **fields: Any) -> Cost:
    _require_edit(actor, year.convention)
    _require_open(year)
    cost = Cost(year=year, **fields)
    cost.full_clean()
    if cost.item.convention_id != year.convention_id:
        raise ValidationError({"item": _("Cet élément n’est pas de cette convention.")})
    with _recorded(
        on=year, actor=actor, comment=_("Coût ajouté à l’exercice %(year)s") % {"year": year.year}
    ):
        cost.save()
    return cost


def cost_update(*, actor: User, cost: Cost, **changes: Any) -> Cost:
    _require_edit(actor, cost.year.convention)
    _require_open(cost.year)
    apply_changes(
        actor=actor,
        obj=cost,
        changes=changes,
        allowed=COST_FIELDS,
        comment=_("Coût modifié (exercice %(year)s)") % {"year": cost.year.year},
    )
    return cost


def cost_delete(*, actor: User | None, cost: Cost) -> None:
    _require_edit(actor, cost.year.convention)
    _require_open(cost.year)
    with _recorded(
        on=cost.year,
        actor=actor,
        comment=_("Coût supprimé (exercice %(year)s)") % {"year": cost.year.year},
    ):
        cost.delete()


def _amount(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(
            {field: _("« %(value)s » n’est pas un nombre.") % {"value": value}}
        ) from error
    if not number.is_finite() or number < 0:
        raise ValidationError({field: _("Une valeur ne peut pas être négative.")})
    return number


def key_set(
    *,
    actor: User | None,
    year: AllocationYear,
    item: SharedItem,
    terms: Mapping[str, Any],
    figures: Mapping[str, Mapping[ConventionParty, Any]] | None = None,
) -> None:
    """Replace the key of `item` for `year`: `terms` maps each method to its weight (%, adding
    up to 100); `figures` gives, for FTE, area and fixed shares, each party's figure (fixed
    shares add up to 100)."""
    _require_edit(actor, year.convention)
    _require_open(year)
    if item.convention_id != year.convention_id:
        raise ValidationError({"item": _("Cet élément n’est pas de cette convention.")})
    figures = figures or {}
    weights = {}
    for method, weight in terms.items():
        if method not in KeyMethod.values:
            raise ValidationError({"terms": _("Clé inconnue : %(method)s.") % {"method": method}})
        weights[method] = _amount(weight, "terms")
        if weights[method] == 0:
            raise ValidationError({"terms": _("Un poids doit être positif.")})
    if sum(weights.values()) != HUNDRED:
        raise ValidationError(
            {
                "terms": _("Les poids de la clé font %(total)s %%, pas 100 %%.")
                % {"total": sum(weights.values(), Decimal(0))}
            }
        )
    sharing = list(item.sharing_parties.all()) or list(year.convention.parties.all())
    rows = []
    for method, values in figures.items():
        if method not in ENTERED_METHODS or method not in weights:
            raise ValidationError(
                {
                    "figures": _("Des valeurs pour une clé absente : %(method)s.")
                    % {"method": method}
                }
            )
        _require_parties_of(year.convention, "figures", values)
        outside = [str(p) for p in values if p not in sharing]
        if outside:
            raise ValidationError(
                {
                    "figures": _("« %(item)s » n’est pas partagé par : %(names)s.")
                    % {"item": item.name, "names": ", ".join(outside)}
                }
            )
        numbers = {party: _amount(value, "figures") for party, value in values.items()}
        if method == KeyMethod.FIXED and sum(numbers.values(), Decimal(0)) != HUNDRED:
            raise ValidationError(
                {
                    "figures": _("Les parts fixes font %(total)s %%, pas 100 %%.")
                    % {"total": sum(numbers.values(), Decimal(0))}
                }
            )
        rows += [
            KeyFigure(year=year, item=item, party=party, method=method, value=value)
            for party, value in numbers.items()
        ]
    missing = [m for m in weights if m in ENTERED_METHODS and m not in figures]
    if missing:
        raise ValidationError(
            {
                "figures": _("Donnez les valeurs de la clé « %(method)s ».")
                % {"method": KeyMethod(missing[0]).label}
            }
        )
    with _recorded(
        on=year,
        actor=actor,
        comment=_("Clé de « %(item)s » fixée pour %(year)s")
        % {"item": item.name, "year": year.year},
    ):
        year.key_terms.filter(item=item).delete()
        year.key_figures.filter(item=item).delete()
        KeyTerm.objects.bulk_create(
            KeyTerm(year=year, item=item, method=method, weight=weight)
            for method, weight in weights.items()
        )
        KeyFigure.objects.bulk_create(rows)


def uses_declare(
    *,
    actor: User | None,
    year: AllocationYear,
    party: ConventionParty,
    uses: Mapping[SharedItem, DeclaredUnits],
) -> None:
    """A party's forecast and actual units of the items it shares (its finance contact, or a
    coordinator, declares them); an item left out keeps what was declared."""
    if party.convention_id != year.convention_id:
        raise ValidationError(
            {"party": _("Pas partie à la convention : %(name)s.") % {"name": party}}
        )
    if actor is not None and not permissions.can_answer_for(actor, party):
        raise PermissionDenied
    _require_open(year)
    shared = {
        item.pk: item
        for item in year.convention.items.prefetch_related("sharing_parties")
        if not item.sharing_parties.all() or party in item.sharing_parties.all()
    }
    strangers = [str(item) for item in uses if item.pk not in shared]
    if strangers:
        raise ValidationError(
            {
                "uses": _("%(party)s ne partage pas : %(items)s.")
                % {"party": party, "items": ", ".join(strangers)}
            }
        )
    values = {
        item: (
            None if units.forecast is None else _amount(units.forecast, "uses"),
            None if units.actual is None else _amount(units.actual, "uses"),
        )
        for item, units in uses.items()
    }
    existing = {use.item_id: use for use in year.uses.filter(party=party)}
    with _recorded(
        on=year,
        actor=actor,
        comment=_("Usages déclarés pour %(year)s : %(party)s")
        % {"year": year.year, "party": party},
    ):
        changed = []
        for item, (forecast, actual) in values.items():
            use = existing.get(item.pk) or DeclaredUse(year=year, item=item, party=party)
            use.forecast, use.actual, use.declared_by = forecast, actual, actor
            changed.append(use)
        DeclaredUse.objects.bulk_create([u for u in changed if u.pk is None])
        DeclaredUse.objects.bulk_update(
            [u for u in changed if u.pk is not None], ["forecast", "actual", "declared_by"]
        )


def advance_add(*, actor: User | None, year: AllocationYear, **fields: Any) -> Advance:
    _require_edit(actor, year.convention)
    _require_open(year)
    advance = Advance(year=year, **fields)
    advance.full_clean()
    _require_parties_of(year.convention, "party", [advance.party])
    with _recorded(
        on=year,
        actor=actor,
        comment=_("Acompte enregistré (exercice %(year)s)") % {"year": year.year},
    ):
        advance.save()
    return advance


def advance_delete(*, actor: User, advance: Advance) -> None:
    _require_edit(actor, advance.year.convention)
    _require_open(advance.year)
    with _recorded(on=advance.year, actor=actor, comment=_("Acompte supprimé")):
        advance.delete()


# Closing and correcting a year


def year_close(*, actor: User | None, year: AllocationYear) -> Allocation:
    """Freeze the year and issue each party's statement (a new version at each closing).
    Refused, with every reason, while the figures cannot all be computed."""
    _require_edit(actor, year.convention)
    with recorded_change(actor=actor, comment=_("Exercice %(year)s clos") % {"year": year.year}):
        locked = AllocationYear.objects.select_for_update().get(pk=year.pk)
        locked.convention = year.convention
        _require_open(locked)
        allocation = allocate(selectors.year_inputs(locked))  # afresh, never from the cache
        if allocation.problems:
            raise Conflict(
                _("L’exercice ne peut pas être clos : %(problems)s")
                % {"problems": " ".join(allocation.problems)}
            )
        frozen = set(locked.populations.values_list("party_id", flat=True))
        Population.objects.bulk_create(
            Population(year=locked, party_id=party_id, inhabitants=inhabitants)
            for party_id, inhabitants in allocation.inputs.populations.items()
            if party_id not in frozen and inhabitants is not None
        )
        now = timezone.now()
        locked.version += 1
        locked.status = YearStatus.CLOSED
        locked.closed_at = now
        Statement.objects.bulk_create(
            Statement(
                year=locked,
                party_id=statement.party_id,
                version=locked.version,
                issued_at=now,
                issued_by=actor if actor is not None and actor.is_authenticated else None,
                reason=locked.correction,
                lines=statement.lines_data(),
                **{figure: getattr(statement, figure) for figure in STATEMENT_FIGURES},
            )
            for statement in allocation.statements
        )
        locked.correction = ""
        locked.save(update_fields=["version", "status", "closed_at", "correction", "updated_at"])
    year.status, year.correction = locked.status, locked.correction
    year.status, year.version, year.closed_at = locked.status, locked.version, locked.closed_at
    return allocation


def year_reopen(*, actor: User, year: AllocationYear, reason: str) -> AllocationYear:
    """Open a closed year for a correction; its issued statements stay, and the next closing
    issues the corrected ones as a new version."""
    _require_edit(actor, year.convention)
    if year.is_open:
        raise Conflict(_("L’exercice %(year)s est déjà ouvert.") % {"year": year.year})
    if not reason.strip():
        raise ValidationError({"reason": _("Dites pourquoi l’exercice est rouvert.")})
    apply_changes(
        actor=actor,
        obj=year,
        changes={"status": YearStatus.OPEN, "correction": reason.strip()},
        allowed=("status", "correction"),
        comment=_("Exercice %(year)s rouvert pour correction : %(reason)s")
        % {"year": year.year, "reason": reason.strip()},
    )
    return year
