"""What the projects app puts in the search (core.search): projects, read by its own rule."""

from django.utils.translation import gettext_lazy as _

from maillage.core.search import Indexed, SearchSource, register
from maillage.projects.models import Project
from maillage.projects.selectors import projects_visible_to


def _project(project: Project) -> Indexed:
    return Indexed(
        title=f"{project.code} {project.title}".strip(),
        text="\n".join([project.summary, project.description, project.tags]),
        cooperation_id=project.cooperation_id,
        date=project.start_date,
    )


register(
    SearchSource(
        key="project",
        label=_("Projets"),
        model=Project,
        describe=_project,
        readable=projects_visible_to,
        rows=lambda: Project.objects.select_related("cooperation"),
    )
)
