"""A readable API reference rendered from the generated OpenAPI document.

Rendered on the server from the same spec as ``/api/v1/openapi.json``, so it can
never drift from the code and needs no third-party script (unlike Swagger UI or
ReDoc from a CDN).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

bp = Blueprint(
    "api_docs", __name__, static_folder="docs_static", static_url_path="/api/v1/docs-static"
)


def resolve_ref(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` such as ``#/components/schemas/SearchOut``."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def describe_operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten the spec into operations with their parameters and responses."""
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            body_schema = next(iter(body.values()), {}).get("schema") if body else None
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [resolve_ref(spec, p) for p in operation.get("parameters", [])],
                    "body": resolve_ref(spec, body_schema) if body_schema else None,
                    "responses": operation.get("responses", {}),
                }
            )
    return operations


@bp.route("/api/v1/docs")
def api_docs():
    """The human-readable API reference."""
    from backend.api import api

    spec = api.spec.to_dict()
    return render_template(
        "api/docs.html",
        info=spec["info"],
        operations=describe_operations(spec),
        schemas=spec.get("components", {}).get("schemas", {}),
    )
