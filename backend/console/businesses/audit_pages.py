"""Console pages of the audit log: per business and per person, filtered, exportable as CSV."""

from __future__ import annotations

import io
from datetime import date

from flask import Response, abort, render_template, request

from backend.audit.queries import AuditFilters, business_rows, person_rows, write_audit_csv
from backend.console.access import requires, staff
from backend.console.blueprint import console_blueprint
from backend.console.businesses.fields import FIELDS, business_or_404
from backend.extensions import db
from backend.organisations.models import StaffUser

bp = console_blueprint("console_audit", __name__, url_prefix="/audit")


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _filters() -> AuditFilters:
    args = request.args
    return AuditFilters(
        field=args.get("field", "")[:64], action=args.get("action", "")[:64],
        actor=args.get("actor", "").strip()[:254], since=_date("since"), until=_date("until"),
    )  # fmt: skip


def _render(rows, *, title: str, filename: str, business_id: int | None = None):
    """The rows as a page, or as CSV with ``?format=csv`` (``&excel=1`` for Excel)."""
    if request.args.get("format") == "csv":
        out = io.StringIO()
        write_audit_csv(rows, out, excel=request.args.get("excel") == "1")
        return Response(
            out.getvalue().encode("utf-8"), mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
        )  # fmt: skip
    args = {key: value for key, value in request.args.items() if value}
    csv_args = {**request.view_args, **args, "format": "csv"}
    return render_template(
        "console/businesses/audit.html",
        rows=rows, title=title, business_id=business_id, filters=_filters(), fields=FIELDS,
        csv_args=csv_args, excel_args={**csv_args, "excel": "1"},
    )  # fmt: skip


@bp.get("/businesses/<int:business_id>")
@requires()
def business(business_id: int):
    """Every change of one business, field by field (readable by whoever may see it)."""
    found, _ = business_or_404(business_id, write=False)
    rows = business_rows(business_id, _filters(), None if _wants_csv() else 500)
    return _render(rows, title=found.name, filename=f"audit-business-{business_id}",
                   business_id=business_id)  # fmt: skip


def _wants_csv() -> bool:
    return request.args.get("format") == "csv"


def _may_see_person(person: StaffUser) -> bool:
    """Admins see everybody; guild staff their own guild's people; everyone themselves."""
    user = staff()
    if user.role == "admin" or user.id == person.id:
        return True
    return (
        user.role == "guild_staff"
        and user.guild_id is not None
        and (user.guild_id == person.guild_id)
    )


@bp.get("/people/<int:staff_id>")
@requires()
def person(staff_id: int):
    """Every change one person made, field by field."""
    found = db.session.get(StaffUser, staff_id)
    if found is None:
        abort(404)
    if not _may_see_person(found):
        abort(403)
    rows = person_rows(staff_id, _filters(), None if _wants_csv() else 500)
    return _render(rows, title=found.display_name, filename=f"audit-person-{staff_id}")
