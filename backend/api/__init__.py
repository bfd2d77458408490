"""The public JSON API under /api/v1, documented by a generated OpenAPI document."""

from __future__ import annotations

import http

from flask import Flask
from flask_smorest import Api

from backend.api.businesses import blp as businesses_blp
from backend.api.callbacks import blp as callbacks_blp
from backend.api.compression import gzip_json_response
from backend.api.docs import bp as docs_bp
from backend.api.places import blp as places_blp
from backend.api.problems import ProblemOut
from backend.api.reference import blp as reference_blp
from backend.api.search import search_blueprint
from backend.core.errors import PROBLEM_MIME, http_exception_to_problem
from backend.core.proxy import cors_origins
from backend.extensions import cors


class ProblemApi(Api):
    """flask-smorest Api whose errors (including 422 validation) are RFC 9457 problems.

    The document says so too: every error response it lists (the default one, the 422
    of each validated input, those of :func:`document_problem`) is
    ``application/problem+json`` with the :class:`ProblemOut` schema.
    """

    ERROR_SCHEMA = ProblemOut
    DEFAULT_RESPONSE_CONTENT_TYPE = "application/json"

    def _register_responses(self):
        """The lazily registered error responses, as problem+json."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["content"] = {PROBLEM_MIME: {"schema": self.ERROR_SCHEMA}}
            self.spec.components.response(status.name, response, lazy=True)
        default = {
            "description": "Any other error",
            "content": {PROBLEM_MIME: {"schema": self.ERROR_SCHEMA}},
        }
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)

    def handle_http_exception(self, error):
        """Render HTTP errors raised inside API views as problem details."""
        return http_exception_to_problem(error)


api = ProblemApi()


def init_app(app: Flask) -> None:
    """Register the API blueprints, the OpenAPI document and CORS for GET requests."""
    api.init_app(app, spec_kwargs={"info": {"description": _API_DESCRIPTION}})
    search_blp = search_blueprint(app.config)
    for blueprint in (reference_blp, search_blp, places_blp, businesses_blp, callbacks_blp):
        api.register_blueprint(blueprint, url_prefix="/api/v1")
    app.register_blueprint(docs_bp)
    app.after_request(gzip_json_response)
    cors.init_app(
        app,
        resources={r"/api/v1/*": {"origins": cors_origins(app.config["API_CORS_ORIGINS"])}},
        send_wildcard=True,  # "*" is answered "*", never by echoing the request's Origin
        methods=["GET", "HEAD", "OPTIONS"],
        supports_credentials=False,
        max_age=86400,
    )


_API_DESCRIPTION = (
    "Find guild-verified tradespeople who can help right now, nearest first. "
    "All errors are RFC 9457 problem details (application/problem+json). "
    "Times are ISO 8601 with offset; availability is judged in Europe/Berlin."
)
