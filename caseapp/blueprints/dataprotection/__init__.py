"""Data protection: consent, subject access, erasure, retention, records of processing."""

from flask import Blueprint

bp = Blueprint("dataprotection", __name__, url_prefix="/data-protection", template_folder="templates",
               static_folder="static", static_url_path="/static")

from caseapp.blueprints.dataprotection import api, views  # noqa: E402,F401
