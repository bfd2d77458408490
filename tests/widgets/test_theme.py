"""City colours: WCAG contrast, refused with the reason, safe as CSS."""

import pytest

from backend.extensions import db
from backend.widgets.operations import save_theme
from backend.widgets.theme import ThemeError, check_theme, contrast_ratio, css_variables


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#fff", "#fff") == pytest.approx(1.0)
    # #767676 on white is the well-known lightest grey that passes 4.5:1.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < 4.5


def test_a_readable_theme_is_accepted_and_normalised():
    assert check_theme({"primary": "#7A1F3D", "background": "#FFF"}) == {
        "primary": "#7a1f3d",
        "background": "#fff",
    }


def test_low_contrast_is_refused_with_pair_and_ratio():
    with pytest.raises(ThemeError) as caught:
        check_theme({"primary": "#ffff00"})
    message = str(caught.value)
    assert "links and headings on background: contrast 1.07:1 (#ffff00 on #ffffff)" in message
    assert "at least 4.5:1" in message
    assert "Kontrast 1,07:1" in caught.value.message_de
    assert "mindestens 4,5:1" in caught.value.message_de


def test_dark_background_must_still_carry_the_call_and_sos_buttons():
    with pytest.raises(ThemeError, match="call button on background"):
        check_theme({"background": "#0b3d1a", "text": "#ffffff", "primary": "#ffffff",
                     "on_primary": "#000000"})  # fmt: skip


@pytest.mark.parametrize("value", ["red", "#12345", "#gggggg", "#fff;}body{x:y", ""])
def test_malformed_colours_and_unknown_keys_are_refused(value):
    with pytest.raises(ThemeError, match="is not a colour"):
        check_theme({"primary": value})
    with pytest.raises(ThemeError, match="unknown colour 'font'"):
        check_theme({"font": "#000000"})


def test_css_variables_ignore_values_that_bypassed_the_check():
    css = css_variables({"primary": "#fff;}body{display:none", "text": "#000000"})
    assert "display" not in css
    assert "--w-primary:#1d4ed8" in css and "--w-text:#000000" in css


def test_save_theme_stores_and_audits_or_leaves_the_city_unchanged(city):
    from sqlalchemy import select

    from backend.audit.models import AuditLogEntry

    save_theme(city, {"primary": "#7a1f3d"}, actor="test")
    db.session.commit()
    assert city.theme == {"primary": "#7a1f3d"}
    with pytest.raises(ThemeError):
        save_theme(city, {"primary": "#eeeeee"}, actor="test")
    db.session.rollback()
    assert city.theme == {"primary": "#7a1f3d"}
    actions = db.session.scalars(select(AuditLogEntry.action)).all()
    assert actions.count("save_theme") == 1
