"""Every write on projects: the project, its status (always through the journal), steps,
financing plan and indicators. Same conventions as cooperations/services.py."""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reversion.models import Version

from maillage.accounts.models import User
from maillage.cooperations.models import Cooperation
from maillage.cooperations.services import require_same_cooperation
from maillage.core.bulk import bulk_insert, db_datetime
from maillage.core.exceptions import Conflict
from maillage.core.history import (
    delete_recorded,
    recorded_change,
    restore_deleted,
)
from maillage.core.services import apply_changes
from maillage.projects import permissions
from maillage.projects.enums import JournalKind, ProjectStatus
from maillage.projects.models import (
    FinancingLine,
    Indicator,
    IndicatorValue,
    JournalEntry,
    Project,
    ProjectDocument,
    ProjectStep,
)

PROJECT_FIELDS = (
    "title",
    "summary",
    "description",
    "owner",
    "proposal",
    "structuring",
    "tags",
    "visibility",
    "blocked",
    "to_discuss",
    "start_date",
    "end_date",
    "total_cost",
    "currency",
)
# Many-to-many links, each checked to belong to the project's cooperation when it has one.
LINKS = ("partners", "contacts", "territories", "strategy_nodes", "themes")
FINANCING_FIELDS = (
    "funder",
    "programme",
    "amount",
    "currency",
    "status",
    "requested_on",
    "granted_on",
    "paid_on",
    "first_year",
    "last_year",
)
STEP_FIELDS = ("title", "planned_date", "actual_date")
INDICATOR_FIELDS = ("name", "unit", "kind", "baseline", "target", "target_date")
INDICATOR_VALUE_FIELDS = ("date", "value", "source")


def _require_manage(actor: User | None, cooperation: Cooperation) -> None:
    if actor is not None and not permissions.can_manage(actor, cooperation):
        raise PermissionDenied


def _require_edit(actor: User | None, project: Project) -> None:
    if actor is not None and not permissions.can_edit(actor, project):
        raise PermissionDenied


def _set_links(project: Project, links: dict[str, Iterable[Model] | None]) -> None:
    for name, objects in links.items():
        if objects is None:
            continue
        objects = list(objects)
        require_same_cooperation(project.cooperation_id, name, objects)
        getattr(project, name).set(objects)


def next_code(cooperation: Cooperation) -> str:
    """The next free numeric code of a cooperation's portfolio ("001", "002"…)."""
    codes = Project.objects.filter(cooperation=cooperation).values_list("code", flat=True)
    numbers = [int(code) for code in codes if code.isdigit()]
    return f"{max(numbers, default=0) + 1:03d}"


def project_create(
    *,
    actor: User | None,
    cooperation: Cooperation,
    title: str,
    code: str = "",
    status: str = ProjectStatus.IDEA,
    status_changed_on: date | None = None,
    **fields: Any,
) -> Project:
    """Create a project; its first status opens its journal."""
    _require_manage(actor, cooperation)
    links = {name: fields.pop(name, None) for name in LINKS}
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    code = code.strip() or next_code(cooperation)
    if Project.objects.filter(cooperation=cooperation, code=code).exists():
        raise ValidationError({"code": _("Le code « %(code)s » est déjà pris.") % {"code": code}})
    if fields.get("proposal") is not None:
        require_same_cooperation(cooperation.pk, "proposal", [fields["proposal"]])
    status_changed_on = status_changed_on or timezone.localdate()
    project = Project(
        cooperation=cooperation,
        code=code,
        title=title,
        status=status,
        status_changed_on=status_changed_on,
        **fields,
    )
    project.full_clean()
    with recorded_change(actor=actor, comment=_("Création du projet %(code)s") % {"code": code}):
        project.save()
        _set_links(project, links)
        project_statuses_write(
            actor=actor,
            changes=[(project, "", status)],
            comment=_("Création du projet"),
            on=status_changed_on,
        )
    return project


def project_update(
    *, actor: User | None, project: Project, read_at: datetime | None = None, **changes: Any
) -> Project:
    """Change a project's description, dates, money or links (not its status: see
    project_status_set)."""
    _require_edit(actor, project)
    links = {name: changes.pop(name, None) for name in LINKS}
    if changes.get("proposal") is not None:
        require_same_cooperation(project.cooperation_id, "proposal", [changes["proposal"]])
    comment = _("Modification du projet %(code)s") % {"code": project.code}
    with recorded_change(actor=actor, comment=comment):
        apply_changes(
            actor=actor,
            obj=project,
            changes=changes,
            allowed=PROJECT_FIELDS,
            comment=comment,
            read_at=read_at,
        )
        _set_links(project, links)
    return project


def project_status_set(
    *,
    actor: User | None,
    project: Project,
    status: str,
    comment: str = "",
    on: date | None = None,
) -> JournalEntry | None:
    """Change a project's status: dated, signed and commented in its journal, in the same
    transaction. Setting the status it already has records nothing."""
    _require_edit(actor, project)
    if status not in ProjectStatus.values:
        raise ValidationError({"status": _("Statut inconnu : %(status)s.") % {"status": status}})
    if status == project.status:
        return None
    on = on or timezone.localdate()
    with recorded_change(
        actor=actor,
        comment=_("Projet %(code)s : %(status)s")
        % {"code": project.code, "status": ProjectStatus(status).label},
    ):
        project_statuses_write(
            actor=actor, changes=[(project, project.status, status)], comment=comment, on=on
        )
        project.save(update_fields=["updated_at"])  # a version of the project with its status
        return project.journal.order_by("-pk").first()


def project_statuses_write(
    *,
    actor: User | None,
    changes: Iterable[tuple[Project, str, str]],
    comment: str,
    on: date,
) -> int:
    """The one writer of project statuses and their journal, in a fixed number of queries:
    each (project, before, after) gets its dated, signed status entry; the projects that
    existed (`before` not empty) take their new status. New projects (`before` "") were saved
    with theirs: their entry opens the journal. Callers check rights and run it inside their
    recorded change; the single change, the bulk change, the spreadsheet import and the
    decisions of bodies all come here. Returns how many entries were written."""
    if on > timezone.localdate():
        raise ValidationError(
            {"on": _("Un changement de statut prend effet au plus tard aujourd’hui.")}
        )
    changes = [(p, before, after) for p, before, after in changes if before != after]
    if not changes:
        return 0
    now = db_datetime(timezone.now())
    day = connection.ops.adapt_datefield_value(on)
    author = actor.pk if actor is not None and actor.is_authenticated else None
    columns = ["created_at", "updated_at", "project", "kind", "date", "status_before"]
    columns += ["status_after", "text", "author"]
    bulk_insert(
        JournalEntry,
        columns,
        [
            (now, now, project.pk, JournalKind.STATUS, day, before, after, comment, author)
            for project, before, after in changes
        ],
    )
    existing = [(project, after) for project, before, after in changes if before]
    for project, after in existing:
        project.status, project.status_changed_on = after, on
    Project.objects.bulk_update(
        [project for project, _after in existing], ["status", "status_changed_on"], batch_size=500
    )
    return len(changes)


def project_bulk_status(
    *,
    actor: User | None,
    cooperation: Cooperation,
    projects: Iterable[Project],
    status: str,
    comment: str = "",
    on: date | None = None,
) -> int:
    """The coordinators' bulk status change: one journal entry per project that changes, in
    one transaction and a fixed number of queries. Returns how many changed."""
    _require_manage(actor, cooperation)
    if status not in ProjectStatus.values:
        raise ValidationError({"status": _("Statut inconnu : %(status)s.") % {"status": status}})
    changing = [p for p in projects if p.status != status]
    require_same_cooperation(cooperation.pk, "projects", changing)
    on = on or timezone.localdate()
    with recorded_change(
        actor=actor,
        comment=ngettext(
            "%(count)s projet : %(status)s", "%(count)s projets : %(status)s", len(changing)
        )
        % {"count": len(changing), "status": ProjectStatus(status).label},
    ):
        project_statuses_write(
            actor=actor,
            changes=[(project, project.status, status) for project in changing],
            comment=comment,
            on=on,
        )
    return len(changing)


def journal_note_add(
    *, actor: User, project: Project, text: str, on: date | None = None
) -> JournalEntry:
    _require_edit(actor, project)
    if not text.strip():
        raise ValidationError({"text": _("La note est vide.")})
    return JournalEntry.objects.create(
        project=project,
        kind=JournalKind.NOTE,
        date=on or timezone.localdate(),
        text=text.strip(),
        author=actor,
    )


def journal_decision_add(
    *, actor: User | None, project: Project, text: str, on: date
) -> JournalEntry:
    """A body's decision written in the journal of a project it names (governance calls it,
    with the decision's own right checked there: organisers need not edit the project)."""
    return JournalEntry.objects.create(
        project=project, kind=JournalKind.DECISION, date=on, text=text, author=actor
    )


def cooperation_projects_cascade(cooperation: Cooperation) -> Iterable[Model]:
    """What a cooperation's deletion takes from the projects app (registered on
    cooperations.services.DELETION_CASCADES)."""
    yield from Project.objects.filter(cooperation=cooperation)
    for model in (FinancingLine, ProjectStep, Indicator, ProjectDocument):
        yield from model._default_manager.filter(project__cooperation=cooperation)


# What the apps above keep of a project and must come back with it (the decisions and agenda
# items naming it), each registered by its app (AppConfig.ready).
PROJECT_DELETION_CASCADES: list[Callable[[Project], Iterable[Model]]] = []


def project_delete(*, actor: User, project: Project) -> None:
    """Delete a project reversibly: its snapshot holds everything that goes with it (money,
    steps, indicators and their values, documents, journal) and the records of other apps
    linking to it, so that `project_restore` brings the whole back."""
    _require_manage(actor, project.cooperation)
    delete_recorded(
        actor=actor,
        comment=_("Suppression du projet %(code)s") % {"code": project.code},
        obj=project,
        cascaded=[
            *project.financing.all(),
            *project.steps.all(),
            *project.indicators.all(),
            *IndicatorValue.objects.filter(indicator__project=project),
            *project.documents.all(),
            *project.journal.all(),
            *(obj for cascade in PROJECT_DELETION_CASCADES for obj in cascade(project)),
        ],
    )


def project_restore(*, actor: User, cooperation: Cooperation, version: Version) -> Project:
    """Bring a deleted project back, whole, as it was when deleted (coordinators)."""
    _require_manage(actor, cooperation)
    if version.field_dict.get("cooperation_id") != cooperation.pk:
        raise PermissionDenied
    code = version.field_dict.get("code")
    if Project.objects.filter(cooperation=cooperation, code=code).exists():
        raise Conflict(
            _("Un autre projet porte maintenant le code %(code)s : changez-le d’abord.")
            % {"code": code}
        )
    return cast(
        Project,
        restore_deleted(
            actor=actor, version=version, comment=_("Projet %(code)s restauré") % {"code": code}
        ),
    )


# Parts of a project: steps, financing lines, indicators --------------------------------------


def _part_create(actor, project: Project, obj: Model, comment: str):
    _require_edit(actor, project)
    obj.full_clean()
    with recorded_change(actor=actor, comment=comment):
        obj.save()
    return obj


def _part_update(actor, project: Project, obj: Model, changes: dict, allowed, comment: str):
    _require_edit(actor, project)
    apply_changes(actor=actor, obj=obj, changes=changes, allowed=allowed, comment=comment)
    return obj


def _part_delete(actor, project: Project, obj: Model, comment: str) -> None:
    _require_edit(actor, project)
    delete_recorded(actor=actor, comment=comment, obj=obj)


def step_add(*, actor: User | None, project: Project, **fields: Any) -> ProjectStep:
    comment = _("Projet %(code)s : étape ajoutée") % {"code": project.code}
    return _part_create(actor, project, ProjectStep(project=project, **fields), comment)


def step_update(*, actor: User, step: ProjectStep, **changes: Any) -> ProjectStep:
    project = step.project
    comment = _("Projet %(code)s : étape modifiée") % {"code": project.code}
    return _part_update(actor, project, step, changes, STEP_FIELDS, comment)


def step_delete(*, actor: User, step: ProjectStep) -> None:
    comment = _("Projet %(code)s : étape supprimée") % {"code": step.project.code}
    _part_delete(actor, step.project, step, comment)


def financing_add(*, actor: User | None, project: Project, **fields: Any) -> FinancingLine:
    comment = _("Projet %(code)s : ligne de financement ajoutée") % {"code": project.code}
    return _part_create(actor, project, FinancingLine(project=project, **fields), comment)


# Apps above may own a financing line (a fund's grant): each function here returns why a line
# cannot be changed or deleted by hand ("" when it can). The owner writes with `by_owner`.
FINANCING_OWNERS: list[Callable[[FinancingLine], str]] = []


def _require_unowned(line: FinancingLine) -> None:
    for owner in FINANCING_OWNERS:
        reason = owner(line)
        if reason:
            raise Conflict(reason)


def financing_update(
    *, actor: User | None, line: FinancingLine, by_owner: bool = False, **changes: Any
) -> FinancingLine:
    if not by_owner:
        _require_unowned(line)
    project = line.project
    comment = _("Projet %(code)s : ligne de financement modifiée") % {"code": project.code}
    return _part_update(actor, project, line, changes, FINANCING_FIELDS, comment)


def financing_delete(*, actor: User, line: FinancingLine) -> None:
    _require_unowned(line)
    comment = _("Projet %(code)s : ligne de financement supprimée") % {"code": line.project.code}
    _part_delete(actor, line.project, line, comment)


def indicator_add(*, actor: User | None, project: Project, **fields: Any) -> Indicator:
    comment = _("Projet %(code)s : indicateur ajouté") % {"code": project.code}
    return _part_create(actor, project, Indicator(project=project, **fields), comment)


def indicator_update(*, actor: User, indicator: Indicator, **changes: Any) -> Indicator:
    project = indicator.project
    comment = _("Projet %(code)s : indicateur modifié") % {"code": project.code}
    return _part_update(actor, project, indicator, changes, INDICATOR_FIELDS, comment)


def indicator_delete(*, actor: User, indicator: Indicator) -> None:
    comment = _("Projet %(code)s : indicateur supprimé") % {"code": indicator.project.code}
    _part_delete(actor, indicator.project, indicator, comment)


def indicator_value_add(
    *, actor: User | None, indicator: Indicator, date: date, value, source: str = ""
) -> IndicatorValue:
    project = indicator.project
    _require_edit(actor, project)
    measured = IndicatorValue(indicator=indicator, date=date, value=value, source=source)
    measured.full_clean()
    measured.save()
    return measured


def document_add(*, actor: User | None, project: Project, title: str, file) -> ProjectDocument:
    """Store a project's document (type and size checked by the model)."""
    document = ProjectDocument(
        project=project, title=title, file=file, size=file.size, uploaded_by=actor
    )
    comment = _("Projet %(code)s : document ajouté") % {"code": project.code}
    return _part_create(actor, project, document, comment)


def document_delete(*, actor: User, document: ProjectDocument) -> None:
    """Delete the record; the stored file stays so that the history can restore it."""
    comment = _("Projet %(code)s : document supprimé") % {"code": document.project.code}
    _part_delete(actor, document.project, document, comment)
