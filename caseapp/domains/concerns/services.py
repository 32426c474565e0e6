"""The verbs of the concerns domain: file, triage, act, share, notify, amend. They flush and audit;
the request commits once.

The HTML views and the JSON API both call these, so each rule is written once: who sees a concern
and which parts of it (`concerns_visible_to`, `access_for`), the state machine, the sharing rules
(legal basis, active consent, expiry), the duty to notify, and that filed texts are only amended.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app, has_request_context
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, and_, delete, exists, false, func, or_, select
from sqlalchemy.orm import selectinload

from caseapp import audit
from caseapp.domains.concerns import labels as L
from caseapp.domains.concerns.labels import EXPORT_NAMES
from caseapp.domains.concerns.models import (
    ACKNOWLEDGE_WITHIN_WEEKDAYS,
    CONSENT_PURPOSE_FOR,
    ELSEWHERE,
    PARTS,
    RECIPIENT_ROLES,
    SEVERITIES,
    STATES,
    TRANSITIONS,
    Concern,
    ConcernAction,
    ConcernAmendment,
    ConcernInvolved,
    ConcernNotification,
    ConcernShare,
    ConcernTransition,
    local_today,
)
from caseapp.errors import NotPermitted, Refused
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.models.users import User
from caseapp.platform.notifications import notify
from caseapp.privacy import ExpiredRecord, PersonalDataSource, retention_cutoff
from caseapp.privacy.consent import Consent, active_consent_clause, has_active_consent
from caseapp.privacy.tallies import add_tally
from caseapp.register.models import Person, get_visible_person
from caseapp.security.accounts import holds_any, staff_choices
from caseapp.security.permissions import Permission, can
from caseapp.workdays import add_working_days

P = Permission
MAX_TEXT = 10_000
# Staff who may own an agreed action.
ACTION_OWNER_ROLES = frozenset({"ssp", "leader", "social_worker", "mentor", "course_leader", "police"})
# Concern fields SSP may reassess; everything written at filing stays.
EDITABLE = ("observed_on", "area", "source", "category", "severity", "child_knows", "parents_know")
WRITTEN_ONCE = ("summary", "description")
FLAGS = ("child_knows", "parents_know")


# Who sees what ---------------------------------------------------------------------------------------

FULL, FILER, RECIPIENT = "full", "filer", "recipient"
# Sections of a concern beyond the shareable PARTS.
SECTIONS = frozenset({"identity", "state", "filing", "involved", "history", "shares", "notification", "originals"})
FILER_PARTS = frozenset(
    {
        "identity",
        "state",
        "filing",
        "summary",
        "category_severity",
        "description",
        "involved",
        "notification",
        "originals",
    }
)


@dataclass(frozen=True)
class Access:
    """How a user sees one concern: in full (SSP, leaders), as its filer, or as a share's recipient."""

    level: str
    parts: frozenset[str]
    shares: tuple[ConcernShare, ...] = ()

    def shows(self, part: str) -> bool:
        return part in self.parts

    @property
    def full(self) -> bool:
        return self.level == FULL


def _active_share_clause(today: date):
    """A share in force: not ended, not expired, and if it rests on consent, the consent is still active."""
    consent_active = exists(
        select(Consent.id).where(
            Consent.person_id == ConcernShare.person_id,
            Consent.purpose == ConcernShare.consent_purpose,
            active_consent_clause(today),
        )
    )
    return and_(
        ConcernShare.ended_at.is_(None),
        ConcernShare.expires_on >= today,
        or_(ConcernShare.legal_basis != "consent", consent_active),
    )


def active_shares_query(recipient: str) -> Select:
    return select(ConcernShare).where(ConcernShare.recipient == recipient, _active_share_clause(local_today()))


def concerns_visible_to(user) -> Select:
    """The one scoping query for concerns: lists and details both go through it."""
    query = select(Concern)
    if not can(user, P.CONCERNS_READ):
        return query.where(false())
    if can(user, P.CONCERNS_READ_ALL):
        return query
    conditions = []
    if can(user, P.CONCERNS_FILE):
        conditions.append(Concern.filed_by_id == user.id)
    for role in sorted(user.roles & RECIPIENT_ROLES):
        shared = active_shares_query(role).with_only_columns(ConcernShare.concern_id)
        conditions.append(Concern.id.in_(shared))
    return query.where(or_(*conditions)) if conditions else query.where(false())


def recipient_only(user) -> bool:
    """Users who see concerns only through shares (police): no filters that would reveal unshared parts."""
    return bool(user.roles & RECIPIENT_ROLES) and not can(user, P.CONCERNS_READ_ALL)


def access_for(user, concern: Concern) -> Access | None:
    if not can(user, P.CONCERNS_READ):
        return None
    if can(user, P.CONCERNS_READ_ALL):
        parts = SECTIONS | frozenset(PARTS)
        return Access(FULL, parts if can(user, P.CPR_READ) else parts - {"cpr"})
    if can(user, P.CONCERNS_FILE) and concern.filed_by_id == user.id:
        return Access(FILER, FILER_PARTS)
    roles = user.roles & RECIPIENT_ROLES
    if roles:
        shares = tuple(
            db.session.scalars(
                select(ConcernShare)
                .where(
                    ConcernShare.concern_id == concern.id,
                    ConcernShare.recipient.in_(roles),
                    _active_share_clause(local_today()),
                )
                .order_by(ConcernShare.shared_at)
            )
        )
        if shares:
            return Access(RECIPIENT, frozenset({"identity"}).union(*(s.parts for s in shares)), shares)
    return None


def get_concern(concern_id, user) -> tuple[Concern, Access] | None:
    """The concern and how the user sees it, or None (the caller answers 404)."""
    try:
        cid = concern_id if isinstance(concern_id, uuid.UUID) else uuid.UUID(str(concern_id))
    except ValueError:
        return None
    concern = db.session.scalar(concerns_visible_to(user).where(Concern.id == cid))
    access = access_for(user, concern) if concern is not None else None
    return (concern, access) if access is not None else None


def audit_read(concern: Concern, access: Access) -> None:
    """A recipient's read names the shares it rests on and the parts it showed."""
    if access.level == RECIPIENT:
        audit.record(
            "concern.shared_read",
            object_type="concern",
            object_id=concern.id,
            subject_id=concern.person_id,
            purpose="share",
            detail={"shares": sorted(str(s.id) for s in access.shares), "parts": sorted(access.parts & set(PARTS))},
        )
    else:
        audit.record(
            "concern.view",
            object_type="concern",
            object_id=concern.id,
            subject_id=concern.person_id,
            purpose="concerns",
            detail={"level": access.level},
        )


def list_query(user, *, state: str | None = None, severity: str | None = None, overdue: bool = False) -> Select:
    """Visible concerns, newest first; filters only where the user may see what they filter on."""
    query = concerns_visible_to(user).options(selectinload(Concern.person))
    if not recipient_only(user):
        if state in STATES:
            query = query.where(Concern.state == state)
        if severity in SEVERITIES:
            query = query.where(Concern.severity == severity)
        if overdue:
            query = query.where(
                Concern.id.in_(select(ConcernNotification.concern_id).where(overdue_clause(local_today())))
            )
    return query.order_by(Concern.created_at.desc(), Concern.id)


def audit_list(user, concerns: list[Concern], page: int) -> list[tuple[Concern, Access]]:
    """Each row with its access; a recipient's list is audited row by row, like a read."""
    rows = [(c, access_for(user, c)) for c in concerns]
    rows = [(c, a) for c, a in rows if a is not None]
    for concern, access in rows:
        if access.level == RECIPIENT:
            audit.record(
                "concern.shared_list",
                object_type="concern",
                object_id=concern.id,
                subject_id=concern.person_id,
                purpose="share",
                detail={"shares": sorted(str(s.id) for s in access.shares)},
            )
    if any(a.level != RECIPIENT for _, a in rows) or not rows:
        audit.record(
            "concern.list", object_type="concern", purpose="concerns", detail={"page": page, "count": len(rows)}
        )
    return rows


# Filing ----------------------------------------------------------------------------------------------


def _uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def visible_person(person_id, user) -> Person | None:
    return get_visible_person(person_id, user)


def area_choices() -> list[str]:
    return [*current_app.config["AREAS"], ELSEWHERE]


def file_concern(data: dict, actor) -> Concern:
    """File a concern about a person the filer may see, or about someone new to the register.

    `data`: person_id, or new_person {first_name, last_name, birth_date, area}; observed_on, area,
    source, category, severity, summary, description, involved_ids, child_knows, parents_know, notify.
    """
    if not can(actor, P.CONCERNS_FILE):
        raise NotPermitted(_l("Your role may not file concerns."))
    problems: dict = {}
    summary, description = data["summary"].strip(), data["description"].strip()
    person, new_person = None, data.get("new_person")
    if data.get("person_id"):
        person = visible_person(data["person_id"], actor)
        if person is None:
            problems["person_id"] = _l("Choose a resident from your list.")
    involved = []
    for raw in data.get("involved_ids") or ():
        other = visible_person(raw, actor)
        if other is None:
            problems["involved_ids"] = _l("Choose involved people from your list.")
        elif (person is None or other.id != person.id) and other not in involved:
            involved.append(other)
    if problems:
        raise Refused(_l("Some fields are not valid."), fields=problems)
    if person is None:
        person = _register_person(new_person, actor)
    concern = Concern(
        person_id=person.id,
        filed_by_id=actor.id,
        observed_on=data["observed_on"],
        area=data["area"],
        source=data["source"],
        category=data["category"],
        severity=data["severity"],
        summary=summary,
        description=description,
        child_knows=bool(data.get("child_knows")),
        parents_know=bool(data.get("parents_know")),
        state="new",
        state_changed_at=utcnow(),
    )
    concern.involved = [ConcernInvolved(person_id=p.id) for p in involved]
    if data.get("notify"):
        concern.notification = ConcernNotification(
            duty_holder_id=actor.id, flagged_by_id=actor.id, due_on=local_today()
        )
    db.session.add(concern)
    db.session.flush()
    audit.record(
        "concern.file",
        object_type="concern",
        object_id=concern.id,
        subject_id=person.id,
        purpose="concerns",
        actor=actor,
        detail={
            "fields": sorted(k for k in ("child_knows", "parents_know") if data.get(k)),
            "involved": len(involved),
            "notification": bool(data.get("notify")),
            "new_person": new_person is not None and not data.get("person_id"),
        },
    )
    return concern


def _register_person(data: dict, actor) -> Person:
    """Someone not yet in the register: the filer does not get access to the person by this."""
    from caseapp.register.services import PersonInput, build_person

    fields = {"first_name": data.get("first_name"), "last_name": data.get("last_name")}
    if data.get("area") in current_app.config["AREAS"]:
        fields["area"] = data["area"]
    if not (fields["first_name"] or fields["last_name"]):
        raise Refused(_l("Some fields are not valid."), fields={"new_first_name": _l("Enter the first name.")})
    person = build_person(PersonInput(**fields), actor.id)
    birth = data.get("birth_date")
    if isinstance(birth, date):
        person.birth_date, person.birth_year = birth.isoformat(), birth.year
    db.session.flush()
    audit.record(
        "person.create",
        object_type="person",
        object_id=person.id,
        subject_id=person.id,
        purpose="concerns",
        actor=actor,
        detail={"fields": sorted(k for k in fields if fields[k]), "via": "concern"},
    )
    return person


def _require(actor, permission: Permission) -> None:
    if not can(actor, permission):
        raise NotPermitted(_l("Your role may not do this."))


def update_concern(concern: Concern, data: dict, version, actor) -> list[str]:
    """SSP reassesses what was filed (category, severity, ...); the filed texts are never rewritten."""
    _require(actor, P.CONCERNS_TRIAGE)
    rewrites = [k for k in WRITTEN_ONCE if k in data]
    if rewrites:
        raise Refused(
            _l("What was filed cannot be changed. Add an amendment instead; the original stays."),
            fields={k: _l("Cannot be changed; add an amendment.") for k in rewrites},
        )
    concern.check_version(version)
    fields = {k: data[k] for k in EDITABLE if k in data}
    fields.update({k: bool(fields[k]) for k in FLAGS if k in fields})
    changed = [k for k, v in fields.items() if getattr(concern, k) != v]
    for name in changed:
        setattr(concern, name, fields[name])
    if changed:
        db.session.flush()  # the versioned UPDATE: a concurrent save raises StaleDataError here
        audit.record(
            "concern.update",
            object_type="concern",
            object_id=concern.id,
            subject_id=concern.person_id,
            purpose="concerns",
            actor=actor,
            detail={"fields": sorted(changed)},
        )
    return changed


# Triage ----------------------------------------------------------------------------------------------


def transition(
    concern: Concern, to_state: str, note: str | None, actor, version, outcome: str | None = None
) -> ConcernTransition:
    """Move the concern one step in its state machine, with a required note; anything else is refused."""
    concern.check_version(version)
    if to_state not in STATES:
        raise Refused(_l("Choose the next state."), fields={"to_state": _l("Choose the next state.")})
    roles = TRANSITIONS.get((concern.state, to_state))
    if roles is None:
        state = concern.state
        possible = LazyString(lambda: ", ".join(str(L.STATES[t]) for (f, t) in TRANSITIONS if f == state) or "–")
        message = _l(
            "A concern that is “%(state)s” cannot move to “%(to)s”. It can move to: %(next)s.",
            state=L.STATES[concern.state],
            to=L.STATES[to_state],
            next=possible,
        )
        raise Refused(message, fields={"to_state": message})
    if not actor.roles & roles:
        raise NotPermitted(_l("Your role may not move a concern to “%(to)s”.", to=L.STATES[to_state]))
    note = note.strip()
    if to_state == "action_agreed" and not any(a.done_at is None for a in concern.actions):
        message = _l("Add at least one action with an owner and a due date before marking “action agreed”.")
        raise Refused(message, fields={"to_state": message})
    step = ConcernTransition(
        concern_id=concern.id,
        person_id=concern.person_id,
        from_state=concern.state,
        to_state=to_state,
        outcome=outcome if to_state == "closed" else None,
        note=note,
        actor_id=actor.id,
        at=utcnow(),
    )
    concern.transitions.append(step)
    concern.state, concern.state_changed_at = to_state, step.at
    concern.outcome = step.outcome
    db.session.flush()
    audit.record(
        "concern.transition",
        object_type="concern",
        object_id=concern.id,
        subject_id=concern.person_id,
        purpose="concerns",
        actor=actor,
        detail={"from": step.from_state, "to": to_state, "outcome": step.outcome},
    )
    if concern.filed_by_id and concern.filed_by_id != actor.id:
        # The filer sees what they filed and its status: the message names no one.
        notify(
            concern.filed_by_id,
            _l("A concern you filed is now “%(state)s”.", state=L.STATES[to_state]),
            f"/concerns/{concern.id}",
            kind="concern.status",
        )
    return step


def amend(concern: Concern, field: str, text: str | None, actor, transition_id=None) -> ConcernAmendment:
    """Correct the summary, description or a transition note beside the original, which stays visible."""
    if field in ("summary", "description"):
        allowed = can(actor, P.CONCERNS_TRIAGE) or (can(actor, P.CONCERNS_FILE) and concern.filed_by_id == actor.id)
        transition_id, current = None, concern.current(field)
    elif field == "note":
        step = next((t for t in concern.transitions if t.id == _uuid(transition_id)), None)
        if step is None:
            raise Refused(_l("Choose the note to amend."), fields={"transition_id": _l("Choose the note to amend.")})
        allowed, transition_id = can(actor, P.CONCERNS_TRIAGE), step.id
        amended = concern.amendments_of("note", step.id)
        current = amended[-1].text if amended else step.note
    else:
        raise Refused(_l("Choose what to amend."), fields={"field": _l("Choose what to amend.")})
    if not allowed:
        raise NotPermitted(_l("Your role may not amend this."))
    text = text.strip()
    if text == current:
        raise Refused(
            _l("Some fields are not valid."), fields={"text": _l("The amended text is the same as the current one.")}
        )
    amendment = ConcernAmendment(
        concern_id=concern.id,
        person_id=concern.person_id,
        field=field,
        transition_id=transition_id,
        text=text,
        author_id=actor.id,
        at=utcnow(),
    )
    concern.amendments.append(amendment)
    db.session.flush()
    audit.record(
        "concern.amend",
        object_type="concern",
        object_id=concern.id,
        subject_id=concern.person_id,
        purpose="concerns",
        actor=actor,
        detail={"field": field},
    )
    return amendment


def transition_notes(concern: Concern) -> list[tuple[ConcernTransition, list[ConcernAmendment]]]:
    return [(t, concern.amendments_of("note", t.id)) for t in concern.transitions]


# Actions ---------------------------------------------------------------------------------------------


def action_owner_choices() -> list[tuple[str, str]]:
    """(id, name) of the staff who may own an action."""
    return staff_choices(*sorted(ACTION_OWNER_ROLES))


def add_action(concern: Concern, text: str | None, owner_id, due_on, actor) -> ConcernAction:
    """An action agreed in SSP: what, who owns it, by when."""
    _require(actor, P.CONCERNS_TRIAGE)
    if concern.state in ("new", "closed"):
        raise Refused(_l("Actions are agreed after triage has started and before the concern is closed."))
    owner = db.session.get(User, int(owner_id)) if str(owner_id or "").isdigit() else None
    if owner is None or not owner.active or not owner.roles & ACTION_OWNER_ROLES:
        raise Refused(_l("Some fields are not valid."), fields={"owner_id": _l("Choose who owns the action.")})
    text = text.strip()
    action = ConcernAction(
        concern_id=concern.id,
        person_id=concern.person_id,
        text=text,
        owner_id=owner.id,
        due_on=due_on,
        created_by_id=actor.id,
    )
    concern.actions.append(action)
    db.session.flush()
    audit.record(
        "concern.action_add",
        object_type="concern_action",
        object_id=action.id,
        subject_id=concern.person_id,
        purpose="concerns",
        actor=actor,
        detail={"concern": str(concern.id)},
    )
    return action


def complete_action(action: ConcernAction, version, actor) -> None:
    _require(actor, P.CONCERNS_TRIAGE)
    action.check_version(version)
    if action.done_at is not None:
        raise Refused(_l("The action is already marked done."))
    action.done_at = utcnow()
    db.session.flush()
    audit.record(
        "concern.action_done",
        object_type="concern_action",
        object_id=action.id,
        subject_id=action.person_id,
        purpose="concerns",
        actor=actor,
    )


def get_action(concern: Concern, action_id) -> ConcernAction | None:
    aid = _uuid(action_id)
    return next((a for a in concern.actions if a.id == aid), None)


# Sharing ---------------------------------------------------------------------------------------------


def share_concern(
    concern: Concern, *, recipient: str | None, legal_basis: str | None, purpose: str | None, parts, expires_on, actor
) -> ConcernShare:
    """Disclose chosen parts to a recipient on a recorded legal basis until an expiry date.

    Refused without a legal basis, on consent that is not on record and active, on a mandatory
    notification that was never flagged, and before the concern has been triaged.
    """
    _require(actor, P.CONCERNS_TRIAGE)
    parts, purpose, today = set(parts), purpose.strip(), local_today()
    if "cpr" in parts and not can(actor, P.CPR_READ):
        raise Refused(
            _l("The share was not made: some fields are not valid."),
            fields={"parts": _l("Your role may not share the CPR number.")},
        )
    if concern.state == "new":
        raise Refused(_l("Start the triage of the concern before sharing it."))
    consent_purpose = None
    if legal_basis == "consent":
        consent_purpose = CONSENT_PURPOSE_FOR[recipient]
        if not has_active_consent(concern.person_id, consent_purpose):
            message = _l(
                "There is no active consent on record for this share: it was never recorded, has expired "
                "or was withdrawn. Record the consent first, or choose another legal basis."
            )
            raise Refused(message, fields={"legal_basis": message})
    elif legal_basis == "mandatory_notification":
        if recipient != "municipality":
            message = _l("A mandatory notification goes to the municipality only.")
            raise Refused(message, fields={"recipient": message})
        if concern.notification is None:
            message = _l("Flag the mandatory notification on the concern before sharing on it.")
            raise Refused(message, fields={"legal_basis": message})
    share = ConcernShare(
        concern_id=concern.id,
        person_id=concern.person_id,
        recipient=recipient,
        legal_basis=legal_basis,
        consent_purpose=consent_purpose,
        purpose=purpose,
        shared_by_id=actor.id,
        shared_at=utcnow(),
        expires_on=expires_on,
    )
    share.parts = parts
    concern.shares.append(share)
    db.session.flush()
    audit.record(
        "concern.share",
        object_type="concern_share",
        object_id=share.id,
        subject_id=concern.person_id,
        purpose="share",
        actor=actor,
        detail={
            "concern": str(concern.id),
            "recipient": recipient,
            "legal_basis": legal_basis,
            "parts": sorted(share.parts),
            "days": (expires_on - today).days,
        },
    )
    return share


def get_share(concern: Concern, share_id) -> ConcernShare | None:
    sid = _uuid(share_id)
    return next((s for s in concern.shares if s.id == sid), None)


def end_share(share: ConcernShare, actor, reason: str | None = None, *, purpose: str = "share") -> None:
    """End a share before its expiry; the recipient loses access at once."""
    if share.ended_at is not None:
        raise Refused(_l("The share has already ended."))
    share.ended_at = utcnow()
    share.ended_by_id = getattr(actor, "id", None)
    share.end_reason = (reason or "").strip() or None
    db.session.flush()
    audit.record(
        "concern.share_end",
        object_type="concern_share",
        object_id=share.id,
        subject_id=share.person_id,
        purpose=purpose,
        actor=actor,
        detail={"concern": str(share.concern_id), "basis": share.legal_basis},
    )


def end_share_by(share: ConcernShare, actor, reason: str | None = None) -> None:
    _require(actor, P.CONCERNS_TRIAGE)
    end_share(share, actor, reason)


def end_shares_resting_on_consent(person_id, purpose: str, reason: str) -> int:
    """Consent withdrawn: end every share of the person's concerns that rests on it. Returns how many."""
    actor = current_user if has_request_context() and getattr(current_user, "is_authenticated", False) else None
    shares = db.session.scalars(
        select(ConcernShare).where(
            ConcernShare.person_id == _uuid(person_id),
            ConcernShare.legal_basis == "consent",
            ConcernShare.consent_purpose == purpose,
            ConcernShare.ended_at.is_(None),
        )
    ).all()
    for share in shares:
        end_share(share, actor, reason, purpose="consent_withdrawn")
    return len(shares)


# Mandatory notification ------------------------------------------------------------------------------


def duty_holders(concern: Concern) -> list[User]:
    """Who may hold the duty: the filer, or an SSP staff member (both can see the concern)."""
    users = db.session.scalars(
        select(User)
        .where(User.active.is_(True), or_(User.id == concern.filed_by_id, holds_any("ssp")))
        .order_by(User.name)
    )
    return [u for u in users if u.id == concern.filed_by_id or "ssp" in u.roles]


def flag_notification(concern: Concern, duty_holder_id, actor) -> ConcernNotification:
    is_filer = can(actor, P.CONCERNS_FILE) and concern.filed_by_id == actor.id
    if not (can(actor, P.CONCERNS_TRIAGE) or is_filer):
        raise NotPermitted(_l("Your role may not do this."))
    if concern.notification is not None:
        raise Refused(_l("A mandatory notification is already flagged on this concern."))
    holder_id = int(duty_holder_id) if str(duty_holder_id or "").isdigit() else None
    allowed = {u.id for u in duty_holders(concern)} if can(actor, P.CONCERNS_TRIAGE) else {actor.id}
    if holder_id not in allowed:
        message = _l("Choose who holds the duty to notify: the filer or an SSP staff member.")
        raise Refused(message, fields={"duty_holder_id": message})
    concern.notification = ConcernNotification(
        duty_holder_id=holder_id, flagged_by_id=actor.id, flagged_at=utcnow(), due_on=local_today()
    )
    db.session.flush()
    audit.record(
        "concern.notification_flag",
        object_type="concern",
        object_id=concern.id,
        subject_id=concern.person_id,
        purpose="concerns",
        actor=actor,
    )
    return concern.notification


def _notification_for(concern: Concern, actor) -> ConcernNotification:
    notification = concern.notification
    if notification is None:
        raise Refused(_l("No mandatory notification is flagged on this concern."))
    if not (can(actor, P.CONCERNS_TRIAGE) or notification.duty_holder_id == actor.id):
        raise NotPermitted(_l("Only the duty holder or SSP staff record the notification."))
    return notification


def record_notification_sent(concern: Concern, actor) -> None:
    notification = _notification_for(concern, actor)
    if notification.sent_at is not None:
        raise Refused(_l("The notification is already recorded as sent."))
    notification.sent_at, notification.sent_recorded_by_id = utcnow(), actor.id
    notification.acknowledge_due_on = add_working_days(local_today(), ACKNOWLEDGE_WITHIN_WEEKDAYS)
    db.session.flush()
    audit.record(
        "concern.notification_sent",
        object_type="concern",
        object_id=concern.id,
        subject_id=concern.person_id,
        purpose="concerns",
        actor=actor,
    )


def record_notification_acknowledged(concern: Concern, actor) -> None:
    notification = _notification_for(concern, actor)
    if notification.sent_at is None:
        raise Refused(_l("Record that the notification was sent before its acknowledgement."))
    if notification.acknowledged_at is not None:
        raise Refused(_l("The acknowledgement is already recorded."))
    notification.acknowledged_at, notification.acknowledged_recorded_by_id = utcnow(), actor.id
    db.session.flush()
    audit.record(
        "concern.notification_acknowledged",
        object_type="concern",
        object_id=concern.id,
        subject_id=concern.person_id,
        purpose="concerns",
        actor=actor,
    )


def overdue_clause(today: date):
    """Unresolved: not sent by its due date, or sent and not acknowledged within six weekdays."""
    n = ConcernNotification
    return n.acknowledged_at.is_(None) & or_(
        and_(n.sent_at.is_(None), n.due_on < today), and_(n.sent_at.is_not(None), n.acknowledge_due_on < today)
    )


def overdue_notifications(user) -> Select:
    """Concerns with an overdue notification the user should chase: SSP and leaders all, filers their own."""
    query = (
        select(Concern)
        .join(Concern.notification)
        .where(overdue_clause(local_today()))
        .options(selectinload(Concern.person))
        .order_by(ConcernNotification.due_on, Concern.id)
    )
    if can(user, P.CONCERNS_READ_ALL):
        return query
    if can(user, P.CONCERNS_FILE):
        return query.where(or_(Concern.filed_by_id == user.id, ConcernNotification.duty_holder_id == user.id))
    return query.where(false())


def acute_alerts(user) -> list[Concern]:
    """Acute concerns nobody has started triaging yet, oldest first: SSP acts on these at once."""
    if not can(user, P.CONCERNS_TRIAGE):
        return []
    return list(
        db.session.scalars(
            select(Concern)
            .where(Concern.severity == "acute", Concern.state == "new")
            .order_by(Concern.created_at, Concern.id)
            .limit(50)
        )
    )


def count_new() -> int:
    return db.session.scalar(select(func.count()).select_from(Concern).where(Concern.state == "new")) or 0


def count_shared_with(user) -> int:
    roles = sorted(user.roles & RECIPIENT_ROLES)
    if not roles or not can(user, P.CONCERNS_READ):
        return 0
    ids = select(ConcernShare.concern_id).where(ConcernShare.recipient.in_(roles), _active_share_clause(local_today()))
    return db.session.scalar(select(func.count(func.distinct(ids.subquery().c.concern_id)))) or 0


# Chronology ------------------------------------------------------------------------------------------


@dataclass
class ChronologyEntry:
    at: datetime
    concern: Concern
    kind: str  # filed, involved, transition, action, action_done, share, share_end, notification_*
    text: str | None = None
    detail: dict | None = None


def chronology(person: Person, user) -> list[ChronologyEntry]:
    """Everything that happened across the person's concerns, oldest first (SSP and leaders)."""
    _require(user, P.CONCERNS_READ_ALL)
    own = db.session.scalars(select(Concern).where(Concern.person_id == person.id).order_by(Concern.created_at)).all()
    involved = db.session.scalars(
        select(Concern).join(ConcernInvolved).where(ConcernInvolved.person_id == person.id)
    ).all()
    entries = [ChronologyEntry(c.created_at, c, "involved") for c in involved]
    for c in own:
        entries.append(ChronologyEntry(c.created_at, c, "filed", c.current("summary")))
        for step, amended in transition_notes(c):
            entries.append(
                ChronologyEntry(
                    step.at,
                    c,
                    "transition",
                    amended[-1].text if amended else step.note,
                    {"from": step.from_state, "to": step.to_state, "outcome": step.outcome, "amended": bool(amended)},
                )
            )
        for a in c.actions:
            entries.append(ChronologyEntry(a.created_at, c, "action", a.text, {"due_on": a.due_on}))
            if a.done_at:
                entries.append(ChronologyEntry(a.done_at, c, "action_done", a.text))
        for s in c.shares:
            entries.append(
                ChronologyEntry(s.shared_at, c, "share", None, {"recipient": s.recipient, "legal_basis": s.legal_basis})
            )
            if s.ended_at:
                entries.append(ChronologyEntry(s.ended_at, c, "share_end", None, {"recipient": s.recipient}))
        n = c.notification
        if n is not None:
            entries.append(ChronologyEntry(n.flagged_at, c, "notification_flagged"))
            if n.sent_at:
                entries.append(ChronologyEntry(n.sent_at, c, "notification_sent"))
            if n.acknowledged_at:
                entries.append(ChronologyEntry(n.acknowledged_at, c, "notification_acknowledged"))
    entries.sort(key=lambda e: (e.at, str(e.concern.id)))
    audit.record(
        "concern.chronology",
        object_type="person",
        object_id=person.id,
        subject_id=person.id,
        purpose="concerns",
        detail={"concerns": len(own), "involved": len(involved)},
    )
    return entries


def concerns_about(person: Person, user) -> list[tuple[Concern, Access]]:
    """For the person page: all concerns about them (SSP, leaders), or those the user filed."""
    query = concerns_visible_to(user).where(Concern.person_id == person.id).order_by(Concern.created_at.desc())
    rows = [(c, access_for(user, c)) for c in db.session.scalars(query.limit(50))]
    return [(c, a) for c, a in rows if a is not None and a.level != RECIPIENT]


# SSP reads concern subjects (DESIGN §2) -------------------------------------------------------------


def concern_subjects(user) -> Select:
    return select(Concern.person_id)


def involved_people(user) -> Select:
    return select(ConcernInvolved.person_id)


# Data protection: export, erasure, and what blocks erasure ------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_person(person_id) -> list[dict]:
    """Every concern about the person, with its history, as JSON-ready dicts; no staff names."""
    pid = _uuid(person_id)
    records = []
    for c in db.session.scalars(select(Concern).where(Concern.person_id == pid).order_by(Concern.created_at)):
        n = c.notification
        records.append(
            {
                "record": "concern",
                "filed_at": _iso(c.created_at),
                "observed_on": _iso(c.observed_on),
                "area": c.area,
                "source": c.source,
                "category": c.category,
                "severity": c.severity,
                "summary": c.summary,
                "description": c.description,
                "child_knows": c.child_knows,
                "parents_know": c.parents_know,
                "state": c.state,
                "outcome": c.outcome,
                "amendments": [{"field": a.field, "text": a.text, "at": _iso(a.at)} for a in c.amendments],
                "transitions": [
                    {"from": t.from_state, "to": t.to_state, "outcome": t.outcome, "note": t.note, "at": _iso(t.at)}
                    for t in c.transitions
                ],
                "actions": [{"text": a.text, "due_on": _iso(a.due_on), "done_at": _iso(a.done_at)} for a in c.actions],
                "shares": [
                    {
                        "recipient": s.recipient,
                        "legal_basis": s.legal_basis,
                        "purpose": s.purpose,
                        "parts": sorted(s.parts),
                        "shared_at": _iso(s.shared_at),
                        "expires_on": _iso(s.expires_on),
                        "ended_at": _iso(s.ended_at),
                    }
                    for s in c.shares
                ],
                "notification": None
                if n is None
                else {
                    "flagged_at": _iso(n.flagged_at),
                    "sent_at": _iso(n.sent_at),
                    "acknowledged_at": _iso(n.acknowledged_at),
                },
            }
        )
    for c in db.session.scalars(select(Concern).join(ConcernInvolved).where(ConcernInvolved.person_id == pid)):
        # Named in someone else's concern: the fact and date only, nothing about the other person.
        records.append({"record": "concern_involvement", "since": _iso(c.created_at.date())})
    return records


def _delete_concerns(where) -> int:
    """Delete concerns (their history cascades in the database), keeping anonymous counts by month and
    category for the funder's reports."""
    rows = db.session.execute(select(Concern.category, Concern.created_at).where(where)).all()
    for category, created_at in rows:
        add_tally("concerns", "concern", created_at.strftime("%Y-%m"), category)
    db.session.execute(delete(Concern).where(where))
    db.session.flush()
    return len(rows)


def erase_person(person_id) -> dict[str, int]:
    """Delete the person's concerns and their links to others' concerns."""
    pid = _uuid(person_id)
    links = db.session.execute(delete(ConcernInvolved).where(ConcernInvolved.person_id == pid)).rowcount
    return {"concerns": _delete_concerns(Concern.person_id == pid), "concern_involvements": links}


def expired_concerns(today: date) -> list[ExpiredRecord]:
    """Concerns closed on or before the cutoff of RETENTION["concerns_closed"]; open ones are never due."""
    cutoff = retention_cutoff("concerns_closed", today)
    if cutoff is None:
        return []
    rows = db.session.execute(
        select(Concern.id, Concern.person_id).where(
            Concern.state == "closed", Concern.state_changed_at < datetime.combine(cutoff + timedelta(days=1), time.min)
        )
    )
    return [ExpiredRecord("concerns_closed", "concern", str(cid), pid) for cid, pid in rows]


def purge_concern(record: ExpiredRecord) -> None:
    _delete_concerns(Concern.id == uuid.UUID(record.object_id))


ERASURE_BLOCKED = _l(
    "An open concern about the person carries a mandatory notification (underretning); "
    "it must be kept until the concern is closed."
)


def erasure_blocker(person_id) -> str | None:
    """An open concern with a mandatory notification is a legal duty in progress: it must be kept."""
    pid = _uuid(person_id)
    blocked = db.session.scalar(
        select(Concern.id)
        .join(Concern.notification)
        .where(Concern.person_id == pid, Concern.state != "closed")
        .limit(1)
    )
    if blocked is None:
        return None
    # Translated in a request; in English on the command line, where no locale is chosen.
    return str(ERASURE_BLOCKED) if has_request_context() else ERASURE_BLOCKED._args[0]


SOURCE = PersonalDataSource(
    domain="concerns",
    names=EXPORT_NAMES,
    export=export_person,
    erase=erase_person,
    erasure_blocker=erasure_blocker,
    expired=expired_concerns,
    purge=purge_concern,
)
