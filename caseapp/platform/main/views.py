"""The landing page and a liveness check."""

from flask import Response, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from caseapp import charts
from caseapp.extensions import db
from caseapp.navigation import landing_panels
from caseapp.platform.main import bp
from caseapp.security.roles import ROLE_LABELS


@bp.route("/")
@login_required
def index():
    panels = landing_panels(current_user)
    roles = [ROLE_LABELS[r] for r in sorted(current_user.roles)]
    return render_template("main/index.html", panels=panels, roles=roles)


@bp.route("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


@bp.route("/charts.css")
def chart_stylesheet():
    """The style every chart shares (caseapp/charts.py): served, because the policy forbids it inline."""
    response = Response(charts.stylesheet(), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
