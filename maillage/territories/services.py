from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.history import delete_recorded, recorded_change
from maillage.core.services import apply_changes
from maillage.territories import permissions
from maillage.territories.enums import COMPOSED_KINDS, MembershipSource
from maillage.territories.models import Territory, TerritoryMembership

# What an update may change (the form and the API offer these fields and no other).
AREA_FIELDS = ("name", "description")


def _check_members(area: Territory | None, members: Sequence[Territory]) -> None:
    if not members:
        return
    forbidden = set()
    if area is not None and area.pk is not None:
        forbidden = {area.pk, *Territory.objects.above(area).values_list("pk", flat=True)}
    loops = [str(member) for member in members if member.pk in forbidden]
    if loops:
        raise ValidationError(
            {
                "members": _("Un territoire ne peut pas contenir ce qui le contient : %(names)s.")
                % {"names": ", ".join(loops)}
            }
        )


def _set_members(area: Territory, members: Sequence[Territory]) -> None:
    wanted = {member.pk for member in members}
    current = set(area.memberships_as_container.values_list("member_id", flat=True))
    area.memberships_as_container.filter(member_id__in=current - wanted).delete()
    for member_id in wanted - current:
        # One save per added member keeps each in the recorded history; areas are small.
        TerritoryMembership.objects.create(
            container=area, member_id=member_id, source=MembershipSource.MANUAL
        )


def area_create(
    *,
    actor: User | None,
    kind: str,
    name: str,
    members: Sequence[Territory],
    description: str = "",
    code: str = "",
    country: str = "FR",
) -> Territory:
    """Compose a Pays, SCoT area, cooperation area or custom area from member territories,
    French or Swiss alike. `actor` None is the system (the demo loader)."""
    if actor is not None and not permissions.can_compose_areas(actor):
        raise PermissionDenied
    if kind not in COMPOSED_KINDS:
        raise ValidationError({"kind": _("Seuls les périmètres composés se créent ici.")})
    area = Territory(
        kind=kind,
        name=name.strip(),
        description=description,
        code=code,
        country=country,
        created_by=actor,
    )
    area.full_clean(exclude=["search_name"])
    _check_members(None, members)
    with recorded_change(
        actor=actor, comment=_("Création du périmètre « %(name)s »") % {"name": area.name}
    ):
        area.save()
        _set_members(area, members)
    return area


def area_update(
    *,
    actor: User,
    area: Territory,
    members: Sequence[Territory] | None = None,
    **changes: Any,
) -> Territory:
    """Change a composed area's `AREA_FIELDS` and, when given, its members (one revision)."""
    if not permissions.can_edit_area(actor, area):
        raise PermissionDenied
    if changes.get("name") is not None:
        changes["name"] = changes["name"].strip()
    if members is not None:
        _check_members(area, members)
    comment = _("Modification du périmètre « %(name)s »") % {"name": changes.get("name", area.name)}
    with transaction.atomic(), recorded_change(actor=actor, comment=comment):
        apply_changes(
            actor=actor,
            obj=area,
            changes=changes,
            allowed=AREA_FIELDS,
            comment=comment,
        )
        if members is not None:
            _set_members(area, members)
    return area


def area_delete(*, actor: User, area: Territory) -> None:
    if not permissions.can_edit_area(actor, area):
        raise PermissionDenied
    delete_recorded(
        actor=actor,
        comment=_("Suppression du périmètre « %(name)s »") % {"name": area.name},
        obj=area,
        cascaded=area.memberships_as_container.all(),
    )


def territories_from_codes(text: str) -> list[Territory]:
    """Resolve "29019, 242900314, CH:26" (one code per line or comma) to current territories.
    `kind:code` or `CH:code` disambiguates; an unknown or ambiguous code is a ValidationError."""
    found: list[Territory] = []
    problems: list[str] = []
    for token in [t.strip() for t in text.replace(",", "\n").splitlines() if t.strip()]:
        prefix, _sep, code = token.rpartition(":")
        candidates = Territory.objects.current().filter(code=code)
        if prefix.upper() in {"FR", "CH"}:
            candidates = candidates.filter(country=prefix.upper())
        elif prefix:
            candidates = candidates.filter(kind=prefix)
        matches = list(candidates[:5])
        if len(matches) > 1:
            # A commune nouvelle shares its code with its commune déléguée chef-lieu.
            communes = [t for t in matches if t.kind == "commune"]
            matches = communes or matches
        if len(matches) == 1:
            found.append(matches[0])
        elif not matches:
            problems.append(_("« %(code)s » : aucun territoire") % {"code": token})
        else:
            problems.append(
                _("« %(code)s » est ambigu (%(kinds)s) : écrivez nature:code")
                % {"code": token, "kinds": ", ".join(t.kind for t in matches)}
            )
    if problems:
        raise ValidationError({"members": problems})
    return found
