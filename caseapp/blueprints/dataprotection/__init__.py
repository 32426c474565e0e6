"""Data protection: consent, subject access, erasure, retention, records of processing."""

from flask import Blueprint

bp = Blueprint("dataprotection", __name__, url_prefix="/data-protection", template_folder="templates")
