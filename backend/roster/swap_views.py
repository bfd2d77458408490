"""The swap link a business receives by e-mail or SMS: ``/roster/tausch/<token>``.

GET shows the shift; POST ``decision=accept|decline`` answers. The secret token is
the only credential (no cookies, no sign-in), so a business can answer from a phone.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, render_template, request

from backend.businesses.models import Business
from backend.core.errors import ProblemError
from backend.extensions import db, limiter
from backend.hours import BERLIN
from backend.reference.catalogue import trades_by_slug
from backend.roster.models import RosterSwap
from backend.roster.planning import PlanningError, trade_slug_of
from backend.roster.swaps import accept_swap, reject_swap, swap_for_token
from backend.roster.wording import clock, long_date
from backend.web.views import asset_store

bp = Blueprint("roster_swap", __name__, url_prefix="/roster")
STATUS_DE = {
    "asked": "angefragt",
    "accepted": "angenommen, wartet auf die Freigabe der Innung",
    "approved": "getauscht",
    "rejected": "abgelehnt",
}


def init_app(app: Flask) -> None:
    """Register the swap link routes."""
    app.register_blueprint(bp)


@bp.get("/tausch/<token>")
@limiter.limit("30/minute")
def show(token: str) -> Response:
    """The asked shift and the buttons to accept or decline it."""
    return _page(_swap(token), token)


@bp.post("/tausch/<token>")
@limiter.limit("10/minute")
def answer(token: str) -> Response:
    """Accept (approved at once when coverage does not get worse) or decline."""
    swap = _swap(token)
    decision = request.form.get("decision")
    if decision not in ("accept", "decline"):
        raise ProblemError(400, "Invalid decision", "decision must be accept or decline.",
                           parameter="decision")  # fmt: skip
    actor = f"swap-link:{swap.to_business_id}"
    try:
        if decision == "accept":
            accept_swap(swap, actor=actor)
        else:
            reject_swap(swap, actor=actor)
    except PlanningError as error:
        db.session.rollback()
        return _page(swap, token, f"Nicht möglich: {error}", status=409)
    db.session.commit()
    return _page(swap, token, "Danke, Ihre Antwort ist gespeichert.")


def _swap(token: str) -> RosterSwap:
    swap = swap_for_token(token)
    if swap is None:
        raise ProblemError(404, "Unknown swap link", "This swap link does not exist.")
    return swap


def _page(swap: RosterSwap, token: str, message: str = "", status: int = 200) -> Response:
    shift = swap.shift
    trade = trades_by_slug()[trade_slug_of(shift)]
    html = render_template(
        "roster/swap.html",
        swap=swap,
        message=message,
        from_name=db.session.get(Business, swap.from_business_id).name,
        to_name=db.session.get(Business, swap.to_business_id).name,
        trade=trade.name_de,
        start=_when(shift.starts_at),
        end=_when(shift.ends_at),
        status=STATUS_DE[swap.status],
        action=f"/roster/tausch/{token}",
        stylesheet=asset_store().url("style.css"),
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token must not leak
    return response


def _when(instant) -> str:
    local = instant.astimezone(BERLIN)
    return f"{long_date(local.date())}, {clock(local)} Uhr"
