import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from maillage.accounts.models import User
from maillage.core.history import history_for, recorded_change
from maillage.directory import permissions
from maillage.directory.models import PERSONAL_FIELDS, Organisation, Person, Position
from maillage.directory.selectors import likely_duplicates

ORGANISATION_FIELDS = ("name", "kind", "siren", "siret", "territory", "address", "website", "logo")
PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "note", "user")


class LikelyDuplicate(ValidationError):
    """The organisation looks like one already there; `confirm_duplicate=True` goes on."""

    def __init__(self, duplicates: list[Organisation]):
        names = ", ".join(str(o) for o in duplicates)
        super().__init__(
            {"name": _("Cette structure existe peut-être déjà : %(names)s.") % {"names": names}}
        )
        self.duplicates = duplicates


def _check_actor(actor: User | None, allowed: bool) -> None:
    if actor is not None and not allowed:
        raise PermissionDenied


def organisation_create(
    *, actor: User | None, confirm_duplicate: bool = False, **fields
) -> Organisation:
    """Create an organisation; one that looks like an existing one needs `confirm_duplicate`."""
    _check_actor(actor, actor is None or permissions.can_manage_directory(actor))
    organisation = Organisation(**{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS})
    organisation.full_clean(exclude=["search_name"])
    duplicates = likely_duplicates(
        name=organisation.name, siren=organisation.siren, territory_id=organisation.territory_id
    )
    if duplicates and not confirm_duplicate:
        raise LikelyDuplicate(duplicates)
    with recorded_change(actor=actor, comment=_("Création de la structure")):
        organisation.save()
    return organisation


def organisation_update(
    *, actor: User, organisation: Organisation, confirm_duplicate: bool = False, **changes
) -> Organisation:
    _check_actor(actor, permissions.can_manage_directory(actor))
    for name, value in changes.items():
        if name not in ORGANISATION_FIELDS:
            raise ValueError(f"Not editable: {name}")
        setattr(organisation, name, value)
    organisation.full_clean(exclude=["search_name"])
    duplicates = likely_duplicates(
        name=organisation.name,
        siren=organisation.siren,
        territory_id=organisation.territory_id,
        exclude_pk=organisation.pk,
    )
    if duplicates and not confirm_duplicate:
        raise LikelyDuplicate(duplicates)
    with recorded_change(actor=actor, comment=_("Modification de la structure")):
        organisation.save()
    return organisation


def person_create(*, actor: User | None, **fields) -> Person:
    _check_actor(actor, actor is None or permissions.can_manage_directory(actor))
    person = Person(**{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    person.full_clean(exclude=["search_name"])
    # The comment names no one: comments stay in the history after an erasure.
    with recorded_change(actor=actor, comment=_("Création d’une fiche personne")):
        person.save()
    return person


def person_update(*, actor: User, person: Person, **changes) -> Person:
    _check_actor(actor, permissions.can_edit_person(actor, person))
    if "user" in changes and not permissions.can_manage_directory(actor):
        raise PermissionDenied  # a person cannot attach their record to another account
    for name, value in changes.items():
        if name not in PERSON_FIELDS:
            raise ValueError(f"Not editable: {name}")
        setattr(person, name, value)
    person.full_clean(exclude=["search_name"])
    with recorded_change(actor=actor, comment=_("Modification d’une fiche personne")):
        person.save()
    return person


def position_add(
    *,
    actor: User | None,
    person: Person,
    organisation: Organisation,
    title: str,
    kind: str,
    start_date=None,
    end_date=None,
) -> Position:
    _check_actor(actor, actor is None or permissions.can_manage_directory(actor))
    position = Position(
        person=person,
        organisation=organisation,
        title=title,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
    )
    position.full_clean()
    with recorded_change(actor=actor, comment=_("Ajout d’une fonction")):
        position.save()
    return position


def position_remove(*, actor: User, position: Position) -> None:
    from maillage.core.history import delete_recorded

    _check_actor(actor, permissions.can_manage_directory(actor))
    delete_recorded(actor=actor, comment=_("Retrait d’une fonction"), obj=position)


def person_export(*, actor: User, person: Person) -> str:
    """Everything Maillage holds about a person, as JSON (right of access, RGPD art. 15)."""
    _check_actor(actor, permissions.can_erase_people(actor))
    data = {
        "person": {name: getattr(person, name) for name in PERSONAL_FIELDS},
        "account": person.user.email if person.user else None,
        "positions": [
            {
                "organisation": p.organisation.name,
                "title": p.title,
                "kind": p.kind,
                "start_date": p.start_date,
                "end_date": p.end_date,
            }
            for p in person.positions.select_related("organisation")
        ],
        "history": [
            {
                "date": entry.date,
                "by": entry.actor,
                "comment": entry.comment,
                "changes": {c.field: c.after for c in entry.changes},
            }
            for entry in history_for(person)
        ],
        "exported_at": timezone.now(),
    }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


ERASED = _("Personne effacée")


def person_erase(*, actor: User, person: Person) -> Person:
    """Erase a person on request (RGPD art. 17): their personal data leave the record and every
    recorded version of it; the history keeps its dates, authors and comments, and positions
    stay (an organisation had a president, even if we no longer say who)."""
    _check_actor(actor, permissions.can_erase_people(actor))
    if person.erased_at is not None:
        return person
    shown_as = str(person)  # how the history of other records names them (a mandate, a seat)
    with recorded_change(actor=actor, comment=_("Effacement des données personnelles")):
        for name in PERSONAL_FIELDS:
            setattr(person, name, "")
        person.first_name = str(ERASED)
        person.user = None
        person.erased_at = timezone.now()
        person.save()
    for version in Version.objects.get_for_object(person):
        serialized = json.loads(version.serialized_data)
        for name in PERSONAL_FIELDS:
            if name in serialized[0]["fields"]:
                serialized[0]["fields"][name] = ""
        serialized[0]["fields"]["first_name"] = str(ERASED)
        serialized[0]["fields"]["user"] = None
        serialized[0]["fields"]["search_name"] = person.search_name
        version.serialized_data = json.dumps(serialized)
        version.object_repr = str(ERASED)
        version.save(update_fields=["serialized_data", "object_repr"])
    # Positions, working-group seats, mandates, attendance: their versions name the person in
    # their title (object_repr), shown by the history pages.
    for version in Version.objects.filter(object_repr__contains=shown_as):
        version.object_repr = version.object_repr.replace(shown_as, str(ERASED))
        version.save(update_fields=["object_repr"])
    return person
