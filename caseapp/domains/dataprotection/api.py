"""JSON routes of data protection under /api/v1: consents, subject access, erasure, records of processing,
emergency access. The same forms validate input and the same verbs change data as on the pages."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from caseapp.crypto.fields import require_readable
from caseapp.domains.dataprotection import api_bp as api
from caseapp.domains.dataprotection import consents, emergency, erasures, processing, subject_access
from caseapp.domains.dataprotection.forms import BreakGlassForm, ConsentForm, ErasureForm, ReviewForm, WithdrawForm
from caseapp.domains.dataprotection.models import BreakGlassGrant
from caseapp.errors import ApiError
from caseapp.extensions import db
from caseapp.models.base import parse_uuid
from caseapp.platform.api.helpers import doc, json_body, paged, run_verb, validate_form
from caseapp.privacy.consent import Consent
from caseapp.register.services import get_visible_person
from caseapp.security.permissions import Permission, require

P = Permission


def _iso(value):
    return value.isoformat() if value is not None else None


def consent_json(c: Consent) -> dict:
    return {
        "id": str(c.id),
        "version": c.version,
        "person_id": str(c.person_id),
        "purpose": c.purpose,
        "status": c.status,
        "given_by": c.given_by,
        "giver_name": c.giver_name,
        "method": c.method,
        "witness": c.witness,
        "given_on": _iso(c.given_on),
        "expires_on": _iso(c.expires_on),
        "withdrawn_at": _iso(c.withdrawn_at),
        "withdrawal_reason": c.withdrawal_reason,
    }


def grant_json(g: BreakGlassGrant) -> dict:
    return {
        "id": str(g.id),
        "user_id": g.user_id,
        "person_id": str(g.person_id),
        "reason": g.reason,
        "granted_at": _iso(g.granted_at),
        "expires_at": _iso(g.expires_at),
        "ended_at": _iso(g.ended_at),
        "active": g.is_active(),
        "reviewed_at": _iso(g.reviewed_at),
        "review_outcome": g.review_outcome,
    }


def _person(person_id):
    person = get_visible_person(person_id, current_user)
    if person is None:
        raise ApiError(404, "Not found")
    return require_readable(person)


@api.route("/people/<person_id>/consents")
@require(P.PEOPLE_READ)
@doc("The person's consents, newest first", responses={"200": "A list of consents"})
def list_consents(person_id):
    from caseapp import audit

    person = _person(person_id)
    rows = consents.consents_of(person.id)
    audit.record("consent.list", object_type="consent", subject_id=person.id, detail={"count": len(rows)})
    return {"items": [consent_json(c) for c in rows]}


@api.route("/people/<person_id>/consents", methods=["POST"])
@require(P.CONSENT_EDIT)
@doc(
    "Register a consent (leaders; social workers for people assigned to them)",
    form=ConsentForm,
    responses={"201": "The consent"},
)
def create_consent(person_id):
    person = _person(person_id)
    if not consents.can_edit_consents(current_user, person):
        raise ApiError(403, "You may register consents only for people assigned to you")
    form = validate_form(ConsentForm, json_body())
    consent = run_verb(lambda: consents.record_consent(person, form.consent_data(), current_user), "consent")
    return consent_json(consent), 201


@api.route("/consents/<consent_id>/withdraw", methods=["POST"])
@require(P.CONSENT_EDIT)
@doc(
    "Withdraw a consent at once; every share and processing resting on it ends",
    form=WithdrawForm,
    responses={"200": "The consent, and how many shares or processings ended"},
)
def withdraw_consent(consent_id):
    consent_uuid = parse_uuid(consent_id)
    consent = db.session.get(Consent, consent_uuid) if consent_uuid else None
    if consent is None:
        raise ApiError(404, "Not found")
    person = _person(consent.person_id)
    if not consents.can_edit_consents(current_user, person):
        raise ApiError(403, "You may withdraw consents only for people assigned to you")
    data = json_body()
    if not isinstance(data.get("version"), int):
        raise ApiError(422, "Some fields are not valid", {"version": "the version you read (an integer)"})
    form = validate_form(WithdrawForm, data)
    ended = run_verb(
        lambda: consents.withdraw_consent(consent, form.reason.data, data["version"], current_user), "consent"
    )
    return {**consent_json(consent), "ended": ended}


@api.route("/people/<person_id>/access-export")
@require(P.DATA_PROTECTION)
@doc(
    "Subject access (GDPR art. 15): everything held about the person in every domain, their consents and "
    "shares, and the dates and purposes of each use of their data (no staff names)",
    responses={"200": "The export"},
)
def access_export(person_id):
    person = _person(person_id)
    export = subject_access.access_export(person.id, current_user, "api")
    return export


@api.route("/people/<person_id>/erasure", methods=["POST"])
@require(P.DATA_PROTECTION)
@doc(
    "Erase the person (GDPR art. 17); 422 with the reasons when a legal duty forbids it",
    form=ErasureForm,
    responses={"201": "The erasure record"},
)
def erase(person_id):
    person = _person(person_id)
    form = validate_form(ErasureForm, json_body())
    record = erasures.erase_person(person.id, form.ground.data, form.reason.data, current_user)
    return {
        "id": str(record.id),
        "subject_id": str(record.subject_id),
        "ground": record.ground,
        "erased_at": _iso(record.erased_at),
        "keys_retired": record.keys_retired_at is not None,
    }, 201


@api.route("/data-protection/processing")
@require(P.DATA_PROTECTION)
@doc("Records of processing (GDPR art. 30), generated from the models and configuration")
def processing_records():
    from caseapp import audit

    audit.record("processing.view", object_type="records_of_processing", detail={"format": "api"})
    return processing.processing_document()


@api.route("/break-glass", methods=["POST"])
@require(P.BREAK_GLASS)
@doc(
    "Open emergency access to a person outside your caseload (by CPR or id), for a short time; audited "
    "and reviewed by leaders",
    form=BreakGlassForm,
    responses={"201": "The grant"},
)
def break_glass():
    form = validate_form(BreakGlassForm, json_body())
    grant = emergency.grant_break_glass(
        current_user,
        reason=form.reason.data,
        minutes=form.minutes.data,
        cpr=form.cpr.data,
        person_id=form.person_id.data,
    )
    return grant_json(grant), 201


@api.route("/break-glass")
@require(P.DATA_PROTECTION)
@doc("Emergency accesses for review (leaders); ?pending=1 for those not yet reviewed", responses={"200": "A page"})
def list_grants():
    from caseapp import audit

    pending = request.args.get("pending") == "1"
    body = paged(emergency.grants_query(pending=pending), grant_json)
    audit.record("breakglass.list", object_type="break_glass_grant", detail={"page": body["page"], "api": True})
    return body


@api.route("/break-glass/<grant_id>/review", methods=["POST"])
@require(P.DATA_PROTECTION)
@doc("Mark an emergency access reviewed", form=ReviewForm, responses={"200": "The grant"})
def review_grant(grant_id):
    grant_uuid = parse_uuid(grant_id)
    grant = db.session.get(BreakGlassGrant, grant_uuid) if grant_uuid else None
    if grant is None:
        raise ApiError(404, "Not found")
    form = validate_form(ReviewForm, json_body())
    emergency.review_grant(grant, form.outcome.data, current_user)
    return grant_json(grant)
