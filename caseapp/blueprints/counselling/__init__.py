"""Parent counselling (forældrerådgivning): family cases, sessions, attendance, referrals."""

from flask import Blueprint

bp = Blueprint("counselling", __name__, url_prefix="/counselling", template_folder="templates")

from caseapp.blueprints.counselling import api, views  # noqa: E402,F401
