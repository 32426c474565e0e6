"""Staff accounts: list, create, edit roles, deactivate, reset 2FA, list and revoke tokens."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from caseapp import audit
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.models.users import ApiToken, User
from caseapp.platform.admin import bp
from caseapp.platform.admin.forms import UserCreateForm, UserEditForm
from caseapp.security import accounts
from caseapp.security.accounts import AccountRefused, create_user, find_user, set_active, set_roles
from caseapp.security.passwords import password_problem
from caseapp.security.permissions import Permission, can, require
from caseapp.security.roles import ROLE_LABELS
from caseapp.security.tokens import revoke_token


@bp.before_request
@login_required
def _login_first():
    return None


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users")
@require(Permission.STAFF_MANAGE)
def users():
    page = db.paginate(select(User).order_by(User.name), per_page=25)
    audit.record("user.list", object_type="user", detail={"page": page.page})
    return render_template("admin/users.html", page=page, role_labels=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@require(Permission.STAFF_MANAGE)
def create():
    form = UserCreateForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data)
        if problem:
            form.password.errors.append(problem)
        elif find_user(form.email.data) is not None:
            form.email.errors.append(_("A staff account with this e-mail already exists."))
        else:
            try:
                user = create_user(
                    form.email.data, form.name.data, form.roles.data, form.password.data, actor=current_user
                )
            except AccountRefused as refused:
                form.roles.errors.append(refused.message)
                return render_template("admin/create.html", form=form), 422
            flash(_("The account is created."), "success")
            return redirect(url_for("admin.edit", user_id=user.id))
    return render_template("admin/create.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require(Permission.STAFF_MANAGE)
def edit(user_id: int):
    user = _user_or_404(user_id)
    form = UserEditForm(
        obj=None if request.method == "POST" else user,
        data=None if request.method == "POST" else {"roles": sorted(user.roles), "active": user.active},
    )
    status = 200
    if form.validate_on_submit():
        try:
            if set(form.roles.data) != set(user.roles):
                set_roles(user, form.roles.data, current_user)
            if form.active.data != user.active:
                set_active(user, form.active.data, current_user)
        except AccountRefused as refused:
            for name, message in refused.fields.items():
                form[name].errors.append(message)
            status = 422  # nothing is kept: the request rolls back
        else:
            flash(_("The account is saved."), "success")
            return redirect(url_for("admin.edit", user_id=user.id))
    elif request.method == "POST":
        status = 422
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ).all()
    audit.record("user.view", object_type="user", object_id=user.id)
    return render_template(
        "admin/edit.html", user=user, form=form, tokens=tokens, now=utcnow(), role_labels=ROLE_LABELS
    ), status


@bp.route("/users/<int:user_id>/reset-2fa", methods=["POST"])
@require(Permission.STAFF_MANAGE)
def reset_two_factor(user_id: int):
    user = _user_or_404(user_id)
    accounts.reset_two_factor(user, current_user)
    flash(_("Two-factor authentication is reset. The user sets it up again at the next login."), "success")
    return redirect(url_for("admin.edit", user_id=user.id))


@bp.route("/users/<int:user_id>/tokens/<int:token_id>/revoke", methods=["POST"])
@require(Permission.STAFF_MANAGE)
def revoke_user_token(user_id: int, token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        abort(404)
    revoke_token(token, current_user)
    flash(_("The token is revoked."), "success")
    return redirect(url_for("admin.edit", user_id=user_id))


def admin_panel(user):
    if not can(user, Permission.STAFF_MANAGE):
        return None
    active = db.session.scalar(select(func.count()).select_from(User).where(User.active.is_(True)))
    return render_template("admin/panel.html", active=active)
