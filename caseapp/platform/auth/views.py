"""Login, logout, two-factor authentication, password change, API tokens and the language switch."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from caseapp import audit
from caseapp.extensions import db, limiter
from caseapp.http import local_path
from caseapp.models.base import utcnow
from caseapp.models.users import ApiToken
from caseapp.platform.auth import bp
from caseapp.platform.auth.forms import LoginForm, PasswordChangeForm, TokenForm, TwoFactorForm, TwoFactorSetupForm
from caseapp.security import two_factor as tf
from caseapp.security.accounts import authenticate, change_password, second_factor_failed, second_factor_passed
from caseapp.security.passwords import password_problem, verify_password
from caseapp.security.sessions import end_session, start_session
from caseapp.security.tokens import issue_token, revoke_token
from caseapp.web import keep_changes


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(form.email.data, form.password.data, request.remote_addr)
        if result.user is None:
            # One answer for every refusal (wrong password, unknown address, locked, deactivated):
            # the form must not tell which addresses are staff accounts.
            form.form_errors.append(_("The e-mail or password is wrong."))
            form.password.data = ""
            keep_changes()
            return render_template("auth/login.html", form=form), 401
        user = result.user
        lang = session.get("lang")
        session.clear()  # a new session: nothing from before the login carries over
        if lang:
            session["lang"] = lang
        start_session(user)
        login_user(user)
        audit.record("login", object_type="user", object_id=user.id, actor=user)
        if result.locked_at is not None:
            flash(
                _(
                    "Your account was locked on %(when)s after too many failed attempts. "
                    "If that was not you, tell an administrator.",
                    when=format_datetime(result.locked_at),
                ),
                "warning",
            )
        if user.totp_enabled_at is not None:
            return redirect(url_for("auth.two_factor"))
        if tf.requires_two_factor(user):
            return redirect(url_for("auth.two_factor_setup"))
        return redirect(url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    user_session = g.get("user_session")
    if user_session is not None:
        end_session(user_session, "logout")
    audit.record("logout", object_type="user", object_id=current_user.id)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/login/2fa", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def two_factor():
    user_session = g.user_session
    if current_user.totp_enabled_at is None:
        return redirect(url_for("auth.two_factor_setup"))
    if user_session.two_factor_at is not None:
        return redirect(url_for("main.index"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        code = form.code.data.strip()
        if tf.verify_code(tf.open_secret(current_user), code):
            method = "totp"
        elif tf.use_recovery_code(current_user, code):
            method = "recovery_code"
        elif second_factor_failed(current_user):
            logout_user()
            session.clear()
            flash(
                _(
                    "Too many wrong codes: the account is locked for %(minutes)d minutes.",
                    minutes=current_app.config["LOGIN_LOCK"].seconds // 60,
                ),
                "error",
            )
            return redirect(url_for("auth.login"))
        else:
            form.code.errors.append(_("The code is not valid. Check the time on your phone and try again."))
            keep_changes()
            return render_template("auth/two_factor.html", form=form), 401
        second_factor_passed(current_user)
        user_session.two_factor_at = utcnow()
        audit.record("login.2fa", object_type="user", object_id=current_user.id, detail={"method": method})
        return redirect(url_for("main.index"))
    return render_template("auth/two_factor.html", form=form)


@bp.route("/account/2fa/setup", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    """Enrol: a new secret shown as a QR code, confirmed by a first code; then recovery codes once."""
    if current_user.totp_enabled_at is not None:
        return redirect(url_for("main.index"))
    form = TwoFactorSetupForm()
    secret = session.get("pending_totp") or tf.new_secret()
    session["pending_totp"] = secret
    if form.validate_on_submit():
        if tf.verify_code(secret, form.code.data):
            codes = tf.enable(current_user, secret)
            g.user_session.two_factor_at = utcnow()
            session.pop("pending_totp", None)
            audit.record("user.2fa_enable", object_type="user", object_id=current_user.id)
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append(_("The code is not valid. Scan the QR code again and enter the newest code."))
    qr = tf.provisioning_qr_svg(current_user, secret)
    return render_template("auth/two_factor_setup.html", form=form, qr=qr, secret=secret)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        problem = password_problem(form.new.data)
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        elif problem:
            form.new.errors.append(problem)
        else:
            change_password(current_user, form.new.data)
            # Every session ended, this one too: log in again with the new password.
            logout_user()
            session.clear()
            flash(_("Your password is changed. Log in with the new password."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/password.html", form=form)


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    new_secret = None
    if form.validate_on_submit():
        _token, new_secret = issue_token(current_user, form.name.data, form.days.data)
        form = TokenForm(formdata=None)
    rows = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("auth/tokens.html", form=form, tokens=rows, new_secret=new_secret, now=utcnow())


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    revoke_token(token, current_user)
    flash(_("The token is revoked."), "success")
    return redirect(url_for("auth.tokens"))


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.language = lang
    return redirect(local_path(request.form.get("next")) or url_for("main.index"))
