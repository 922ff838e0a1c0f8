"""The REST API, /api/v1/: each app contributes its router; the kernel its error bodies."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer
from pydantic_core import to_json

from maillage.accounts.api import router as accounts_router
from maillage.accounts.api import user_auth
from maillage.cooperations.api import router as cooperations_router
from maillage.core.api import install_error_handlers
from maillage.core.api import router as core_router
from maillage.directory.api import router as directory_router
from maillage.forum.api import router as forum_router
from maillage.funding.api import router as funding_router
from maillage.governance.api import router as governance_router
from maillage.mutualisation.api import router as mutualisation_router
from maillage.notifications.api import router as notifications_router
from maillage.observatory.api import router as observatory_router
from maillage.portal.api import router as portal_router
from maillage.projects.api import router as projects_router
from maillage.reports.api import router as reports_router
from maillage.territories.api import router as territories_router


class MaillageSchema(OpenAPISchema):
    """Operations open to anonymous visitors say that their authentication is optional
    (`security: [{}, {"UserAuth": []}]`), so that clients and schemathesis know it."""

    def operation_security(self, operation):
        security = super().operation_security(operation)
        if security and any(getattr(a, "anonymous", False) for a in operation.auth_callbacks):
            return [{}, *security]
        return security


class FastJSONRenderer(JSONRenderer):
    """JSON written by pydantic's serialiser (in Rust: dates, decimals and the rest without a
    Python call per value); what it does not know (lazy translations) is written as text."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return to_json(data, fallback=str)


class MaillageAPI(NinjaAPI):
    """The schema is built once per process, path and language (about a second of work that
    made the documentation page slow to show): the endpoints do not change while it runs."""

    _schemas: dict[tuple[str, str], OpenAPISchema] = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, get_language() or "")
        if key not in self._schemas:
            self._schemas[key] = MaillageSchema(self, path_prefix)
        return self._schemas[key]


api = MaillageAPI(
    title="Maillage API",
    version="1",
    description=(
        "L’API de Maillage : tout ce qu’un utilisateur voit dans l’interface, avec les mêmes "
        "droits. Authentification par session (navigateur) ou `Authorization: Bearer <jeton>`."
    ),
    auth=user_auth,
    renderer=FastJSONRenderer(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Every operation folded at first: the page shows at once, and opens what is clicked.
    docs=Swagger(settings={"docExpansion": "none", "defaultModelsExpandDepth": -1}),
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/accounts", accounts_router)
api.add_router("/", notifications_router)
api.add_router("/cooperations", cooperations_router)
# Before the territories' router: its /territories/{territory_id} would take
# /territories/compare.
api.add_router("/", observatory_router)
api.add_router("/territories", territories_router)
api.add_router("/", directory_router)
api.add_router("/", projects_router)
api.add_router("/", governance_router)
api.add_router("/", reports_router)
api.add_router("/", mutualisation_router)
api.add_router("/", funding_router)
api.add_router("/", portal_router)
api.add_router("/", forum_router)
