from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "maillage.forum"
    label = "forum"
    verbose_name = _("Forum d’échanges")

    def ready(self) -> None:
        from maillage.cooperations.services import DELETION_CASCADES
        from maillage.forum import (  # noqa: F401 - registries of lower apps
            panels,
            search,
        )
        from maillage.forum.services import cooperation_forum_cascade

        if cooperation_forum_cascade not in DELETION_CASCADES:
            DELETION_CASCADES.append(cooperation_forum_cascade)
