from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "maillage.directory"
    label = "directory"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        from maillage.directory import search  # noqa: F401 - registers its search source
