"""Forgotten password: a link by e-mail; invitations use the same set-password page."""

from __future__ import annotations

from contextlib import suppress

from flask import current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from backend.console.core import bp
from backend.console.forms import NewPasswordForm, ResetRequestForm
from backend.console.i18n import tr
from backend.console.mails import send_reset_mail
from backend.extensions import db, limiter
from backend.mail.operations import MailError
from backend.organisations import accounts
from backend.organisations import sessions as records
from backend.organisations.links import user_for_token


def _reset_limit() -> str:
    return current_app.config["CONSOLE_RESET_LIMIT_PER_ADDRESS"]


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"], scope="console-reset")
def request_reset() -> str:
    """Ask for a reset link; the answer is the same whether the account exists or not."""
    form = ResetRequestForm()
    sent = False
    if form.validate_on_submit():
        user = accounts.find_by_email(form.email.data)
        if user is not None and user.active:
            # A failure is logged; the person sees the same answer either way.
            with suppress(MailError):
                send_reset_mail(user)
        sent = True
    return render_template("console/reset_request.html", form=form, sent=sent)


def _set_password_page(token: str, purpose: str) -> Response | str:
    user = user_for_token(token, purpose)
    if user is None:
        return render_template("console/link_invalid.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        if form.new.data != form.repeat.data:
            form.repeat.errors.append(
                tr("Die beiden Passwörter sind verschieden.", "The two passwords differ.")
            )
        else:
            try:
                accounts.set_password(user, form.new.data, actor=f"{user.email} ({purpose})")
            except accounts.AccountError as exc:
                db.session.rollback()
                form.new.errors.append(tr(exc.de, exc.en))
            else:
                records.end_all_sessions(user)
                db.session.commit()
                flash(tr("Das Passwort ist gesetzt. Bitte melden Sie sich an.",
                         "The password is set. Please sign in."))  # fmt: skip
                return redirect(url_for("console.login"))
    return render_template("console/set_password.html", form=form, user=user, purpose=purpose)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str:
    """Set a new password from the e-mailed link (works once, for a limited time)."""
    return _set_password_page(token, "reset")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> Response | str:
    """Set the first password of an invited account."""
    return _set_password_page(token, "invite")
