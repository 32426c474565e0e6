"""JSON routes for concerns under /api/v1: the same verbs, forms and access rules as the pages."""

from __future__ import annotations

from flask_login import current_user

from caseapp.crypto.fields import require_readable
from caseapp.domains.concerns import api_bp as api
from caseapp.domains.concerns import services
from caseapp.domains.concerns.forms import (
    ActionForm,
    AmendForm,
    AssessmentForm,
    ConcernForm,
    NotificationForm,
    ShareForm,
    TransitionForm,
)
from caseapp.domains.concerns.models import Concern
from caseapp.errors import ApiError
from caseapp.platform.api.helpers import body_version, doc, json_body, paged, run_verb, validate_form
from caseapp.security.permissions import Permission, require

P = Permission


def _iso(value):
    return value.isoformat() if value is not None else None


def _str(value):
    return str(value) if value is not None else None


def concern_json(concern: Concern, access: services.Access, *, brief: bool = False) -> dict:
    """Exactly the parts the access allows: a recipient gets identity and the shared parts, nothing else."""
    person = concern.person
    data: dict = {"id": str(concern.id)}
    if access.shows("identity"):
        data["person"] = {"name": person.full_name, "birth_date": person.birth_date}
        if access.level != services.RECIPIENT:
            data["person"]["id"] = str(person.id)
    if access.shows("cpr"):
        data["person"]["cpr"] = person.cpr
    if access.shows("state"):
        data.update(
            version=concern.version,
            state=concern.state,
            state_changed_at=_iso(concern.state_changed_at),
            outcome=concern.outcome,
            filed_at=_iso(concern.created_at),
        )
    if access.shows("category_severity"):
        data.update(category=concern.category, severity=concern.severity)
    if access.shows("filing"):
        data.update(
            observed_on=_iso(concern.observed_on),
            area=concern.area,
            source=concern.source,
            child_knows=concern.child_knows,
            parents_know=concern.parents_know,
        )
        if access.full:
            data["filed_by"] = {"id": concern.filed_by_id, "name": concern.filed_by.name if concern.filed_by else None}
    if access.shows("summary"):
        data["summary"] = concern.current("summary")
    if access.level == services.RECIPIENT:
        data["shares"] = [share_json(s, recipient=True) for s in access.shares]
    if brief:
        return data
    if access.shows("description"):
        data["description"] = concern.current("description")
    if access.shows("originals"):
        data["original"] = {"summary": concern.summary, "description": concern.description}
        data["amendments"] = [amendment_json(a) for a in concern.amendments if a.field != "note"]
    if access.shows("involved"):
        data["involved"] = [{"id": str(i.person_id), "name": i.person.full_name} for i in concern.involved]
    if access.shows("notification"):
        data["notification"] = notification_json(concern.notification)
    if access.shows("actions"):
        data["actions"] = [action_json(a) for a in concern.actions]
    return data


def amendment_json(a) -> dict:
    return {
        "id": str(a.id),
        "field": a.field,
        "transition_id": _str(a.transition_id),
        "text": a.text,
        "at": _iso(a.at),
        "author": a.author.name if a.author else None,
    }


def notification_json(n) -> dict | None:
    if n is None:
        return None
    return {
        "status": n.status,
        "overdue": n.overdue,
        "duty_holder": {"id": n.duty_holder_id, "name": n.duty_holder.name if n.duty_holder else None},
        "flagged_at": _iso(n.flagged_at),
        "due_on": _iso(n.due_on),
        "sent_at": _iso(n.sent_at),
        "acknowledge_due_on": _iso(n.acknowledge_due_on),
        "acknowledged_at": _iso(n.acknowledged_at),
    }


def action_json(a) -> dict:
    return {
        "id": str(a.id),
        "version": a.version,
        "text": a.text,
        "owner": {"id": a.owner_id, "name": a.owner.name if a.owner else None},
        "due_on": _iso(a.due_on),
        "done_at": _iso(a.done_at),
        "overdue": a.overdue,
    }


def share_json(s, *, recipient: bool = False) -> dict:
    data = {
        "id": str(s.id),
        "legal_basis": s.legal_basis,
        "purpose": s.purpose,
        "parts": sorted(s.parts),
        "shared_at": _iso(s.shared_at),
        "shared_by": s.shared_by.name if s.shared_by else None,
        "expires_on": _iso(s.expires_on),
    }
    if not recipient:
        data.update(
            recipient=s.recipient,
            status=s.status,
            consent_purpose=s.consent_purpose,
            ended_at=_iso(s.ended_at),
            end_reason=s.end_reason,
        )
    return data


def transition_json(step, amended) -> dict:
    return {
        "id": str(step.id),
        "from": step.from_state,
        "to": step.to_state,
        "outcome": step.outcome,
        "note": amended[-1].text if amended else step.note,
        "original_note": step.note,
        "amendments": [amendment_json(a) for a in amended],
        "at": _iso(step.at),
        "actor": step.actor.name if step.actor else None,
    }


# Plumbing --------------------------------------------------------------------------------------------


def _found(concern_id) -> tuple[Concern, services.Access]:
    found = services.get_concern(concern_id, current_user)
    if found is None:
        raise ApiError(404, "Not found")
    require_readable(found[0])
    return found


def _part(concern_id, part: str) -> tuple[Concern, services.Access]:
    """A sub-resource is as visible as the part it shows: otherwise 404, as if it did not exist."""
    concern, access = _found(concern_id)
    if not access.shows(part):
        raise ApiError(404, "Not found")
    return concern, access


def _run(verb):
    return run_verb(verb, "concern")


def _read(concern, access, body):
    services.audit_read(concern, access)
    return body


PAGE_PARAMS = [
    {"name": n, "in": "query", "schema": {"type": t}}
    for n, t in (
        ("page", "integer"),
        ("per_page", "integer"),
        ("state", "string"),
        ("severity", "string"),
        ("notification", "string"),
    )
]


# Routes ----------------------------------------------------------------------------------------------


@api.get("/concerns")
@require(P.CONCERNS_READ)
@doc(
    "Concerns visible to you, newest first: SSP and leaders all, filers their own, police those shared "
    "with police (shared parts only)",
    params=PAGE_PARAMS,
)
def concerns_list():
    from flask import request

    query = services.list_query(
        current_user,
        state=request.args.get("state"),
        severity=request.args.get("severity"),
        overdue=request.args.get("notification") == "overdue",
    )
    body = paged(query, lambda c: c)
    rows = services.audit_list(current_user, body["items"], body["page"])
    body["items"] = [concern_json(c, a, brief=True) for c, a in rows]
    return body


@api.post("/concerns")
@require(P.CONCERNS_FILE)
@doc("File a concern", form=ConcernForm, responses={"201": "Filed: id and version"})
def concerns_create():
    form = validate_form(ConcernForm, json_body())
    concern = _run(lambda: services.file_concern(form.concern_data(), current_user))
    return {"id": str(concern.id), "version": concern.version}, 201


@api.get("/concerns/<uuid:concern_id>")
@require(P.CONCERNS_READ)
@doc("One concern, in the parts you may see (audited; a police liaison's read names the shares)")
def concerns_get(concern_id):
    concern, access = _found(concern_id)
    return _read(concern, access, concern_json(concern, access))


@api.patch("/concerns/<uuid:concern_id>")
@require(P.CONCERNS_TRIAGE)
@doc(
    "Reassess a concern (SSP). The filed summary and description are never changed: 422; amend them",
    form=AssessmentForm,
)
def concerns_update(concern_id):
    concern, access = _found(concern_id)
    data = json_body()
    version = body_version(data)
    rewrites = {k: data[k] for k in services.WRITTEN_ONCE if k in data}
    if rewrites:
        _run(lambda: services.update_concern(concern, rewrites, version, current_user))
    current = {k: getattr(concern, k) for k in services.EDITABLE}
    current["observed_on"] = _iso(current["observed_on"])
    merged = {**current, **{k: data[k] for k in services.EDITABLE if k in data}}
    form = validate_form(AssessmentForm, merged)
    fields = {k: form[k].data for k in services.EDITABLE if k in data}
    _run(lambda: services.update_concern(concern, fields, version, current_user))
    concern, access = _found(concern_id)
    return concern_json(concern, access)


@api.get("/concerns/<uuid:concern_id>/transitions")
@require(P.CONCERNS_READ)
@doc("The triage history of a concern (SSP and leaders)")
def concerns_transitions(concern_id):
    concern, access = _part(concern_id, "history")
    items = [transition_json(t, amended) for t, amended in services.transition_notes(concern)]
    return _read(concern, access, {"items": items, "state": concern.state, "version": concern.version})


@api.post("/concerns/<uuid:concern_id>/transitions")
@require(P.CONCERNS_TRIAGE)
@doc(
    "Move a concern one step (new → in_triage → in_ssp → action_agreed → closed, with a note; closing "
    "needs an outcome). An impossible step is 422 with a message naming the possible ones.",
    form=TransitionForm,
    responses={"201": "The step, and the concern's new version"},
)
def concerns_transition(concern_id):
    concern, _access = _found(concern_id)
    data = json_body()
    version = body_version(data)
    form = validate_form(TransitionForm, data)
    step = _run(
        lambda: services.transition(
            concern, form.to_state.data, form.note.data, current_user, version, form.outcome.data or None
        )
    )
    return {**transition_json(step, []), "version": concern.version}, 201


@api.get("/concerns/<uuid:concern_id>/shares")
@require(P.CONCERNS_READ)
@doc("Every share of a concern (SSP and leaders)")
def concerns_shares(concern_id):
    concern, access = _part(concern_id, "shares")
    return _read(concern, access, {"items": [share_json(s) for s in concern.shares]})


@api.post("/concerns/<uuid:concern_id>/shares")
@require(P.CONCERNS_TRIAGE)
@doc(
    "Share parts of a concern with police, municipality or school on a legal basis until an expiry; "
    "refused (422) without a legal basis or on consent that is not active",
    form=ShareForm,
    responses={"201": "The share"},
)
def concerns_share(concern_id):
    concern, _access = _found(concern_id)
    form = validate_form(ShareForm, json_body())
    made = _run(lambda: services.share_concern(concern, actor=current_user, **form.share_data()))
    return share_json(made), 201


@api.post("/concerns/<uuid:concern_id>/shares/<uuid:share_id>/end")
@require(P.CONCERNS_TRIAGE)
@doc(
    "End a share now; the recipient loses access at once",
    body={"type": "object", "properties": {"reason": {"type": "string"}}},
)
def concerns_share_end(concern_id, share_id):
    concern, _access = _found(concern_id)
    found = services.get_share(concern, share_id)
    if found is None:
        raise ApiError(404, "Not found")
    data = json_body()
    reason = data.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ApiError(422, "Some fields are not valid", {"reason": "a string"})
    _run(lambda: services.end_share_by(found, current_user, reason))
    return share_json(found)


@api.get("/concerns/<uuid:concern_id>/actions")
@require(P.CONCERNS_READ)
@doc("The actions agreed on a concern (SSP, leaders, and a recipient when actions are shared)")
def concerns_actions(concern_id):
    concern, access = _part(concern_id, "actions")
    return _read(concern, access, {"items": [action_json(a) for a in concern.actions]})


@api.post("/concerns/<uuid:concern_id>/actions")
@require(P.CONCERNS_TRIAGE)
@doc("Add an action with an owner and a due date", form=ActionForm, responses={"201": "The action"})
def concerns_action_add(concern_id):
    concern, _access = _found(concern_id)
    form = validate_form(ActionForm, json_body())
    action = _run(
        lambda: services.add_action(concern, form.text.data, form.owner_id.data, form.due_on.data, current_user)
    )
    return action_json(action), 201


@api.patch("/concerns/<uuid:concern_id>/actions/<uuid:action_id>")
@require(P.CONCERNS_TRIAGE)
@doc(
    "Mark an action done",
    body={
        "type": "object",
        "required": ["done", "version"],
        "properties": {"done": {"type": "boolean", "enum": [True]}, "version": {"type": "integer"}},
    },
)
def concerns_action_done(concern_id, action_id):
    concern, _access = _found(concern_id)
    action = services.get_action(concern, action_id)
    if action is None:
        raise ApiError(404, "Not found")
    data = json_body()
    version = body_version(data)
    if data.get("done") is not True:
        raise ApiError(422, "Some fields are not valid", {"done": "send true to mark the action done"})
    _run(lambda: services.complete_action(action, version, current_user))
    return action_json(action)


@api.post("/concerns/<uuid:concern_id>/amendments")
@require(P.CONCERNS_FILE, P.CONCERNS_TRIAGE)
@doc(
    "Amend the summary, the description (filer or SSP) or a transition note (SSP); the original stays",
    form=AmendForm,
    responses={"201": "The amendment"},
)
def concerns_amend(concern_id):
    concern, access = _found(concern_id)
    if access.level == services.RECIPIENT:
        raise ApiError(404, "Not found")
    form = validate_form(AmendForm, json_body())
    amendment = _run(
        lambda: services.amend(concern, form.field.data, form.text.data, current_user, form.transition_id.data or None)
    )
    return amendment_json(amendment), 201


@api.post("/concerns/<uuid:concern_id>/notification")
@require(P.CONCERNS_FILE, P.CONCERNS_TRIAGE)
@doc(
    "Flag the duty to notify the municipality, naming the duty holder (the filer or an SSP staff member)",
    form=NotificationForm,
    responses={"201": "The notification"},
)
def concerns_notification_flag(concern_id):
    concern, access = _found(concern_id)
    if access.level == services.RECIPIENT:
        raise ApiError(404, "Not found")
    form = validate_form(NotificationForm, json_body())
    notification = _run(lambda: services.flag_notification(concern, form.duty_holder_id.data, current_user))
    return notification_json(notification), 201


@api.patch("/concerns/<uuid:concern_id>/notification")
@require(P.CONCERNS_FILE, P.CONCERNS_TRIAGE)
@doc(
    "Record that the notification was sent, or that the municipality acknowledged it",
    body={"type": "object", "properties": {"sent": {"type": "boolean"}, "acknowledged": {"type": "boolean"}}},
)
def concerns_notification_record(concern_id):
    concern, access = _found(concern_id)
    if access.level == services.RECIPIENT:
        raise ApiError(404, "Not found")
    data = json_body()
    if data.get("sent") is True:
        _run(lambda: services.record_notification_sent(concern, current_user))
    elif data.get("acknowledged") is True:
        _run(lambda: services.record_notification_acknowledged(concern, current_user))
    else:
        raise ApiError(422, "Send sent: true or acknowledged: true", {"sent": "true", "acknowledged": "true"})
    concern, _access = _found(concern_id)
    return notification_json(concern.notification)


@api.get("/concerns/chronology/<uuid:person_id>")
@require(P.CONCERNS_READ_ALL)
@doc("Everything across one young person's concerns, oldest first (SSP and leaders)")
def concerns_chronology(person_id):
    person = services.visible_person(person_id, current_user)
    if person is None:
        raise ApiError(404, "Not found")
    entries = services.chronology(person, current_user)
    items = [
        {
            "at": _iso(e.at),
            "concern_id": str(e.concern.id),
            "kind": e.kind,
            "text": e.text,
            "detail": {k: _iso(v) if hasattr(v, "isoformat") else v for k, v in (e.detail or {}).items()},
        }
        for e in entries
    ]
    return {"person_id": str(person.id), "items": items}
