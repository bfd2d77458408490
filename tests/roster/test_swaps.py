"""Swaps: asked by link, accepted, approved automatically or by staff, audited."""

from __future__ import annotations

from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.extensions import db
from backend.roster.models import RosterSwap
from backend.roster.swaps import approve_swap, ask_swap
from tests import factories
from tests.roster.test_coverage import at, city


def _two_electricians(second_lat: float):
    city()
    holder = factories.business(
        trades=("elektrotechniker",), name="Elektro Hält", opening_hours=None
    )
    other = factories.business(trades=("elektrotechniker",), name="Elektro Übernimmt",
                               opening_hours=None, lat=second_lat)  # fmt: skip
    shift = factories.shift(holder, "elektrotechniker", at("2026-12-12 08:00"),
                            at("2026-12-13 08:00"))  # fmt: skip
    return holder, other, shift


def test_swap_by_link_is_approved_when_coverage_stays(client):
    _, other, shift = _two_electricians(51.90)
    _, token = ask_swap(shift, other, actor="swap:holder")
    db.session.commit()
    page = client.get(f"/roster/tausch/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Elektro Hält bittet Elektro Übernimmt" in html
    assert "Samstag, 12. Dezember 2026, 08:00 Uhr" in html
    assert page.headers["Referrer-Policy"] == "no-referrer"
    response = client.post(f"/roster/tausch/{token}", data={"decision": "accept"})
    assert response.status_code == 200
    assert "getauscht" in response.get_data(as_text=True)
    db.session.expire_all()
    assert shift.business_id == other.id
    swap = db.session.scalar(select(RosterSwap))
    assert (swap.status, swap.auto_approved) == ("approved", True)
    actions = db.session.scalars(
        select(AuditLogEntry.action)
        .where(AuditLogEntry.entity_type == "RosterSwap")
        .order_by(AuditLogEntry.id)
    ).all()
    assert actions == ["swap-ask", "swap-accept", "swap-approve"]
    # The link is used up: a second answer is refused without a 500.
    again = client.post(f"/roster/tausch/{token}", data={"decision": "accept"})
    assert again.status_code == 409


def test_swap_that_opens_a_gap_waits_for_staff(client):
    holder, other, shift = _two_electricians(52.40)  # about 56 km away: out of reach
    swap, token = ask_swap(shift, other, actor="swap:holder")
    db.session.commit()
    client.post(f"/roster/tausch/{token}", data={"decision": "accept"})
    db.session.expire_all()
    assert swap.status == "accepted" and shift.business_id == holder.id
    assert "wartet auf die Freigabe" in client.get(f"/roster/tausch/{token}").get_data(as_text=True)
    approve_swap(swap, actor="staff:a")
    db.session.commit()
    assert (swap.status, swap.auto_approved, shift.business_id) == ("approved", False, other.id)


def test_bad_links_and_decisions(client):
    _, other, shift = _two_electricians(51.90)
    _, token = ask_swap(shift, other, actor="swap:holder")
    db.session.commit()
    assert client.get("/roster/tausch/geraten").status_code == 404
    response = client.post(f"/roster/tausch/{token}", data={"decision": "vielleicht"})
    assert response.status_code == 400
    assert response.json["parameter"] == "decision"
