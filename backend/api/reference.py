"""Reference data endpoints: trades and emergency categories."""

from __future__ import annotations

from flask_smorest import Blueprint
from sqlalchemy import text

from backend.api.caching import cache_for
from backend.api.problems import document_problem
from backend.extensions import db
from backend.reference import catalogue as reference
from backend.reference.schemas import EmergencyOut, HealthOut, TradeOut
from backend.search import index_state as search_index_state

blp = Blueprint("reference", __name__, description="Trades and emergency categories")


@blp.route("/trades")
@cache_for(3600)
@blp.response(200, TradeOut(many=True))
def list_trades():
    """List the trades (Gewerke) with their stable slugs."""
    return reference.list_trades()


@blp.route("/emergencies")
@cache_for(3600)
@blp.response(200, EmergencyOut(many=True))
def list_emergencies():
    """List the emergency categories, their safety advice and the trades that help."""
    return reference.list_emergencies()


@blp.route("/health")
@blp.response(200, HealthOut)
@document_problem(blp, 503, "The database does not answer; Retry-After says when to ask again")
def health():
    """Service check: ``ok`` once the database answers (else 503); starts the search index.

    For load balancers there are ``/healthz`` (the process) and ``/readyz`` (its
    database and Redis, with a timeout).
    """
    db.session.execute(text("SELECT 1"))
    return {"status": "ok", "search_index": search_index_state.index_status()}
