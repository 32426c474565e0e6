"""The JSON API shell under /api/v1: bearer tokens only, the OpenAPI document, and each domain's
API blueprint nested under it (endpoint namespace `api.<domain>`), so two domains may share a name."""

from flask import Blueprint, g, request
from flask_login import current_user

from caseapp.errors import ApiError
from caseapp.extensions import csrf


def _authenticate():
    if request.endpoint == "api.openapi":
        return None
    if not current_user.is_authenticated or not g.get("token_auth"):
        raise ApiError(401, "A valid bearer token is required (Authorization: Bearer <token>)")
    return None


def make_blueprint(parts) -> Blueprint:
    """A fresh /api/v1 blueprint for one app, with every part's API blueprint nested in it."""
    from caseapp.platform.api.docs import openapi

    bp = Blueprint("api", __name__, url_prefix="/api/v1")
    bp.before_request(_authenticate)
    bp.add_url_rule("/openapi.json", "openapi", openapi)
    csrf.exempt(bp)  # no cookies are honoured here, so there is no cross-site request to forge
    for part in parts:
        if part.api is not None:
            csrf.exempt(part.api)
            bp.register_blueprint(part.api)
    return bp
