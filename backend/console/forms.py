"""Forms of the console core: sign-in, second factor, passwords."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import InputRequired, Length

from backend.console.i18n import LazyText

REQUIRED = LazyText("Bitte ausfüllen.", "Please fill in.")


class LoginForm(FlaskForm):
    """E-mail address and password (first step)."""

    email = EmailField(LazyText("E-Mail-Adresse", "E-mail address"),
                       validators=[InputRequired(REQUIRED), Length(max=254)])  # fmt: skip
    password = PasswordField(LazyText("Passwort", "Password"),
                             validators=[InputRequired(REQUIRED), Length(max=128)])  # fmt: skip


class CodeForm(FlaskForm):
    """A six-digit TOTP code or a recovery code (second step, enrolment)."""

    code = StringField(LazyText("Code", "Code"),
                       validators=[InputRequired(REQUIRED), Length(max=32)])  # fmt: skip


class PasswordChangeForm(FlaskForm):
    """The current and a new password, twice."""

    current = PasswordField(LazyText("Bisheriges Passwort", "Current password"),
                            validators=[InputRequired(REQUIRED), Length(max=128)])  # fmt: skip
    new = PasswordField(LazyText("Neues Passwort", "New password"),
                        validators=[InputRequired(REQUIRED)])  # fmt: skip
    repeat = PasswordField(LazyText("Neues Passwort wiederholen", "Repeat the new password"),
                           validators=[InputRequired(REQUIRED)])  # fmt: skip


class ConfirmForm(FlaskForm):
    """A button that changes something (CSRF token only)."""


class ResetRequestForm(FlaskForm):
    """The e-mail address of a forgotten password."""

    email = EmailField(LazyText("E-Mail-Adresse", "E-mail address"),
                       validators=[InputRequired(REQUIRED), Length(max=254)])  # fmt: skip


class NewPasswordForm(FlaskForm):
    """A new password, twice (reset and invitation links)."""

    new = PasswordField(LazyText("Neues Passwort", "New password"),
                        validators=[InputRequired(REQUIRED)])  # fmt: skip
    repeat = PasswordField(LazyText("Neues Passwort wiederholen", "Repeat the new password"),
                           validators=[InputRequired(REQUIRED)])  # fmt: skip
