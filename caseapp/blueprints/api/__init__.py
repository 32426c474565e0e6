"""The JSON API under /api/v1: bearer tokens only; each domain registers its routes on `bp`."""

from flask import Blueprint, g
from flask_login import current_user

from caseapp.errors import ApiError
from caseapp.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies are honoured here, so there is no cross-site request to forge


@bp.before_request
def _authenticate():
    from flask import request

    if request.endpoint == "api.openapi":
        return None
    if not current_user.is_authenticated or not g.get("token_auth"):
        raise ApiError(401, "A valid bearer token is required (Authorization: Bearer <token>)")
    return None


from caseapp.blueprints.api import docs  # noqa: E402,F401
