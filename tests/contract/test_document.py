"""The OpenAPI document states what the server enforces: problems, bounds, strict types."""

from __future__ import annotations

from backend.core.errors import PROBLEM_MIME
from backend.core.input_fields import DB_INT_MAX


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_every_error_response_is_problem_json_with_the_problem_schema(client):
    spec = client.get("/api/v1/openapi.json").json
    seen = 0
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                if status != "default" and int(status) < 400:
                    continue
                content = _resolve(spec, response)["content"]
                assert list(content) == [PROBLEM_MIME], (path, method, status)
                schema = content[PROBLEM_MIME]["schema"]
                assert schema == {"$ref": "#/components/schemas/ProblemOut"}
                seen += 1
    assert seen > 20
    problem = spec["components"]["schemas"]["ProblemOut"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    assert problem.get("additionalProperties", True) is not False  # extension members


def test_the_call_endpoints_document_their_refusals(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    calls = paths["/api/v1/calls"]["post"]["responses"]
    assert {"409", "422", "429"} <= set(calls)
    outcome = paths["/api/v1/calls/{call_id}/outcome"]["post"]["responses"]
    assert {"404", "409", "429"} <= set(outcome)
    assert {"/api/v1/callbacks", "/api/v1/callbacks/{callback_id}"} <= set(paths)


def test_bounds_and_rules_are_stated(client):
    spec = client.get("/api/v1/openapi.json").json
    search = spec["paths"]["/api/v1/search"]["get"]
    parameters = {p["name"]: p for p in search["parameters"]}
    assert parameters["radius_km"]["schema"]["minimum"] == 0.1  # what the server accepts
    assert parameters["postcode"]["schema"]["pattern"] == "^[0-9]{5}$"
    assert "366 days" in parameters["at"]["description"]
    assert "exactly one location" in search["description"]
    assert "exactly" in search["description"] and "`emergency` or `trade`" in search["description"]
    schemas = spec["components"]["schemas"]
    assert schemas["CallOutcomeIn"]["properties"]["reached"]["type"] == "boolean"
    business_id = schemas["CallIn"]["properties"]["business_id"]
    assert (business_id["type"], business_id["maximum"]) == ("integer", DB_INT_MAX)
    (path_id,) = spec["paths"]["/api/v1/businesses/{business_id}"]["parameters"]
    assert path_id["schema"]["maximum"] == DB_INT_MAX
