"""The OpenAPI document against the server: schemathesis with every check, in process.

Every operation of ``/api/v1/openapi.json`` is called with generated requests (valid and
invalid ones) through the WSGI app. Any 5xx, any response the document does not describe
(status, content type, headers, body schema), any invalid input accepted or valid input
refused fails the test.

One check is left out: ``positive_data_acceptance`` (every schema-valid request gets a
2xx). The search's rules across parameters (exactly one location, one subject; ``at``
within SEARCH_AT_MAX_DAYS of now) and the slugs of the reference data (a call's
category must be one the business has a trade for) are stated in the descriptions and
answered with 422, but OpenAPI 3.0 cannot express them as a schema of query parameters.
Every refusal is still checked: documented status, problem+json, the Problem schema.

``SCHEMATHESIS_EXAMPLES`` sets the examples per operation: 10 in
``make test``, 100 in ``make schemathesis``.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from backend import create_app
from backend.extensions import db, limiter
from tests import factories
from tests.conftest import TEST_REDIS_URL, empty_data_tables

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
CASES: dict[str, int] = {}


def served_document() -> dict:
    """The document as a server with the default configuration serves it.

    Read at import (schemathesis' lazy fixture loader does not work with this pytest);
    the test checks that the test app serves the very same document.
    """
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "contract",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "REDIS_URL": TEST_REDIS_URL,  # the limiter is one object: the same storage
            "SEARCH_INDEX": "off",
        }
    )
    return other.test_client().get("/api/v1/openapi.json").json


DOCUMENT = served_document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


@pytest.fixture(scope="module")
def listed(app):
    """A few listed businesses for the calls to find; rate limits from zero."""
    with app.app_context():
        empty_data_tables()
        factories.business(name="Sanitär Vertrag", trades=("klempner",), opening_hours="24/7")
        factories.business(name="Elektro Vertrag", trades=("elektrotechniker",))
        db.session.commit()
        assert app.test_client().get("/api/v1/openapi.json").json == DOCUMENT
    limiter.init_app(app)
    limiter.reset()
    yield app
    with app.app_context():
        empty_data_tables()
    total = sum(CASES.values())
    print(f"\nschemathesis: {total} cases over {len(CASES)} operations, all checks passed")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_server_does_what_the_document_says(case, listed):
    CASES[case.operation.label] = CASES.get(case.operation.label, 0) + 1
    # identity: a real client decodes gzip, the in-process transport does not.
    case.call_and_validate(
        app=listed,
        headers={"Accept-Encoding": "identity"},
        excluded_checks=[positive_data_acceptance],
    )
