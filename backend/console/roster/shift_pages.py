"""Changing the plan: add, move and remove shifts, and apply a template for a period.

Each view reads its form, calls :mod:`backend.roster.planning` and commits once; an
operation's refusal is shown next to its field (422) and nothing is written.
"""

from __future__ import annotations

from datetime import UTC

from flask import flash, redirect, render_template, request

from backend.console.access import require_guild, requires
from backend.console.businesses.listing import chosen_guild, visible_guilds
from backend.console.i18n import tr
from backend.console.roster.choices import back_url, business_choices
from backend.console.roster.core import (
    EDITORS,
    actor_for,
    bp,
    guild_business,
    message,
    shift_or_404,
)
from backend.console.roster.forms import ShiftForm, SpanForm, TemplateForm, berlin, pick
from backend.console.roster.period import when
from backend.extensions import db
from backend.hours import BERLIN
from backend.roster.coverage import CoverageError
from backend.roster.planning import (
    PlanningError,
    add_shift,
    move_shift,
    remove_shift,
    template_spans,
)


def error_field(form, error: PlanningError):
    """The field an operation's refusal belongs next to: the time for an overlap,
    otherwise the business and trade (or the end, for a span that does not end later)."""
    if "already on duty" in error.en:
        return form.start
    if "must end after" in error.en:
        return form.end
    return form.who


def _guild_form(form_class):
    """The guild of the request (which the person must be able to change), the grant the
    access rests on, and the form: posted, or prefilled from the query arguments."""
    guild = chosen_guild(visible_guilds())
    grant = require_guild(guild, write=True)
    form = form_class(formdata=request.form if request.method == "POST" else request.args or None)
    form.who.choices = business_choices(guild)
    return guild, grant, form


@bp.route("/shifts/new", methods=["GET", "POST"])
@requires(*EDITORS)
def new_shift():
    """A new shift of a business of the guild (prefilled from ``?who=&start=&end=``)."""
    guild, grant, form = _guild_form(ShiftForm)
    if request.method == "POST" and form.validate():
        business_id, trade = pick(form.who.data)
        try:
            shift = add_shift(guild_business(business_id, guild.id), trade, berlin(form.start.data),
                              berlin(form.end.data), actor=actor_for(grant))  # fmt: skip
        except PlanningError as error:
            db.session.rollback()
            error_field(form, error).errors.append(message(error))
        else:
            db.session.commit()
            flash(tr(f"Schicht angelegt: {shift.business.name}, {when(shift.starts_at)} – "
                     f"{when(shift.ends_at)}.", f"Shift added: {shift.business.name}, "
                     f"{when(shift.starts_at)} – {when(shift.ends_at)}."))  # fmt: skip
            return redirect(back_url(guild))
    status = 422 if request.method == "POST" else 200
    return render_template("console/roster/shift.html", form=form, guild=guild, shift=None,
                           back=back_url(guild)), status  # fmt: skip


@bp.route("/shifts/<int:shift_id>", methods=["GET", "POST"])
@requires(*EDITORS)
def edit_shift(shift_id: int):
    """Move a shift: a new start and end (same business and trade)."""
    shift, grant = shift_or_404(shift_id)
    guild = shift.business.guild
    form = SpanForm()
    if request.method == "GET":
        form.start.data = shift.starts_at.astimezone(BERLIN).replace(tzinfo=None)
        form.end.data = shift.ends_at.astimezone(BERLIN).replace(tzinfo=None)
    elif form.validate():
        try:
            move_shift(shift, berlin(form.start.data), berlin(form.end.data),
                       actor=actor_for(grant))  # fmt: skip
        except PlanningError as error:
            db.session.rollback()
            shift, _ = shift_or_404(shift_id)
            (form.start if "already on duty" in error.en else form.end).errors.append(
                message(error)
            )
        else:
            db.session.commit()
            flash(tr("Schicht verschoben.", "Shift moved."))
            return redirect(back_url(guild))
    status = 422 if request.method == "POST" else 200
    return render_template("console/roster/shift.html", form=form, guild=guild, shift=shift,
                           back=back_url(guild)), status  # fmt: skip


def seen_mark(shift) -> str:
    """What the remove button of a shift posts: its span as the page showed it."""
    return (
        f"{shift.starts_at.astimezone(UTC):%Y%m%d%H%M}-{shift.ends_at.astimezone(UTC):%Y%m%d%H%M}"
    )


@bp.post("/shifts/<int:shift_id>/remove", endpoint="remove_shift")
@requires(*EDITORS)
def remove(shift_id: int):
    """Take a shift out of the plan."""
    shift, grant = shift_or_404(shift_id)
    guild = shift.business.guild
    if request.form.get("seen") != seen_mark(shift):
        # Moved by someone else since the page was drawn: the person decides again.
        flash(tr("Die Schicht wurde inzwischen geändert; bitte prüfen und erneut entfernen.",
                 "The shift was changed meanwhile; please check and remove it again."))  # fmt: skip
        return redirect(back_url(guild))
    name, start = shift.business.name, when(shift.starts_at)
    remove_shift(shift, actor=actor_for(grant))
    db.session.commit()
    flash(tr(f"Schicht entfernt: {name}, {start}.", f"Shift removed: {name}, {start}."))
    return redirect(back_url(guild))


@bp.route("/templates", methods=["GET", "POST"])
@requires(*EDITORS)
def templates():
    """Shifts for every span of a template (weekends, holidays, nights) in a period."""
    guild, grant, form = _guild_form(TemplateForm)
    spans, status = [], 200
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                spans = template_spans(form.template.data, form.first_day.data,
                                       form.last_day.data, form.land.data)  # fmt: skip
            except (PlanningError, CoverageError):
                form.last_day.errors.append(
                    tr(
                        "Der Zeitraum ist zu lang (höchstens 367 Tage).",
                        "The period is too long (367 days at most).",
                    )
                )
            else:
                status = 200
        if spans and request.form.get("action") == "apply":
            created = _apply(form, spans, guild, grant)
            if created is not None:
                flash(tr(f"{created} Schichten angelegt.", f"{created} shifts added."))
                return redirect(back_url(guild))
            status = 422
    return render_template("console/roster/template.html", form=form, guild=guild, spans=spans,
                           when=when, back=back_url(guild)), status  # fmt: skip


def _apply(form: TemplateForm, spans, guild, grant) -> int | None:
    """Add a shift per span, all or none; None (and the reason on the form) if refused."""
    business_id, trade = pick(form.who.data)
    business = guild_business(business_id, guild.id)
    for start, end in spans:
        try:
            add_shift(business, trade, start, end, actor=actor_for(grant))
        except PlanningError as error:
            db.session.rollback()
            form.who.errors.append(f"{when(start)} – {when(end)}: {message(error)}")
            return None
    db.session.commit()
    return len(spans)
