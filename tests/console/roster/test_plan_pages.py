"""The duty plan's console pages through the test client: the week and month views, the
gaps beside them (the same as ``flask roster gaps``), shifts added, moved and removed."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.extensions import db
from backend.roster.coverage import find_gaps
from backend.roster.models import RosterShift
from tests.console.business_helpers import make_business
from tests.console.roster_helpers import berlin, make_shift
from tests.console.staff_helpers import csrf_token

WEEK = "/console/roster/?guild=innung-a&from=2026-12-07"


def gap_items(html: str, city: str) -> list[str]:
    """The gaps the page lists for one city, as text (``Fr 11.12.2026 17:00 – ...``)."""
    section = html[html.index(f'id="city-{city}"') :]
    section = section[: section.index("</table>")]
    return [re.sub(r"\s+", " ", item).strip()
            for item in re.findall(r'<li class="gap">([^<]*)', section)]  # fmt: skip


def test_the_week_shows_shifts_as_bars_and_the_gaps_of_the_coverage_operation(staff_client,
                                                                              world):  # fmt: skip
    make_shift(world.guild, name="Sanitär Wochenende")
    html = staff_client.get(WEEK + "&lang=de").get_data(as_text=True)
    assert "Notdienstplan – Kreishandwerkerschaft A" in html
    assert "07.12.2026 – 13.12.2026" in html
    assert "Sanitär Wochenende" in html and "Fr 11.12.2026 18:00 – Mo 14.12.2026 07:00" in html
    # The bar starts 4 days 18 hours into the week and is clipped at Sunday 24:00.
    assert '<rect class="shift" x="6840" width="3240"' in html
    expected = [
        f"{g.start.strftime('%a')}" for g in find_gaps(date(2026, 12, 7), date(2026, 12, 13))
        if g.city == "stadt-a" and g.emergency == "wasser"
    ]  # fmt: skip
    listed = gap_items(html, "stadt-a")
    wasser = html[html.index('id="city-stadt-a"') :]
    wasser = wasser[wasser.index('data-emergency="wasser"') :]
    wasser = wasser[: wasser.index("</tr>")]
    assert len(re.findall(r'<li class="gap">', wasser)) == len(expected) > 0
    assert listed  # every category with trades has its row
    assert 'rel="prev"' in html and "from=2026-11-30" in html and "from=2026-12-14" in html


def test_gap_rows_list_exactly_the_gaps_roster_gaps_prints(staff_client, world):
    make_shift(world.guild)
    html = staff_client.get(WEEK).get_data(as_text=True)
    for city in ("stadt-a", "stadt-b"):
        expected = [
            f"{g.start:%d.%m.%Y %H:%M} – {g.end:%d.%m.%Y %H:%M}"
            for g in find_gaps(date(2026, 12, 7), date(2026, 12, 13), city)
        ]
        shown = [re.sub(r"^\w+ (.*) – \w+ (.*)$", r"\1 – \2", item)
                 for item in gap_items(html, city)]  # fmt: skip
        assert sorted(shown) == sorted(expected)  # the page goes by category, then time


def test_the_month_view_and_english(staff_client, world):
    html = staff_client.get(WEEK + "&view=month&lang=en").get_data(as_text=True)
    assert "Duty plan – Kreishandwerkerschaft A" in html
    assert "01.12.2026 – 31.12.2026" in html
    assert "Previous month" in html and "from=2026-11-01" in html and "from=2027-01-01" in html
    assert "Gaps and coverage" in html and "Balance" in html


def test_bad_arguments_fall_back_instead_of_failing(staff_client):
    for day in ("2026-13-45", "0001-01-01", "9999-12-31"):
        response = staff_client.get(f"/console/roster/?guild=innung-a&from={day}&view=x&city=?")
        assert response.status_code == 200
    publish = "/console/roster/publish?guild=innung-a&first_day=9999-12-31&last_day=0001-01-01"
    assert staff_client.get(publish).status_code == 200
    assert staff_client.get("/console/roster/?guild=nobody").status_code == 404


def test_add_move_and_remove_a_shift(staff_client, world):
    business_id = make_business(world.guild, name="Sanitär Neu")
    token = csrf_token(staff_client, "/console/roster/shifts/new?guild=innung-a")
    response = staff_client.post("/console/roster/shifts/new", data={
        "csrf_token": token, "guild": "innung-a", "who": f"{business_id}|klempner",
        "start": "2026-12-11T18:00", "end": "2026-12-14T07:00", "back": WEEK,
    })  # fmt: skip
    assert response.status_code == 302 and response.location == WEEK
    shift = db.session.scalar(select(RosterShift))
    assert (shift.starts_at, shift.ends_at) == (berlin("2026-12-11 18:00"),
                                                berlin("2026-12-14 07:00"))  # fmt: skip
    assert "Schicht angelegt: Sanitär Neu" in staff_client.get(WEEK).get_data(as_text=True)
    page = f"/console/roster/shifts/{shift.id}"
    form = staff_client.get(page).get_data(as_text=True)
    assert 'value="2026-12-11T18:00"' in form
    response = staff_client.post(page, data={"csrf_token": csrf_token(staff_client, page),
                                             "start": "2026-12-12T08:00",
                                             "end": "2026-12-14T07:00"})  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    assert shift.starts_at == berlin("2026-12-12 08:00")
    week = staff_client.get(WEEK).get_data(as_text=True)
    seen = re.search(r'name="seen" value="([^"]+)"', week)[1]
    remove = f"/console/roster/shifts/{shift.id}/remove"
    stale = staff_client.post(remove, data={"csrf_token": csrf_token(staff_client, WEEK),
                                            "seen": "202612111700-202612140600"})  # fmt: skip
    assert stale.status_code == 302 and db.session.get(RosterShift, shift.id) is not None
    staff_client.post(remove, data={"csrf_token": csrf_token(staff_client, WEEK), "seen": seen})
    db.session.expire_all()
    assert db.session.scalar(select(RosterShift)) is None
    actions = db.session.scalars(select(AuditLogEntry.action).where(
        AuditLogEntry.entity_type == "RosterShift").order_by(AuditLogEntry.id)).all()  # fmt: skip
    assert actions == ["create", "update", "delete"]
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "delete"))
    assert entry.actor_id == world.accounts["guild_own"].user.id


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start": "2026-12-14T07:00", "end": "2026-12-11T18:00"}, "end",
         "Das Ende muss nach dem Beginn liegen."),
        ({"start": "morgen", "end": "2026-12-11T18:00"}, "start",
         "Bitte Datum und Uhrzeit angeben."),
        ({"who": "999999|klempner"}, "who", "Bitte einen Betrieb mit Gewerk wählen."),
        ({"who": "BUSINESS|glaser"}, "who", "Bitte einen Betrieb mit Gewerk wählen."),
        ({"start": "2026-12-12T00:00", "end": "2026-12-12T06:00"}, "start",
         "hat in dieser Zeit schon Notdienst"),
    ],
)  # fmt: skip
def test_bad_shift_input_is_refused_next_to_its_field_in_german(staff_client, world, fields,
                                                                field, message):  # fmt: skip
    business_id = make_business(world.guild, name="Sanitär Doppelt")
    make_shift(world.guild)  # someone else's shift: not in the way
    path = "/console/roster/shifts/new?guild=innung-a&lang=de"
    data = {"csrf_token": csrf_token(staff_client, path), "who": f"{business_id}|klempner",
            "start": "2026-12-11T18:00", "end": "2026-12-14T07:00"}  # fmt: skip
    staff_client.post(path, data=data)  # the first one is fine
    data.update({key: value.replace("BUSINESS", str(business_id)) for key, value in fields.items()})
    count = db.session.query(RosterShift).count()
    response = staff_client.post(path, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error">[^<]*{message}', html), html[:3000]
    assert db.session.query(RosterShift).count() == count


def test_a_shift_of_a_foreign_guild_cannot_be_moved(staff_client, world):
    shift_id = make_shift(world.foreign_guild)
    assert staff_client.get(f"/console/roster/shifts/{shift_id}").status_code == 403
    assert staff_client.get("/console/roster/shifts/999999").status_code == 404


def test_without_csrf_token_nothing_is_written(staff_client, world):
    business_id = make_business(world.guild)
    response = staff_client.post("/console/roster/shifts/new?guild=innung-a", data={
        "who": f"{business_id}|klempner", "start": "2026-12-11T18:00",
        "end": "2026-12-14T07:00"})  # fmt: skip
    assert response.status_code == 400
    assert db.session.scalar(select(RosterShift)) is None


def test_english_pages_name_days_and_trades_in_english(staff_client, world):
    make_shift(world.guild, name="Sanitär Englisch")
    html = staff_client.get(WEEK + "&lang=en").get_data(as_text=True)
    assert "Fri 11.12.2026 18:00 – Mon 14.12.2026 07:00" in html
    assert "Plumber" in html and "Shifts" in html and "Close the gap" in html
    query = (
        "city=stadt-a&emergency=wasser&start=2026-12-12T00:00%2B01:00&end=2026-12-12T06:00%2B01:00"
    )
    page = staff_client.get(f"/console/roster/suggestions?guild=innung-a&{query}&lang=en")
    text = page.get_data(as_text=True)
    assert "Close a gap: Stadt A" in text and "Sat 12.12.2026 00:00" in text
    assert "Choose another business" in text
