"""``flask city allow-origin / disallow-origin / theme``."""

from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.extensions import db
from backend.organisations.models import PartnerCity
from backend.organisations.operations import create_city


def _city():
    create_city("halberstadt", "Halberstadt", 51.8958, 11.0467, actor="test")
    db.session.commit()


def origins():
    db.session.expire_all()
    return db.session.scalar(select(PartnerCity.allowed_origins))


def test_allow_and_disallow_origin(runner):
    _city()
    result = runner.invoke(
        args=["city", "allow-origin", "halberstadt", "HTTPS://www.Halberstadt.de/"]
    )
    assert result.exit_code == 0, result.output
    assert "https://www.halberstadt.de may now frame the widget" in result.output
    again = runner.invoke(
        args=["city", "allow-origin", "halberstadt", "https://www.halberstadt.de"]
    )
    assert again.exit_code == 0 and "already allowed" in again.output
    runner.invoke(args=["city", "allow-origin", "halberstadt", "http://127.0.0.1:5001"])
    assert origins() == ["https://www.halberstadt.de", "http://127.0.0.1:5001"]
    gone = runner.invoke(
        args=["city", "disallow-origin", "halberstadt", "https://www.halberstadt.de"]
    )
    assert gone.exit_code == 0 and "may no longer frame" in gone.output
    assert origins() == ["http://127.0.0.1:5001"]
    actions = db.session.scalars(select(AuditLogEntry.action)).all()
    assert actions.count("allow_origin") == 2 and actions.count("disallow_origin") == 1


def test_invalid_origins_and_unknown_cities_are_refused(runner):
    _city()
    for origin in ("https://www.halberstadt.de/notdienst", "https://*.halberstadt.de",
                   "www.halberstadt.de", "http://www.halberstadt.de"):  # fmt: skip
        result = runner.invoke(args=["city", "allow-origin", "halberstadt", origin])
        assert result.exit_code == 1, origin
    assert origins() == []
    missing = runner.invoke(args=["city", "allow-origin", "atlantis", "https://a.de"])
    assert missing.exit_code == 1 and "Unknown partner city 'atlantis'" in missing.output
    absent = runner.invoke(args=["city", "disallow-origin", "halberstadt", "https://a.de"])
    assert absent.exit_code == 1 and "is not an allowed origin" in absent.output


def test_theme_is_contrast_checked(runner):
    _city()
    refused = runner.invoke(args=["city", "theme", "halberstadt", "--primary", "#ffdd00"])
    assert refused.exit_code == 1 and "Theme refused" in refused.output
    assert "at least 4.5:1" in refused.output
    ok = runner.invoke(args=["city", "theme", "halberstadt", "--primary", "#7a1f3d"])
    assert ok.exit_code == 0 and "#7a1f3d" in ok.output
    db.session.expire_all()
    assert db.session.scalar(select(PartnerCity.theme)) == {"primary": "#7a1f3d"}
    reset = runner.invoke(args=["city", "theme", "halberstadt", "--reset"])
    assert reset.exit_code == 0 and "#1d4ed8" in reset.output
