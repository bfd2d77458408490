"""Console edits of businesses: the import's rules, optimistic locking, field-by-field audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.audit.operations import Actor
from backend.businesses.models import Business
from backend.businesses.operations import (
    BusinessInvalid,
    EditConflict,
    EditRules,
    create_business,
    form_cells,
    set_active,
    update_business,
)
from backend.extensions import db
from backend.geo.gazetteer import resolve_postcode
from backend.search.operation import SearchRequest, find_help
from tests import factories
from tests.imports.import_helpers import business as business_row

RULES = EditRules(max_radius_km=150.0)
ANNA = Actor("anna@harz-bode.example", staff_id=None, grant_id=None)
BERND = Actor("bernd@anhalt.example", grant_id=7)


@pytest.fixture
def guild(app_context):
    return factories.guild()


def cells(**overrides: str) -> dict[str, str]:
    return business_row("B-1", **overrides)


def created(guild, **overrides: str) -> Business:
    business = create_business(guild, cells(**overrides), actor=ANNA, rules=RULES)
    db.session.commit()
    return business


def test_create_stores_what_the_import_would(guild):
    business = created(guild)
    assert (business.phone, business.land, business.service_radius_km) == (
        "+49394112345",
        "ST",
        30.0,
    )
    assert {trade.slug for trade in business.trades} == {"installateur-heizungsbauer", "klempner"}
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "create"))
    assert entry.entity_id == str(business.id)
    assert {change.field: change.new_value for change in entry.changes}["phone"] == "+49394112345"


@pytest.mark.parametrize(
    ("column", "value", "message_de"),
    [
        ("phone", "12", "keine gültige Telefonnummer"),
        ("mobile", "03941 12345", "Mobil"),
        ("opening_hours", "Mo-Fr 7-", "opening_hours"),
        ("postcode", "99999", "unbekannte Postleitzahl 99999"),
        ("lat", "11.0", "außerhalb Deutschlands"),
        ("service_radius_km", "500", "höchstens 150 km"),
        ("trades", "bäcker", "unbekanntes Gewerk"),
    ],
)
def test_bad_cells_carry_the_imports_german_message(guild, column, value, message_de):
    with pytest.raises(BusinessInvalid) as caught:
        create_business(guild, cells(**{column: value}), actor=ANNA, rules=RULES)
    errors = caught.value.by_column()
    assert column in errors, errors
    text = " ".join(error.message_de for error in errors[column])
    if column == "opening_hours":
        assert text  # the hours parser's own German message
    else:
        assert message_de in text, text
    db.session.rollback()
    assert db.session.scalar(select(Business.id)) is None


def test_position_far_from_the_postcode_is_refused(guild):
    with pytest.raises(BusinessInvalid) as caught:
        create_business(guild, cells(lat="52.3759", lon="9.7320"), actor=ANNA, rules=RULES)
    assert "km von der Postleitzahl 38820" in caught.value.by_column()["lat"][0].message_de


def test_a_ref_of_another_business_is_refused(guild):
    created(guild)
    with pytest.raises(BusinessInvalid) as caught:
        create_business(guild, cells(), actor=ANNA, rules=RULES)
    assert "bereits die ref" in caught.value.by_column()["ref"][0].message_de


def test_update_audits_each_field_with_actor_and_grant(guild):
    business = created(guild)
    version = business.version
    changes = update_business(
        business,
        {**form_cells(business), "name": "Müller & Söhne", "trades": "klempner"},
        version=version,
        actor=BERND,
        rules=RULES,
    )
    db.session.commit()
    assert set(changes) == {"name", "trades"}
    assert business.version == version + 1
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "update"))
    assert entry.actor == "bernd@anhalt.example"
    fields = {change.field: (change.old_value, change.new_value) for change in entry.changes}
    assert fields == {
        "name": ("Sanitär Müller GmbH", "Müller & Söhne"),
        "trades": ("installateur-heizungsbauer;klempner", "klempner"),
    }


def test_changing_only_the_trades_moves_the_version_on(guild):
    business = created(guild)
    version = business.version
    update_business(
        business,
        {**form_cells(business), "trades": "glaser"},
        version=version,
        actor=ANNA,
        rules=RULES,
    )
    db.session.commit()
    assert business.version == version + 1


def test_an_unchanged_form_writes_nothing(guild):
    business = created(guild)
    version = business.version
    assert (
        update_business(business, form_cells(business), version=version, actor=ANNA, rules=RULES)
        == {}
    )
    assert business.version == version


def test_a_stale_save_is_a_conflict_carrying_both_versions(guild):
    business = created(guild)
    seen = business.version
    update_business(
        business, {**form_cells(business), "name": "Erste"}, version=seen, actor=ANNA, rules=RULES
    )
    db.session.commit()
    mine = {**form_cells(business), "name": "Zweite"}
    with pytest.raises(EditConflict) as caught:
        update_business(business, mine, version=seen, actor=BERND, rules=RULES)
    conflict = caught.value
    assert (conflict.my_version, conflict.their_version) == (seen, seen + 1)
    assert (conflict.mine["name"], conflict.theirs["name"]) == ("Zweite", "Erste")
    db.session.rollback()
    assert db.session.get(Business, business.id).name == "Erste"


def test_a_save_racing_past_the_check_is_a_conflict_too(guild):
    business = created(guild)
    seen = business.version
    with db.engine.begin() as other:  # another worker saves between load and flush
        other.execute(
            Business.__table__.update()
            .where(Business.__table__.c.id == business.id)
            .values(name="Anderswo gespeichert", version=seen + 1)
        )
    with pytest.raises(EditConflict) as caught:
        update_business(
            business, {**form_cells(business), "name": "Meins"}, version=seen, actor=ANNA,
            rules=RULES,
        )  # fmt: skip
    assert caught.value.theirs is None
    db.session.rollback()
    assert db.session.get(Business, business.id).name == "Anderswo gespeichert"


def test_changed_address_is_geocoded_again_unless_the_position_was_corrected(guild):
    business = created(guild)
    quedlinburg = resolve_postcode("06484")
    moved = {**form_cells(business), "postcode": "06484", "city": "Quedlinburg"}
    update_business(business, moved, version=business.version, actor=ANNA, rules=RULES)
    db.session.commit()
    assert (business.lat, business.lon) == (quedlinburg.lat, quedlinburg.lon)
    # A position corrected by hand wins over the gazetteer.
    corrected = {**form_cells(business), "lat": "51.7901", "lon": "11.1412"}
    update_business(business, corrected, version=business.version, actor=ANNA, rules=RULES)
    db.session.commit()
    assert (business.lat, business.lon) == (51.7901, 11.1412)
    assert {(link.lat, link.lon) for link in business.trade_links} == {(51.7901, 11.1412)}


def test_deactivate_and_restore_keep_the_business_and_change_the_search(guild):
    business = created(guild)
    request = SearchRequest(postcode="38820", emergency="wasser", available="any")
    assert [hit.business_id for hit in find_help(request).hits] == [business.id]
    set_active(business, False, version=business.version, actor=ANNA)
    db.session.commit()
    assert find_help(request).hits == []
    set_active(business, True, version=business.version, actor=ANNA)
    db.session.commit()
    assert [hit.business_id for hit in find_help(request).hits] == [business.id]
    actions = db.session.scalars(
        select(AuditLogEntry.action).where(AuditLogEntry.entity_id == str(business.id))
    ).all()
    assert actions == ["create", "deactivate", "restore"]


def test_deactivating_from_a_stale_page_is_a_conflict(guild):
    business = created(guild)
    with pytest.raises(EditConflict):
        set_active(business, False, version=business.version - 1, actor=ANNA)
