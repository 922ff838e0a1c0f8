"""The OpenAPI schema describes the whole API: every registered operation, its errors, and the
resources of every issue. A schemathesis run (maillage/core/tests/test_api_fuzz.py) then checks
the answers against it."""

from typing import Any

from maillage.api import api

# One operation per resource the issues ask for: if one disappears, this test says so.
RESOURCES = {
    ("get", "/api/v1/cooperations"),
    ("get", "/api/v1/cooperations/{ref}"),
    ("get", "/api/v1/cooperations/{ref}/parties"),
    ("get", "/api/v1/cooperations/{ref}/milestones"),
    ("get", "/api/v1/cooperations/{ref}/documents"),
    ("get", "/api/v1/cooperations/{ref}/members"),
    ("get", "/api/v1/cooperations/{ref}/strategy"),
    ("get", "/api/v1/cooperations/{ref}/themes"),
    ("get", "/api/v1/cooperations/{ref}/working-groups"),
    ("get", "/api/v1/cooperations/{ref}/proposals"),
    ("get", "/api/v1/cooperations/{ref}/history"),
    ("get", "/api/v1/territories"),
    ("get", "/api/v1/organisations"),
    ("get", "/api/v1/people"),
    ("get", "/api/v1/projects"),
    ("get", "/api/v1/projects/{project_id}"),
    ("get", "/api/v1/projects/{project_id}/journal"),
    ("post", "/api/v1/projects/{project_id}/financing"),
    ("post", "/api/v1/projects/{project_id}/steps"),
    ("post", "/api/v1/projects/{project_id}/indicators"),
    ("post", "/api/v1/projects/{project_id}/indicators/{indicator_id}/values"),
    ("get", "/api/v1/programmes"),
    ("get", "/api/v1/exchange-rates"),
    ("get", "/api/v1/meetings"),
    ("get", "/api/v1/meetings/{meeting_id}"),
    ("get", "/api/v1/meetings/{meeting_id}/registrations"),
    ("get", "/api/v1/meetings/{meeting_id}/attendance"),
    ("get", "/api/v1/meetings/{meeting_id}/minutes"),
    ("get", "/api/v1/meetings/{meeting_id}/agenda"),
    ("get", "/api/v1/bodies"),
    ("get", "/api/v1/bodies/{body_id}/members"),
    ("get", "/api/v1/decisions"),
    ("get", "/api/v1/cooperations/{ref}/dashboard"),
    ("get", "/api/v1/dashboard/overview"),
    ("post", "/api/v1/cooperations/{ref}/reports"),
    ("get", "/api/v1/reports/{report_id}"),
}
ERRORS = {400, 401, 403, 404, 409}


def registered_operations() -> set[tuple[str, str]]:
    """What the routers serve, read from ninja's routers rather than from the schema."""
    operations = set()
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    full = "/api/v1/" + "/".join(part.strip("/") for part in (prefix, path))
                    operations.add((method.lower(), full.replace("//", "/").rstrip("/")))
    return operations


def test_every_operation_is_in_the_schema_with_its_errors():
    schema = api.get_openapi_schema()
    documented = {
        (method, path) for path, operations in schema["paths"].items() for method in operations
    }
    served = registered_operations()
    assert served, "no operation found: the routers' structure changed"
    assert served - documented == set(), "served but missing from the schema"
    assert RESOURCES - documented == set(), "a resource of an issue is missing from the API"
    missing_errors = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if path != "/api/v1/health" and not {int(code) for code in operation["responses"]} >= ERRORS
    ]
    assert not missing_errors, f"operations whose errors are not described: {missing_errors}"


def test_every_parameter_and_field_is_typed():
    schema = api.get_openapi_schema()
    untyped = [
        f"{path} {parameter['name']}"
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if "schema" not in parameter
    ]
    assert not untyped
    for name, component in schema["components"]["schemas"].items():
        for field, definition in component.get("properties", {}).items():
            assert definition, f"{name}.{field} has no type"


def test_the_documentation_page_says_its_language_and_loads_nothing_from_elsewhere(client):
    body = client.get("/api/v1/docs").content.decode()
    assert '<html lang="fr">' in body and "<main>" in body
    assert "<h1" in body and "Documentation de l’API" in body
    assert "cdn" not in body.lower() and "https://" not in body


def test_the_documentation_shows_at_once(client):
    """It took about ten seconds: the schema was rebuilt for every request (about a second)
    and every operation opened. Built once per language; operations folded."""
    from django.utils import translation

    from maillage.api import api

    first = api.get_openapi_schema(path_prefix="/api/v1/")
    assert api.get_openapi_schema(path_prefix="/api/v1/") is first
    with translation.override("en"):
        assert api.get_openapi_schema(path_prefix="/api/v1/") is not first
    body = client.get("/api/v1/docs").content.decode()
    assert '"docExpansion": "none"' in body


def test_no_two_api_schemas_share_a_name():
    """django-ninja names a schema in the OpenAPI document by its class name: two classes of
    one name make one of them documented with the other's fields."""
    import importlib
    import inspect

    from pydantic import BaseModel

    seen: dict[str, str] = {}
    clashes = []
    apps = ["accounts", "core", "territories", "directory", "cooperations", "projects"]
    apps += ["governance", "reports"]
    for app in apps:
        for module_name in (f"maillage.{app}.api", f"maillage.{app}.selectors"):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            for name, value in vars(module).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, BaseModel)
                    and value.__module__ == module_name
                ):
                    if name in seen and seen[name] != module_name:
                        clashes.append(f"{name}: {seen[name]} and {module_name}")
                    seen[name] = module_name
    assert not clashes, clashes


# Lists bounded by their parent (a meeting's agenda, a body's members…): whole, not paginated.
WHOLE_LISTS = {
    "/api/v1/cooperations/{ref}/parties",
    "/api/v1/cooperations/{ref}/milestones",
    "/api/v1/cooperations/{ref}/documents",
    "/api/v1/cooperations/{ref}/themes",
    "/api/v1/cooperations/{ref}/strategy",
    "/api/v1/cooperations/{ref}/proposals/{number}/comments",
    "/api/v1/programmes",
    "/api/v1/exchange-rates",
    "/api/v1/meetings/{meeting_id}/attendance",
    "/api/v1/bodies/{body_id}/members",
    "/api/v1/meetings/{meeting_id}/agenda",
    "/api/v1/meetings/{meeting_id}/documents",
    "/api/v1/funds/{fund_id}/envelopes",
    "/api/v1/applications/{application_id}/reviews",
    "/api/v1/applications/{application_id}/payments",
    "/api/v1/applications/{application_id}/answers",
    "/api/v1/calls/{call_id}/questions",
}


def test_every_list_is_paginated_one_way():
    """One pagination style across the API: `limit` and `offset` in, `{"items", "count"}` out
    (the project list and the overview each had their own)."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    whole, paged = set(), set()
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        content = operation["responses"].get(200, {}).get("content", {})
        if "application/json" not in content:
            continue  # a file
        answer = content["application/json"]["schema"]
        parameters = {parameter["name"] for parameter in operation.get("parameters", [])}
        assert "page" not in parameters, path
        if answer.get("type") == "array":
            whole.add(path)
        elif "items" in components[answer["$ref"].rsplit("/", 1)[1]].get("properties", {}):
            properties = components[answer["$ref"].rsplit("/", 1)[1]]["properties"]
            assert set(properties) == {"items", "count"}, path
            assert {"limit", "offset"} <= parameters, path
            paged.add(path)
    assert whole == WHOLE_LISTS, "a list that grows without bound must be paginated"
    assert {"/api/v1/projects", "/api/v1/dashboard/overview"} <= paged


def test_inputs_take_their_fields_from_the_services():
    """One field list per entity: the API's input and patch of each entity a service edits are
    model schemas on that service's list (they were written by hand, 4–6 copies of each list)."""
    from ninja import ModelSchema

    from maillage.cooperations import api as cooperations_api
    from maillage.cooperations import services as cooperations
    from maillage.directory import api as directory_api
    from maillage.governance import api as governance_api
    from maillage.governance import services as governance
    from maillage.projects import api as projects_api
    from maillage.projects import services as projects
    from maillage.territories import api as territories_api
    from maillage.territories import services as territories

    generated = {
        cooperations_api.CooperationIn: cooperations_api.COOPERATION_COLUMNS,
        cooperations_api.CooperationPatch: cooperations_api.COOPERATION_COLUMNS,
        cooperations_api.PartyPatch: cooperations.PARTY_FIELDS,
        cooperations_api.MilestoneIn: cooperations.MILESTONE_FIELDS,
        cooperations_api.MilestonePatch: cooperations.MILESTONE_FIELDS,
        cooperations_api.WorkingGroupIn: cooperations.WORKING_GROUP_FIELDS,
        cooperations_api.WorkingGroupPatch: cooperations.WORKING_GROUP_FIELDS,
        cooperations_api.ProposalIn: cooperations.PROPOSAL_FIELDS,
        cooperations_api.ProposalPatch: cooperations.PROPOSAL_FIELDS,
        cooperations_api.ThemeIn: cooperations.THEME_FIELDS,
        cooperations_api.NodeIn: cooperations.STRATEGY_NODE_FIELDS,
        cooperations_api.NodePatch: cooperations.STRATEGY_NODE_FIELDS,
        directory_api.OrganisationIn: directory_api.ORGANISATION_COLUMNS,
        directory_api.OrganisationPatch: directory_api.ORGANISATION_COLUMNS,
        directory_api.PersonIn: directory_api.PERSON_COLUMNS,
        directory_api.PersonPatch: directory_api.PERSON_COLUMNS,
        governance_api.BodyIn: governance.BODY_FIELDS,
        governance_api.BodyPatch: governance.BODY_FIELDS,
        governance_api.MandatePatch: governance.MANDATE_FIELDS,
        governance_api.MeetingIn: governance.MEETING_FIELDS,
        governance_api.EventIn: governance.EVENT_FIELDS,
        governance_api.MeetingPatch: governance.MEETING_FIELDS,
        governance_api.DecisionIn: governance.DECISION_FIELDS,
        governance_api.DecisionPatch: governance.DECISION_FIELDS,
        projects_api.ProjectPatch: projects_api.PROJECT_COLUMNS,
        projects_api.FinancingIn: projects.FINANCING_FIELDS,
        projects_api.FinancingPatch: projects.FINANCING_FIELDS,
        projects_api.StepIn: projects.STEP_FIELDS,
        projects_api.StepPatch: projects.STEP_FIELDS,
        projects_api.IndicatorIn: projects.INDICATOR_FIELDS,
        projects_api.IndicatorPatch: projects.INDICATOR_FIELDS,
        projects_api.IndicatorValueIn: projects.INDICATOR_VALUE_FIELDS,
        territories_api.AreaIn: territories.AREA_FIELDS,
        territories_api.AreaPatch: territories.AREA_FIELDS,
    }
    for schema, fields in generated.items():
        assert issubclass(schema, ModelSchema), schema
        meta: Any = getattr(schema, "Meta")  # noqa: B009 - ninja's, unknown to the type checker
        assert list(meta.fields) == list(fields), schema
        assert {field.name for field in meta.model._meta.fields} >= set(fields), schema
    # The columns left out of the API are left out on purpose: the logo, uploaded on the page.
    assert set(cooperations.EDITABLE_FIELDS) - set(cooperations_api.COOPERATION_COLUMNS) == {"logo"}
    assert set(projects.PROJECT_FIELDS) - set(projects_api.PROJECT_COLUMNS) == {"proposal"}


def test_model_schemas_name_their_data_as_the_wire_does():
    """ninja names a reference `<name>_id` on the wire but `<name>` in the data: an output then
    answered `person` where the documentation said `person_id`, and an input's handler read
    another name than the client sent. `model_typed` renames them; this test finds any left."""
    import importlib
    import inspect

    from ninja import ModelSchema

    apps = ["territories", "directory", "cooperations", "projects", "governance", "reports"]
    mismatched = []
    for app in apps:
        module = importlib.import_module(f"maillage.{app}.api")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, ModelSchema)
                and value is not ModelSchema
            ):
                wire = set(value.model_json_schema(mode="serialization")["properties"])
                if wire != set(value.model_fields):
                    mismatched.append(f"{app}.{name}: {sorted(wire ^ set(value.model_fields))}")
    assert not mismatched, mismatched
