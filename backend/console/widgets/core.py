"""The blueprint of the widget pages and the city they are about."""

from __future__ import annotations

from sqlalchemy import select

from backend.console.access import require_city
from backend.console.blueprint import console_blueprint
from backend.extensions import db
from backend.organisations.models import PartnerCity

# Serves /console/widgets/static/kit.js and kit.css.
bp = console_blueprint("console_widgets", __name__, url_prefix="/widgets", static_folder="static")
# The embed kit is for the people who edit a portal: admins and city editors.
KIT_ROLES = ("admin", "city_editor")


def city_or_404(slug: str, *, write: bool) -> PartnerCity:
    """The partner city with this slug (active or not), or 404.

    Aborts with 403 unless the signed-in user may change (``write``) or read its settings.
    """
    city = db.first_or_404(select(PartnerCity).where(PartnerCity.slug == slug))
    require_city(city, write=write)
    return city
