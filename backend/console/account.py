"""The person's own account: first-run password and TOTP, recovery codes, sessions."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from backend.console.access import requires, setup_endpoint, staff
from backend.console.core import bp
from backend.console.forms import CodeForm, ConfirmForm, PasswordChangeForm
from backend.console.i18n import tr
from backend.console.signin import current_session, session_limits
from backend.extensions import db
from backend.organisations import accounts, mfa
from backend.organisations import sessions as records
from backend.organisations.passwords import verify_password


def signed_in(view: Callable) -> Callable:
    """Decorator for the first-run pages: signed in, set-up may still be pending."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        if staff() is None:
            return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    wrapper.console_roles = ()
    return wrapper


def _message(error: accounts.AccountError) -> str:
    return tr(error.de, error.en)


@bp.get("/account")
@requires()
def account() -> str:
    """The person's account: role, organisation, second factor, links."""
    return render_template("console/account.html", user=staff())


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password() -> Response | str:
    """Set a new password (required at the first sign-in)."""
    user = staff()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current.data):
            form.current.errors.append(
                tr("Das bisherige Passwort stimmt nicht.", "The current password is wrong.")
            )
        elif form.new.data != form.repeat.data:
            form.repeat.errors.append(
                tr("Die beiden Passwörter sind verschieden.", "The two passwords differ.")
            )
        else:
            try:
                accounts.set_password(user, form.new.data, actor=user.email)
            except accounts.AccountError as exc:
                db.session.rollback()
                form.new.errors.append(_message(exc))
            else:
                records.end_all_sessions(user, keep=current_session())
                db.session.commit()
                flash(tr("Das Passwort wurde geändert.", "The password has been changed."))
                return redirect(url_for(setup_endpoint(user) or "console.account"))
    return render_template("console/password.html", form=form, user=user)


@bp.route("/account/totp", methods=["GET", "POST"])
@signed_in
def enrol_totp() -> Response | str:
    """Set up the second factor: QR code and secret as text, then one code to confirm."""
    user = staff()
    if user.must_change_password:
        return redirect(url_for("console.change_password"))
    if user.totp_enabled:
        return redirect(url_for("console.account"))
    secret = accounts.start_totp_enrolment(user)
    db.session.commit()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = accounts.confirm_totp_enrolment(user, form.code.data, actor=user.email)
        except accounts.AccountError as exc:
            db.session.rollback()
            form.code.errors.append(_message(exc))
        else:
            db.session.commit()
            return render_template("console/recovery_codes.html", codes=codes)
    uri = mfa.provisioning_uri(secret, user.email)
    label = tr("QR-Code für die Authenticator-App", "QR code for the authenticator app")
    qr = mfa.qr_svg(uri, label)
    return render_template(
        "console/totp.html", form=form, qr=qr, secret=mfa.grouped_secret(secret), uri=uri
    )


@bp.post("/account/recovery-codes")
@requires()
def new_recovery_codes() -> Response | str:
    """Replace the recovery codes; the new ones are shown once."""
    user = staff()
    if not user.totp_enabled:
        return redirect(url_for("console.account"))
    codes = accounts.regenerate_recovery_codes(user, actor=user.email)
    db.session.commit()
    return render_template("console/recovery_codes.html", codes=codes)


@bp.get("/account/sessions")
@requires()
def sessions() -> str:
    """Where the person is signed in, with a button to end every other session."""
    user = staff()
    return render_template(
        "console/sessions.html",
        sessions=records.open_sessions(user, **session_limits()),
        current=current_session(),
        form=ConfirmForm(),
    )


@bp.post("/account/sessions/end-all")
@requires()
def end_all_sessions() -> Response:
    """End every session of the person except this one."""
    ended = records.end_all_sessions(staff(), keep=current_session())
    db.session.commit()
    flash(tr(f"{ended} andere Sitzung(en) beendet.", f"{ended} other session(s) ended."))
    return redirect(url_for("console.sessions"))
